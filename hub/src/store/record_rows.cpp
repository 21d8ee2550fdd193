#include "store/record_rows.h"

#include <tuple>

namespace sendhub::store {

// FNV-1a: stable across builds, so an unchanged record stays unchanged after an upgrade.
std::string row_hash(const Record& r) { return row_hash(r, r.extras.empty() ? "" : encode_extras(r.extras)); }

std::string row_hash(const Record& r, std::string_view extras) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;  // separator: "ab","c" differs from "a","bc"
  };
  for (std::size_t i = 0; i < r.size(); ++i) mix(r.at(i));
  mix(std::to_string(r.return_year));
  if (!r.extras.empty()) mix(extras);  // records without extras keep their old hash
  // Sixteen lower-case hex digits, as "%016llx" wrote them (every stored row_hash), without
  // snprintf's format parsing on every record stored.
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = "0123456789abcdef"[h & 0xf];
  return out;
}

bool moved_within_file(const Where& stored, const Where& now) {
  return stored.file == now.file && stored.line != now.line;
}

const char* ref_column(RecordKind kind) {
  if (hangs_from_person(kind)) return "person_ref";
  return spec(kind).key_fields == 1 ? "rkey" : "request_ref";
}

bool hangs_from_request(RecordKind kind) {
  return kind != RecordKind::la_return && kind != RecordKind::person && kind != RecordKind::request &&
         kind != RecordKind::advice && !hangs_from_person(kind);
}

bool hangs_from_person(RecordKind kind) { return kind == RecordKind::pupil; }

std::string record_columns(RecordKind kind, const std::string& a, Extras extras) {
  std::string out;
  for (const auto& f : spec(kind).fields) out += a + "." + std::string(f.name) + ", ";
  for (const char* c : {"file", "line", "path", "return_year", "source", "run_id"}) out += a + "." + c + ", ";
  return out + (extras == Extras::read ? a + ".extras" : "''");
}

std::vector<std::string> link_columns(const std::string& table) {
  if (table == "person_link") return {"source", "person_ref", "person_key", "rule"};
  if (table == "request_link") return {"source", "request_ref", "person_key", "case_key", "rule"};
  if (table == "advice_link") return {"source", "advice_ref", "person_key", "request_source", "request_ref", "rule"};
  if (table == "linked_person") {
    std::vector<std::string> cols{"person_key"};
    for (const auto& f : spec(RecordKind::person).fields)
      if (f.name != "person_ref") cols.emplace_back(f.name);
    cols.emplace_back("origins");
    return cols;
  }
  return {"person_key", "field", "sources", "winner"};   // link_conflicts
}

LinkSet link_set(const std::function<std::vector<std::vector<std::string>>(const std::string& table)>& rows) {
  LinkSet out;
  for (auto& r : rows("person_link")) out.persons.push_back({r[0], r[1], r[2], r[3]});
  for (auto& r : rows("request_link")) out.requests.push_back({r[0], r[1], r[2], r[3], r[4]});
  for (auto& r : rows("advice_link")) out.advice.push_back({r[0], r[1], r[2], r[3], r[4], r[5]});
  for (auto& r : rows("linked_person")) out.linked.push_back(LinkedPerson{r.front(), {r.begin() + 1, r.end() - 1}, r.back()});
  for (auto& r : rows("link_conflicts")) out.conflicts.push_back({r[0], r[1], r[2], r[3]});
  return out;
}

std::vector<std::pair<RecordKind, std::string>> linked_record_queries(const std::string& param) {
  std::vector<std::pair<RecordKind, std::string>> out;
  for (auto [kind, link, ref] : {std::tuple{RecordKind::person, "person_link", "person_ref"},
                                 std::tuple{RecordKind::advice, "advice_link", "advice_ref"}})
    out.emplace_back(kind, "SELECT " + record_columns(kind, "r") + " FROM " + link + " l JOIN " + std::string(spec(kind).name) +
                               " r ON r.source = l.source AND r.rkey = l." + ref + " WHERE l.person_key = " + param +
                               " ORDER BY r.source, r.rkey");
  return out;
}

}  // namespace sendhub::store
