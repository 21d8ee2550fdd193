// profile_suggest.cpp: a draft mapping profile for an export nobody has mapped yet (issue
// 12.3), after Airbyte's discover. It reads the header and a sample and proposes: the record
// kind, columns matched to canonical fields by name (schemas/profile/suggest.json), the date
// formats every sampled value of each date column parses with, and for each code column the
// distinct values found with a proposed code. It shows values of code columns only.
#include "profile_suggest.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "csv_parser.h"
#include "text_encoding.h"
#include "text_fold.h"

namespace cms {
namespace {

using Poco::JSON::Object;
using sendhub::Error;
using sendhub::RecordKind;
using sendhub::Where;

constexpr std::size_t kSampleRows = 2000;
constexpr std::size_t kMaxCodeValues = 40;

// A header as a name: folded, punctuation as spaces.
std::string name_of(const std::string& header) {
  std::string out;
  for (char c : fold(header)) out += std::isalnum(static_cast<unsigned char>(c)) ? c : ' ';
  return fold(out);
}

// The delimiter the widest of the first lines uses most (title lines above a header have few).
char delimiter_of(const std::string& text) {
  char best = ',';
  long most = 0;
  std::istringstream lines(text);
  std::string line;
  for (int i = 0; i < 10 && std::getline(lines, line); ++i)
    for (char d : {',', ';', '\t', '|'})
      if (long n = std::count(line.begin(), line.end(), d); n > most) most = n, best = d;
  return best;
}

std::vector<RecordKind> row_kinds(RecordKind record) {
  if (record == RecordKind::request) return {RecordKind::request, RecordKind::assessment, RecordKind::plan};
  return {record};
}

struct Column {
  std::string header, field;
  sendhub::FieldType type = sendhub::FieldType::text;
};

class Suggester {
 public:
  Suggester(const std::string& file, const sendhub::HostContext& host) : file_(file), host_(host) {
    const std::string path = host.schemas_dir() + "/profile/suggest.json";
    const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(read_bytes(path));
    rules_ = parsed.extract<Object::Ptr>();
  }

  std::string run(const std::string& record) {
    const Decoded text = decode(read_bytes(file_), "auto");
    encoding_ = text.encoding;
    delimiter_ = delimiter_of(text.text);
    CsvParser parser(text.text, delimiter_);
    std::vector<CsvRow> rows;
    while (rows.size() < kSampleRows)
      if (auto r = parser.next()) rows.push_back(std::move(*r));
      else break;
    header_row_ = find_header(rows);
    const CsvRow& header = rows.at(static_cast<std::size_t>(header_row_ - 1));
    kind_ = record.empty() ? guess_kind(header) : kind_named(record);
    const auto columns = match(header);
    return draft(header, columns, rows);
  }

 private:
  // The first row of at least two named cells that the next row matches in width (title lines
  // above a header are common in exports).
  static int find_header(const std::vector<CsvRow>& rows) {
    for (std::size_t i = 0; i + 1 < rows.size() && i < 10; ++i) {
      const auto& f = rows[i].fields;
      const bool named = f.size() >= 2 && std::none_of(f.begin(), f.end(), [](const std::string& c) { return c.empty(); });
      if (named && rows[i + 1].fields.size() >= f.size()) return static_cast<int>(i) + 1;
    }
    if (rows.empty()) throw Error("the file has no rows");
    return 1;
  }

  static RecordKind kind_named(const std::string& name) {
    for (const auto& k : sendhub::kKinds)
      if (k.name == name && k.kind != RecordKind::la_return) return k.kind;
    throw Error(Where{}, "--record", "usage", "no record kind " + name + " (see sendhub fields)");
  }

  // The canonical field a header names, among the given kinds' fields.
  std::string field_for(const std::string& header, const std::vector<RecordKind>& kinds) const {
    const std::string name = name_of(header);
    auto names = rules_->getObject("columns");
    for (RecordKind k : kinds)
      for (const auto& f : sendhub::spec(k).fields) {
        std::string plain(f.name);
        std::replace(plain.begin(), plain.end(), '_', ' ');
        if (name == plain) return std::string(f.name);
        if (auto list = names ? names->getArray(std::string(f.name)) : nullptr)
          for (std::size_t i = 0; i < list->size(); ++i)
            if (name == list->getElement<std::string>(static_cast<unsigned>(i))) return std::string(f.name);
      }
    return "";
  }

  RecordKind guess_kind(const CsvRow& header) const {
    RecordKind best = RecordKind::person;
    long most = -1;
    for (RecordKind k : {RecordKind::person, RecordKind::request, RecordKind::plan_detail, RecordKind::placement,
                         RecordKind::need, RecordKind::review, RecordKind::advice}) {
      const auto kinds = row_kinds(k);
      const long n = std::count_if(header.fields.begin(), header.fields.end(),
                                   [&](const std::string& h) { return !field_for(h, kinds).empty(); });
      if (n > most) most = n, best = k;
    }
    return best;
  }

  std::vector<Column> match(const CsvRow& header) const {
    std::vector<Column> out;
    std::set<std::string> taken;
    for (const auto& h : header.fields) {
      const std::string field = field_for(h, row_kinds(kind_));
      if (field.empty() || !taken.insert(field).second) {
        unmatched_.push_back(h);
        continue;
      }
      Column c{h, field};
      for (RecordKind k : row_kinds(kind_))
        if (int i = sendhub::field_index(k, field); i >= 0) c.type = sendhub::spec(k).fields[static_cast<std::size_t>(i)].type;
      out.push_back(c);
    }
    return out;
  }

  std::vector<std::string> date_formats(const std::vector<std::string>& samples) const {
    std::vector<std::string> out;
    auto formats = rules_->getArray("date_formats");
    for (std::size_t i = 0; formats && i < formats->size(); ++i) {
      const std::string f = formats->getElement<std::string>(static_cast<unsigned>(i));
      const bool all = !samples.empty() && std::all_of(samples.begin(), samples.end(), [&](const std::string& v) {
                         return host_.parse_date(v, {f}).has_value();
                       });
      if (all) out.push_back(f);
    }
    return out;
  }

  std::string draft(const CsvRow& header, const std::vector<Column>& columns, const std::vector<CsvRow>& rows) const;

  std::string file_;
  const sendhub::HostContext& host_;
  Object::Ptr rules_;
  std::string encoding_;
  char delimiter_ = ',';
  int header_row_ = 1;
  RecordKind kind_ = RecordKind::person;
  mutable std::vector<std::string> unmatched_;
};

std::string Suggester::draft(const CsvRow& header, const std::vector<Column>& columns, const std::vector<CsvRow>& rows) const {
  Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  std::string unmatched;
  for (const auto& u : unmatched_) unmatched += (unmatched.empty() ? "" : ", ") + u;
  out.set("_comment", "Drafted by sendhub profile suggest from " + std::filesystem::path(file_).filename().string() +
                          ". Check every column; fill each empty code; columns not matched: " +
                          (unmatched.empty() ? "none" : unmatched) + ".");
  out.set("profile", std::filesystem::path(file_).stem().string());
  out.set("record", std::string(sendhub::spec(kind_).name));
  out.set("encoding", encoding_ == "utf-8" ? std::string("auto") : encoding_);
  out.set("delimiter", std::string(1, delimiter_) == "\t" ? std::string("\\t") : std::string(1, delimiter_));
  out.set("header_row", header_row_);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < header.fields.size(); ++i) index[header.fields[i]] = i;
  auto samples = [&](const Column& c) {
    std::vector<std::string> values;
    for (std::size_t r = static_cast<std::size_t>(header_row_); r < rows.size(); ++r) {
      const auto i = index[c.header];
      if (i < rows[r].fields.size() && !rows[r].fields[i].empty()) values.push_back(rows[r].fields[i]);
    }
    return values;
  };
  Object cols(Poco::JSON_PRESERVE_KEY_ORDER), codes(Poco::JSON_PRESERVE_KEY_ORDER), counts(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Array formats;
  std::set<std::string> seen_formats;
  auto labels = rules_->getObject("codes");
  for (const auto& c : columns) {
    cols.set(c.field, c.header);
    if (c.type == sendhub::FieldType::date)
      for (const auto& f : date_formats(samples(c)))
        if (seen_formats.insert(f).second) formats.add(f);
    if (c.type != sendhub::FieldType::code) continue;  // only code columns' values are shown
    std::map<std::string, long> distinct;
    for (const auto& v : samples(c)) ++distinct[v];
    if (distinct.size() > kMaxCodeValues) continue;
    Object map(Poco::JSON_PRESERVE_KEY_ORDER), count(Poco::JSON_PRESERVE_KEY_ORDER);
    auto known = labels ? labels->getObject(c.field) : nullptr;
    for (const auto& [value, n] : distinct) {
      std::string code = known && known->has(fold(value)) ? known->getValue<std::string>(fold(value)) : "";
      if (code.empty() && value.size() <= 4) code = value;  // already a code, probably
      map.set(value, code);
      count.set(value, n);
    }
    codes.set(c.field, map);
    counts.set(c.field, count);
  }
  if (formats.size() == 0) formats.add("%d/%m/%Y"), formats.add("%Y-%m-%d");
  out.set("date_formats", formats);
  out.set("columns", cols);
  out.set("codes", codes);
  out.set("_value_counts", counts);
  std::ostringstream text;
  out.stringify(text, 2);
  return text.str() + "\n";
}

}  // namespace

std::string suggest_profile(const std::string& file, const std::string& record, const sendhub::HostContext& host) {
  return Suggester(file, host).run(record);
}

}  // namespace cms
