#include "link/packed_record.h"

#include <algorithm>

namespace sendhub {
namespace {

// A unit separator ends each value; one inside a value (never in real data: the door
// refuses control characters in identifiers and names) is kept as a space.
constexpr char kSeparator = '\x1f';

void append(std::string& out, std::string_view value) {
  const std::size_t at = out.size();
  out.append(value);
  std::replace(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(), kSeparator, ' ');
  out += kSeparator;
}

std::size_t index_of(RecordKind kind, std::string_view field) {
  const int i = field_index(kind, field);
  if (i < 0) throw Error(Where{}, std::string(field), "record.field", "no such field in a " + std::string(spec(kind).name) + " record");
  return static_cast<std::size_t>(i);
}

}  // namespace

PackedRecord::PackedRecord(const Record& r) : source(r.source), return_year(r.return_year), kind_(r.kind()) {
  for (std::size_t i = 0; i < r.size(); ++i) append(packed_, r.at(i));
  packed_.shrink_to_fit();
}

std::string_view PackedRecord::at(std::size_t i) const {
  std::size_t start = 0;
  for (; i > 0; --i) start = packed_.find(kSeparator, start) + 1;
  return std::string_view(packed_).substr(start, packed_.find(kSeparator, start) - start);
}

std::string PackedRecord::get(std::string_view field) const { return std::string(at(index_of(kind_, field))); }

PackedRecord& PackedRecord::set(std::string_view field, std::string_view value) {
  const std::size_t n = spec(kind_).fields.size(), target = index_of(kind_, field);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) append(out, i == target ? value : at(i));
  packed_ = std::move(out);
  return *this;
}

std::string PackedRecord::key() const {
  std::string out;
  for (std::size_t i = 0; i < spec(kind_).key_fields; ++i) {
    if (i) out += '|';
    out += at(i);
  }
  return out;
}

}  // namespace sendhub
