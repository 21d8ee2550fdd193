#include "records/record_check.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string_view>

#include "text/dates.h"

namespace sendhub {
namespace {

bool all_digits(std::string_view v) {
  return !v.empty() && std::all_of(v.begin(), v.end(),
                                   [](unsigned char c) { return std::isdigit(c) != 0; });
}

[[noreturn]] void fail(const Record& r, std::string_view field, const char* rule,
                       const std::string& message) {
  Where where = r.origin;
  where.line = r.line_of(field);
  throw Error(where, std::string(field), rule, message);
}

// A field that only says which record this is, or whose it is: per kind, a bit per field
// (worked out once; this runs for every record read).
bool identifies(RecordKind kind, std::size_t i) {
  static const auto bits = [] {
    std::array<std::uint64_t, kKinds.size()> out{};
    for (const KindSpec& k : kKinds)
      for (std::size_t f = 0; f < k.fields.size(); ++f)
        if (f < k.key_fields || k.fields[f].name == "person_ref" || k.fields[f].name == "seq")
          out[static_cast<std::size_t>(k.kind)] |= std::uint64_t{1} << f;
    return out;
  }();
  return (bits[static_cast<std::size_t>(kind)] >> i) & 1U;
}

}  // namespace

bool holds_only_its_key(const Record& record) {
  const KindSpec& kind = record.kind_spec();
  for (const auto& [name, value] : record.extras)   // a kept column is a fact too (2023's Res, WBP)
    if (!value.empty()) return false;
  for (std::size_t i = 0; i < kind.fields.size(); ++i)
    if (!identifies(record.kind(), i) && !record.at(i).empty()) return false;
  return true;
}

void check_record(const Record& record) {
  const KindSpec& kind = record.kind_spec();
  // `P999,,,,,,,` or <Person></Person>: nothing to link, count or report (issue 15.1).
  if (holds_only_its_key(record))
    fail(record, kind.fields[0].name, "record.empty",
         "a " + std::string(kind.name) + " record that holds nothing but its reference");
  for (std::size_t i = 0; i < kind.fields.size(); ++i) {
    const FieldSpec& field = kind.fields[i];
    const std::string& value = record.at(i);
    if (value.empty()) {
      if (i < kind.key_fields)
        fail(record, field.name, "record.key", "key field of a " + std::string(kind.name) +
                                                   " record is missing");
      continue;
    }
    switch (field.type) {
      case FieldType::date:
        if (!text::parse_iso(value)) fail(record, field.name, "type.date", "not a valid date (YYYY-MM-DD)");
        break;
      case FieldType::flag:
        if (value != "0" && value != "1") fail(record, field.name, "type.flag", "not 1 or 0");
        break;
      case FieldType::integer:
        // A sign is allowed: the NC year of early years is below 0 (inspection.md §3).
        if (const std::string_view digits = std::string_view(value).substr(value[0] == '-' ? 1 : 0);
            digits.empty() || !all_digits(digits) || digits.size() > 9)
          fail(record, field.name, "type.integer", "not a whole number");
        break;
      case FieldType::text:
      case FieldType::code:
        break;
    }
  }
}

}  // namespace sendhub
