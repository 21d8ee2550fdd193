#include "row_mapper.h"

#include "text_fold.h"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace cms {
namespace {

using sendhub::Error;
using sendhub::FieldType;
using sendhub::Record;
using sendhub::RecordKind;
using sendhub::Where;

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  auto a = s.find_first_not_of(ws);
  return a == std::string::npos ? "" : s.substr(a, s.find_last_not_of(ws) - a + 1);
}

std::string folded(const std::string& s) { return fold(s); }

std::string upper(std::string s) {  // identifiers are compared upper-case
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "bl9  0ab" -> "BL9 0AB": postcodes are matched upper-case with one space.
std::string postcode(const std::string& s) {
  std::string compact;
  for (unsigned char c : s)
    if (!std::isspace(c)) compact += static_cast<char>(std::toupper(c));
  return compact.size() > 3 ? compact.substr(0, compact.size() - 3) + " " + compact.substr(compact.size() - 3) : compact;
}

std::optional<std::string> flag(const std::string& v) {
  static const std::map<std::string, std::string> kFlags = {
      {"1", "1"}, {"y", "1"}, {"yes", "1"}, {"true", "1"}, {"0", "0"}, {"n", "0"}, {"no", "0"}, {"false", "0"}};
  auto it = kFlags.find(folded(v));
  if (it == kFlags.end()) return std::nullopt;
  return it->second;
}

}  // namespace

RowMapper::RowMapper(const Profile& profile, const CsvRow& header, std::string file, const sendhub::HostContext& host)
    : profile_(profile), file_(std::move(file)), host_(host), header_width_(header.fields.size()) {
  for (const auto& f : profile_.date_formats) formats_ += (formats_.empty() ? "" : ", ") + f;
  const auto now = std::time(nullptr);
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", std::gmtime(&now));
  today_ = day;
  column_of_ = mapped_columns(profile_, header, file_);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < header.fields.size(); ++i) index.emplace(folded(header.fields[i]), i);
  for (const auto& [name, column] : profile_.extras) {
    auto it = index.find(folded(column));
    if (it == index.end())
      throw Error(Where{file_, header.line, ""}, column, "csv.column",
                  "column kept as extra " + name + " in profile " + profile_.name + " is missing from the file");
    extra_columns_.emplace_back(name, it->second);
  }
}

std::vector<std::size_t> mapped_columns(const Profile& profile, const CsvRow& header, const std::string& file) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < header.fields.size(); ++i) index.emplace(folded(header.fields[i]), i);
  std::vector<std::size_t> out;
  for (const auto& f : profile.fields) {
    auto it = index.find(folded(f.column));
    if (f.column_pattern)  // a header written /.../: the first that matches, in file order
      for (std::size_t i = 0; i < header.fields.size() && it == index.end(); ++i)
        if (std::regex_search(folded(header.fields[i]), *f.column_pattern)) it = index.find(folded(header.fields[i]));
    if (it == index.end())
      throw Error(Where{file, header.line, ""}, f.column, "csv.column",
                  "column named in profile " + profile.name + " for " + f.field + " is missing from the file");
    out.push_back(it->second);
  }
  return out;
}

std::string RowMapper::value(const FieldMap& f, const std::string& cell, std::string& rule) const {
  std::string v = trim(cell);
  if (v.empty()) return v;
  if (f.has_codes()) {
    const std::string key = fold(v);
    if (auto it = f.codes.find(key); it != f.codes.end()) return it->second;
    for (const auto& [pattern, code] : f.code_patterns)
      if (std::regex_search(key, pattern)) return code;
    if (f.default_code) return *f.default_code;
    return rule = "csv.code", "";
  }
  switch (f.type) {
    case FieldType::date: {
      auto d = host_.parse_date(v, profile_.date_formats);
      if (!d) return rule = "csv.date", "";
      if (f.field == "birth_date" && *d > today_) return rule = "csv.date_future", "";
      return *d;
    }
    case FieldType::flag: {
      auto b = flag(v);
      if (!b) return rule = "csv.flag", "";
      return *b;
    }
    default: break;
  }
  if (f.field == "postcode") return postcode(v);
  if (f.field == "upn") return upper(v);
  return v;
}

RowMapper::Mapped RowMapper::map(const CsvRow& row) {
  Mapped out;
  plugin_support::RecordPool fresh;   // nothing spare: every record new
  map(row, out, fresh);
  return out;
}

void RowMapper::map(const CsvRow& row, Mapped& out, plugin_support::RecordPool& pool) {
  pool.give_back(out.records);   // empty after the pipe took them; anything left goes back
  out.problem.reset();
  out.unmapped.clear();
  const Where where{file_, row.line, ""};
  for (RecordKind k : profile_.kinds) pool.add(out.records, k).origin = where;
  auto problem = [&](const std::string& column, std::size_t index, const char* rule, const std::string& message) {
    if (!out.problem)
      out.problem.emplace(Where{file_, row.line, "column " + std::to_string(index + 1)}, column, rule, message);
  };
  if (!row.problem.empty()) problem("", row.problem_column, row.problem_rule.c_str(), row.problem);
  for (std::size_t i = header_width_; i < row.fields.size(); ++i)
    if (!trim(row.fields[i]).empty())
      problem("", i, "csv.width", "row has " + std::to_string(row.fields.size()) + " fields, the header " +
                                      std::to_string(header_width_));
  std::vector<bool> used(profile_.kinds.size(), false);
  for (std::size_t i = 0; i < profile_.fields.size(); ++i) {
    const FieldMap& f = profile_.fields[i];
    const std::size_t col = column_of_[i];
    const std::string cell = col < row.fields.size() ? row.fields[col] : "";
    std::string rule;
    std::string v = value(f, cell, rule);
    if (!rule.empty()) {
      if (rule == "csv.code") out.unmapped.emplace_back(f.field, trim(cell));
      const std::string what = rule == "csv.code" ? "value is not in the profile's code map for " + f.field
                               : rule == "csv.date" ? "not a date in the profile's formats (" + formats_ +
                                                          "; a time after the date is ignored)"
                               : rule == "csv.date_future" ? "a birth date after today"
                                                    : "not a yes/no value (1/0, Y/N, Yes/No, True/False)";
      problem(f.column, col, rule.c_str(), what);
      continue;
    }
    if (v.empty()) continue;
    auto k = static_cast<std::size_t>(std::find(profile_.kinds.begin(), profile_.kinds.end(), f.kind) - profile_.kinds.begin());
    out.records[k].set(f.field, v, row.line);
    used[k] = true;
  }
  keep_used(out.records, used, pool);
  Record& primary = out.records.front();
  for (const auto& [name, col] : extra_columns_)
    if (col < row.fields.size() && !trim(row.fields[col]).empty()) primary.extras[name] = trim(row.fields[col]);
  if (sendhub::spec(primary.kind()).key_fields == 2 && primary.get("seq").empty())
    primary.set("seq", std::to_string(++ordinal_[primary.get("request_ref")]));
}

// A request row's assessment and plan exist only when a field of theirs has a value; a census
// row's person always (the pupil hangs from it). They share the row's reference. The records
// left out go back to the pool.
void RowMapper::keep_used(std::vector<Record>& records, const std::vector<bool>& used, plugin_support::RecordPool& pool) {
  const std::string shared(sendhub::spec(profile_.record).fields[0].name);
  const std::string ref = records[0].get(shared);
  std::size_t kept = 1;
  for (std::size_t k = 1; k < records.size(); ++k) {
    if (!used[k] && records[k].kind() != RecordKind::person) continue;
    records[k].set(shared, ref);
    if (kept != k) std::swap(records[kept], records[k]);
    ++kept;
  }
  unused_.assign(std::make_move_iterator(records.begin() + static_cast<std::ptrdiff_t>(kept)),
                 std::make_move_iterator(records.end()));
  records.erase(records.begin() + static_cast<std::ptrdiff_t>(kept), records.end());
  pool.give_back(unused_);
}

}  // namespace cms
