#include "store/group_codec.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "io/byte_codec.h"

namespace sendhub::group_codec {
namespace {

using io::put_number;
using io::put_signed;
using io::put_text;

// The group's repeated texts: a handful each, so a look along the list beats a hash map.
class Table {
 public:
  void put(std::string& out, const std::string& s) {
    std::size_t i = 0;
    while (i < texts_.size() && *texts_[i] != s) ++i;
    if (i == texts_.size()) texts_.push_back(&s);
    put_number(out, i);
  }
  void write(std::string& out) const {
    put_number(out, texts_.size());
    for (const auto* s : texts_) put_text(out, *s);
  }

 private:
  std::vector<const std::string*> texts_;
};

// An element path as the length it shares with the record before's and the rest: a SEN2
// group's records come from one Person element ("/Message/Persons/Person[2345]/Requests[2]/..."),
// and whole paths were nearly a third of a group's bytes.
void put_path(std::string& out, std::string_view& before, std::string_view path) {
  std::size_t same = 0;
  while (same < before.size() && same < path.size() && before[same] == path[same]) ++same;
  put_number(out, same);
  put_text(out, path.substr(same));
  before = path;
}

void put_record(std::string& out, Table& table, std::string_view& path_before, const Record& r) {
  put_number(out, static_cast<std::uint64_t>(r.kind()));
  for (std::size_t i = 0; i < r.size(); ++i) put_text(out, r.at(i));
  table.put(out, r.origin.file);
  put_signed(out, r.origin.line);
  put_path(out, path_before, r.origin.path);
  put_signed(out, r.return_year);
  table.put(out, r.source);
  put_signed(out, r.run_id);
  table.put(out, r.person_key);
  table.put(out, r.case_key);
  put_number(out, r.extras.size());
  for (const auto& [name, value] : r.extras) {
    table.put(out, name);
    put_text(out, value);
  }
}

// The shared reader, with the group's table of texts and the walk's kept buffers.
struct Reader : io::ByteReader {
  Reader(std::string_view bytes, std::vector<std::string_view>& table, Buffers* kept = nullptr)
      : io::ByteReader(bytes, "store.copy", "a kept group's bytes"), texts(table), buffers(kept),
        values(kept ? kept->values() : own_values) {}
  std::vector<std::string_view>& texts;
  Buffers* buffers;   // null: every string new
  std::vector<std::string_view> own_values;
  std::vector<std::string_view>& values;   // a record's fields, read before they are kept (the walk's, kept)

  // `into` an empty string: it is given a kept buffer first when the text needs the heap.
  void fill(std::string& into, Buffers::Role role, std::string_view text) {
    if (buffers && text.size() > into.capacity()) into = buffers->spare(role);
    into.assign(text);
  }
  void path(std::string& into, const std::string& before) {
    const auto same = number();
    if (same > before.size()) corrupt("name a path they do not hold");
    const std::string_view rest = view();
    if (buffers && same + rest.size() > into.capacity()) into = buffers->spare(Buffers::kPath);
    into.assign(before, 0, static_cast<std::size_t>(same)).append(rest);
  }
  std::string_view listed() {
    const auto i = number();
    if (i >= texts.size()) corrupt("name a text they do not hold");
    return texts[static_cast<std::size_t>(i)];
  }
};

// Into `list`, empty: every record, or (years not null) those of these return years, the others
// read past (their texts not copied: a return's sink asks for two years of the three a child's
// copy may hold). `path_before`: the path of the record before the first (paths are kept as what
// differs).
void read_records(Reader& in, std::vector<Record>& list, const std::string& path_before = std::string(),
                  const std::vector<int>* years = nullptr) {
  const auto n = static_cast<std::size_t>(in.count());
  list.reserve(n);
  // The path read last, and the one before it: a record read past leaves its path in one of
  // them for the next, which must not read into the string it reads from.
  std::string paths[2];
  int at = 0;
  const std::string* before = &path_before;
  std::vector<std::string_view>& values = in.values;
  for (std::size_t k = 0; k < n; ++k) {
    const auto kind = in.number();
    if (kind >= kKinds.size()) in.corrupt("name no kind of record");
    const std::size_t fields = spec(static_cast<RecordKind>(kind)).fields.size();
    values.clear();
    for (std::size_t i = 0; i < fields; ++i) values.push_back(in.view());
    const std::string_view file = in.listed();
    const std::int64_t line = in.signed_number();
    std::string& path = paths[at];
    in.path(path, *before);
    const auto year = static_cast<int>(in.signed_number());
    if (years && std::find(years->begin(), years->end(), year) == years->end()) {
      in.listed();          // source
      in.signed_number();   // run
      in.listed();          // person key
      in.listed();          // case key
      const auto extras = in.number();
      for (std::uint64_t e = 0; e < extras; ++e) {
        in.listed();
        in.view();
      }
      before = &path;
      at = 1 - at;
      continue;
    }
    Record& r = list.emplace_back(static_cast<RecordKind>(kind));
    for (std::size_t i = 0; i < fields; ++i) r.set_at(i, std::string(values[i]));
    in.fill(r.origin.file, Buffers::kFile, file);
    r.origin.line = line;
    r.origin.path.swap(path);
    r.return_year = year;
    in.fill(r.source, Buffers::kSource, in.listed());
    r.run_id = in.signed_number();
    in.fill(r.person_key, Buffers::kPersonKey, in.listed());
    in.fill(r.case_key, Buffers::kCaseKey, in.listed());
    const auto extras = in.number();
    for (std::uint64_t e = 0; e < extras; ++e) {
      std::string name(in.listed());
      r.extras[std::move(name)] = in.text();
    }
    before = &r.origin.path;
  }
}

// The table of texts, then the body: one self-contained group.
std::string with_table(const Table& table, const std::string& body) {
  std::string out;
  table.write(out);
  return out + body;
}

void read_table(Reader& in) {
  const auto n = in.count();
  in.texts.clear();
  for (std::uint64_t i = 0; i < n; ++i) in.texts.push_back(in.view());
}

// The merged group into `g` (its records empty), then the loadable records (of `years`, unless
// null) unless not asked for.
void read_merged(Reader& in, PersonGroup& g, std::vector<Record>* loadable, const std::vector<int>* years) {
  read_table(in);
  g.person_key.assign(in.view());
  read_records(in, g.records);
  if (!loadable) return;
  // The loadable records continue the merged ones' chain of paths.
  static const std::string kNone;
  read_records(in, *loadable, g.records.empty() ? kNone : g.records.back().origin.path, years);
  in.finish();
}

}  // namespace

std::string encode_merged(const PersonGroup& group, const std::vector<const Record*>& loadable) {
  std::string body;
  Table table;
  put_text(body, group.person_key);
  put_number(body, group.records.size());
  std::string_view path_before;
  for (const auto& r : group.records) put_record(body, table, path_before, r);
  put_number(body, loadable.size());
  for (const Record* r : loadable) put_record(body, table, path_before, *r);
  return with_table(table, body);
}

PersonGroup decode_merged(std::string_view bytes, std::vector<Record>* loadable) {
  PersonGroup g;
  std::vector<std::string_view> texts;
  Reader in(bytes, texts);
  read_merged(in, g, loadable, nullptr);
  return g;
}

void decode_merged(std::string_view bytes, PersonGroup& into, std::vector<Record>* loadable, Buffers& buffers,
                   const std::vector<int>* years) {
  buffers.take_back(into.records);
  buffers.take_back(into.loaded);
  if (loadable) buffers.take_back(*loadable);
  Reader in(bytes, buffers.texts(), &buffers);
  read_merged(in, into, loadable, years);
}

void Buffers::take_back(std::vector<Record>& records) {
  // Only buffers on the heap are worth keeping; as many as a large group needs, no more.
  constexpr std::size_t kKept = 4096;
  auto keep = [this](Role role, std::string& s) {
    if (s.capacity() > std::string().capacity() && spare_[role].size() < kKept) spare_[role].push_back(std::move(s));
  };
  for (auto& r : records) {
    keep(kFile, r.origin.file);
    keep(kPath, r.origin.path);
    keep(kSource, r.source);
    keep(kPersonKey, r.person_key);
    keep(kCaseKey, r.case_key);
  }
  records.clear();
}

std::string Buffers::spare(Role role) {
  auto& kept = spare_[role];
  if (kept.empty()) return {};
  std::string s = std::move(kept.back());
  kept.pop_back();
  return s;
}

}  // namespace sendhub::group_codec
