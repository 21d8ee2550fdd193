// sen2_reader.cpp: SEN2 XML into records, streaming. The scanner (xml_scanner.h) walks
// the file's outer elements and hands over each Person whole, with its pieces; the chain
// builder turns them into one group of records, so memory stays flat however large the
// return. A file that declares another encoding (windows-1252, UTF-16) is converted
// to UTF-8 as it is read.
#include "sen2_reader.h"

#include <Poco/StreamConverter.h>
#include <Poco/String.h>
#include <Poco/TextEncoding.h>
#include <Poco/UTF16Encoding.h>
#include <Poco/UTF8Encoding.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>

#include "chain_builder.h"
#include "host_pipe.h"
#include "xml_scanner.h"

namespace sen2 {
namespace {

using plugin_support::HostPipe;
using sendhub::Error;
using sendhub::RecordKind;
using sendhub::Where;

// One return file read through the layout of its year.
class ReturnFile final : public ChainOutput {
 public:
  ReturnFile(sendhub::SourceContext& ctx, HostPipe& host, const Layouts& layouts, const std::string& file,
             const std::vector<std::string>& source_files)
      : ctx_(ctx), host_(host), layouts_(layouts), file_(file), source_files_(source_files),
        builder_(file, layouts.newest(), *this, host.pool()) {}

  // On the parsing thread: the host is reached through host_, the header's checks by sync.
  void read(std::istream& in);   // throws XmlProblem: the file stops there
  bool header_seen() const { return header_seen_; }
  std::int64_t line() const { return line_; }

  void query(const Error& what) override { host_.query(what); }
  void stray(const Error& why) override { host_.stray(why); }

 private:
  void record_element(std::string_view bytes, const std::vector<XmlPiece>& pieces, const XmlTag& tag,
                      const Frame& parent, const Group& group, int n);
  void choose_layout(std::int64_t line);
  void check_reference_date(std::int64_t line, int year);
  void claim_year(std::int64_t line, int year);

  sendhub::SourceContext& ctx_;   // only in sync()
  HostPipe& host_;
  const Layouts& layouts_;
  std::string file_;
  const std::vector<std::string>& source_files_;
  ChainBuilder builder_;
  bool header_seen_ = false;
  std::int64_t line_ = 0;
  std::string period_end_;   // the collection period's last day, from the header's year
};

// An H chain's OtherMediation / OtherTribunal say a mediation or an appeal about the plan
// (its content, the named setting) took place in this return's collection period, about a
// plan issued long before: their date is the one thing that places them in a period, and
// the return gives only the period, so the period's last day stands for it (records.h).
void date_historical_appeals(std::vector<sendhub::Record>& records, const std::string& period_end) {
  if (period_end.empty()) return;
  std::string historical_request;
  for (auto& r : records) {
    if (r.kind() == RecordKind::request && r.get("request_outcome") == "H") historical_request = r.get("request_ref");
    if (r.kind() != RecordKind::assessment) continue;
    if (r.get("assessment_outcome") != "H" && r.get("request_ref") != historical_request) continue;
    for (const char* flag : {"other_mediation", "other_tribunal"})
      if (r.get(flag) == "1") r.set(std::string(flag) + "_date", period_end);
  }
}

void ReturnFile::read(std::istream& in) {
  XmlScanner scanner(in);
  std::vector<Frame> open;   // the outer elements: Message, Persons
  for (XmlTag tag = scanner.next(); tag.kind != XmlTag::eof; tag = scanner.next()) {
    line_ = tag.line;
    if (tag.kind == XmlTag::end) {
      open.pop_back();
      continue;
    }
    const Layout& layout = builder_.layout();
    if (open.empty()) {
      if (tag.name != layout.root)
        throw XmlProblem{tag.line, "sen2.root", "not a SEN2 return (root element is not " + layout.root + ")"};
      Frame& root = open.emplace_back();
      root.set_path("", layout.root, 0);
      root.open(&layout.group(layout.root), std::nullopt, tag.line);
      if (tag.empty) open.pop_back();
      continue;
    }
    int n = 0;
    const Member* m = builder_.enter(open.back(), tag.name, tag.line, n);
    const Group* group = m && m->is_group() ? &layout.group(m->element) : nullptr;
    if (group && !group->kind) {   // an outer element: its children come tag by tag
      Frame& outer = open.emplace_back();
      outer.set_path(open[open.size() - 2].path, m->element, 0);
      outer.open(group, std::nullopt, tag.line);
      if (tag.empty) open.pop_back();
      continue;
    }
    const std::string_view bytes = scanner.take_element();   // checked even when it is not used
    if (group) record_element(bytes, scanner.pieces(), tag, open.back(), *group, n);
    else if (m && n > 1)   // an item outside any record: nothing holds its value
      builder_.problem(tag.line, open.back().path + "/" + m->element, m->element, "sen2.repeated",
                       "element appears more than once");
  }
  line_ = scanner.line();
}

void ReturnFile::record_element(std::string_view bytes, const std::vector<XmlPiece>& pieces, const XmlTag& tag,
                                const Frame& parent, const Group& group, int n) {
  // Without a header a file has no year: its Persons would be taken for the newest
  // year's and overwrite that return's records (issue 15.2).
  if (group.kind != RecordKind::la_return && !header_seen_)
    throw XmlProblem{tag.line, "sen2.header", "a " + group.element + " comes before the Header: a file without a "
                                                  "header cannot be placed in a return year; nothing of it was read"};
  header_seen_ = header_seen_ || group.kind == RecordKind::la_return;
  builder_.build(bytes, pieces, tag.line, parent, group, n);
  auto& records = builder_.records();
  if (group.kind == RecordKind::la_return) host_.sync([&] { choose_layout(tag.line); });
  if (builder_.problem()) return host_.quarantine(records, *builder_.problem(), builder_.raw());
  date_historical_appeals(records, period_end_);
  host_.write(records, builder_.raw());
}

// The header's Year says which layout the rest of the file follows.
void ReturnFile::choose_layout(std::int64_t line) {
  auto& header = builder_.records().front();
  const std::string year_text = header.get("year");
  const int year = std::atoi(year_text.c_str());
  const Layout* layout = layouts_.find(year);
  if (year_text.empty()) throw XmlProblem{line, "sen2.year", "the header has no Year"};
  if (!layout)
    throw XmlProblem{line, "sen2.year", "the " + year_text + " return is not supported: this sendhub reads the " +
                                            layouts_.years_list() + " layouts (schemas/sen2/layouts; the "
                                            "person-level return began in 2023, sen2.md §1.4); the file was refused"};
  if (ctx_.settings().has("year") && ctx_.settings().integer("year") != year)
    throw XmlProblem{line, "sen2.year", "file is the " + year_text + " return; this source reads " +
                                            ctx_.settings().text("year")};
  check_reference_date(line, year);
  claim_year(line, year);
  builder_.use_layout(layout);
  header.return_year = year;
  period_end_ = ctx_.return_year(year).period_end;
  // An item the newest layout knows but this year's does not (DSCO in 2024).
  for (const char* g : {"CollectionDetails", "Source"})
    for (const auto& m : layouts_.newest()->group(g).members)
      if (!layout->group(g).find(m.element) && !header.get(m.field).empty() && !builder_.problem())
        builder_.problem().emplace(Where{file_, header.line_of(m.field), "/Message/Header/" + std::string(g) + "/" + m.element},
                                   m.element, "sen2.element", "element is not part of the " + year_text + " layout");
}

// A file's year must agree with its content: a 2026 return relabelled 2025 would
// otherwise replace the genuine 2025 return's records. A ReferenceDate in the right year
// but not on census day is the validator's (SEN2-H03), not a reason to refuse the file.
void ReturnFile::check_reference_date(std::int64_t line, int year) {
  const auto& header = builder_.records().front();
  const std::string& reference = header.get("reference_date");
  if (reference.size() < 4 || reference.compare(0, 4, std::to_string(year)) == 0) return;
  throw XmlProblem{header.line_of("reference_date") > 0 ? header.line_of("reference_date") : line, "sen2.year",
                   "the header's Year is " + std::to_string(year) + " but its ReferenceDate falls in " +
                       reference.substr(0, 4) + " (census day " + ctx_.census_day(year) +
                       "): the file's year disagrees with its content and was refused"};
}

// One file per return year in a source: a second file of the same year is refused, so a
// return never silently replaces another file's records. A return re-delivered under a
// new name (the old file no longer matched) takes over, and the old file's records go.
void ReturnFile::claim_year(std::int64_t line, int year) {
  const std::string key = "return_file." + std::to_string(year);
  const std::string owner = ctx_.state(key);
  if (!owner.empty() && owner != file_) {
    if (std::find(source_files_.begin(), source_files_.end(), owner) != source_files_.end())
      throw XmlProblem{line, "sen2.duplicate_return",
                       "this source already reads the " + std::to_string(year) + " return from " + owner +
                           "; one file per return year (remove one of them); the file was refused"};
    ctx_.retire_file(owner);
    ctx_.log(sendhub::LogLevel::warning, file_ + ": the " + std::to_string(year) + " return now comes from this file; " +
                                             "the records of " + owner + ", which this source no longer matches, were removed");
  }
  ctx_.set_state(key, file_);
}

// A converter to UTF-8 when the file is UTF-16 (by its byte-order mark) or declares an
// encoding other than UTF-8; null when it is UTF-8 already.
std::unique_ptr<std::istream> utf8_stream(std::istream& in, std::unique_ptr<Poco::TextEncoding>& holder) {
  char head[256] = {};
  in.read(head, sizeof head - 1);
  const std::string_view text(head, static_cast<std::size_t>(in.gcount()));
  in.clear();
  in.seekg(0);
  static Poco::UTF8Encoding utf8;
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    holder = std::make_unique<Poco::UTF16Encoding>(text[0] == '\xFF' ? Poco::UTF16Encoding::LITTLE_ENDIAN_BYTE_ORDER
                                                                      : Poco::UTF16Encoding::BIG_ENDIAN_BYTE_ORDER);
    return std::make_unique<Poco::InputStreamConverter>(in, *holder, utf8);
  }
  if (!text.starts_with("<?xml")) return nullptr;
  const auto decl = text.substr(0, text.find("?>"));
  auto at = decl.find("encoding");
  if (at == std::string_view::npos) return nullptr;
  at = decl.find_first_of("\"'", at);
  const auto to = at == std::string_view::npos ? at : decl.find(decl[at], at + 1);
  if (to == std::string_view::npos) return nullptr;   // the scanner says what is wrong with the declaration
  const std::string name(decl.substr(at + 1, to - at - 1));
  if (Poco::icompare(name, "UTF-8") == 0 || Poco::icompare(name, "US-ASCII") == 0) return nullptr;
  const Poco::TextEncoding::Ptr encoding = Poco::TextEncoding::find(name);
  if (!encoding)
    throw XmlProblem{1, "xml.malformed", "malformed XML: the file declares the encoding " + name +
                                             ", which sendhub cannot read (UTF-8, UTF-16, ISO-8859-1 or windows-1252 can be)"};
  return std::make_unique<Poco::InputStreamConverter>(in, *encoding, utf8);
}

void read_file(sendhub::SourceContext& ctx, const Layouts& layouts, const std::string& file,
               const std::vector<std::string>& source_files) {
  if (!ctx.begin_file(file)) return;  // unchanged since read whole: its records stand
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  HostPipe host(ctx);
  ReturnFile reader(ctx, host, layouts, file, source_files);
  try {
    std::unique_ptr<Poco::TextEncoding> encoding;
    const auto converted = utf8_stream(in, encoding);
    host.run([&](HostPipe&) { reader.read(converted ? *converted : in); });
  } catch (const XmlProblem& p) {
    return ctx.quarantine(Error(Where{file, p.line, ""}, "", p.rule, p.message), "");
  }
  if (!reader.header_seen())
    return ctx.quarantine(Error(Where{file, reader.line(), "/Message"}, "Header", "sen2.header",
                                "the file has no Header, so no return year"), "");
  ctx.end_file();  // only a file read to the end replaces what it gave before
}

}  // namespace

void Sen2Source::read(sendhub::SourceContext& ctx) {
  Layouts layouts(ctx.schemas_dir());
  auto files = ctx.settings().glob("path");
  if (files.empty())
    throw Error(Where{ctx.settings().path("path"), 0, ""}, "path", "input.missing", "no file matches");
  for (const auto& file : files) read_file(ctx, layouts, file, files);
}

}  // namespace sen2
