// sen2_reader.cpp: SEN2 XML into records, streaming. Expat (through Poco's SAX parser)
// reads the file in small chunks; each Person becomes one group of records as soon as its
// end tag is read, so memory stays flat however large the return. DTDs are refused (no
// entity tricks), values and nesting are capped.
#include "sen2_reader.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/Locator.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>

#include "sen2_layout.h"
#include "xml_guard.h"

namespace sen2 {
namespace {

using sendhub::Error;
using sendhub::Record;
using sendhub::RecordKind;
using sendhub::Where;

constexpr std::size_t kMaxValue = std::size_t{64} * 1024;     // longest value kept; longer is a problem
constexpr std::size_t kMaxDepth = 64;             // SEN2 is 8 deep; deeper is hostile
constexpr std::size_t kMaxRaw = std::size_t{1024} * 1024;     // raw XML kept with a quarantined Person

// A problem that ends the reading of a file (the file is quarantined, others go on).
struct FileProblem {
  std::int64_t line;
  std::string rule, message;
};

// Elements that repeat in place get an index in their path. ActivePlans is 0..1 per
// request although its record (a review) is a history in the dataset.
bool repeats(RecordKind kind) {
  if (kind == RecordKind::review) return false;
  return kind == RecordKind::person || kind == RecordKind::request || sendhub::spec(kind).key_fields == 2;
}

std::string trimmed(const std::string& v) {
  const char* ws = " \t\r\n";
  auto a = v.find_first_not_of(ws);
  if (a == std::string::npos) return "";
  return v.substr(a, v.find_last_not_of(ws) - a + 1);
}

void escape_into(std::string& out, const std::string& text) {
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
}

// One open element.
struct Frame {
  std::string name, path;
  const Group* group = nullptr;            // a group element
  const Member* item = nullptr;            // an item element
  std::optional<std::size_t> record;       // the record its items go into
  std::map<std::string, int> counts;       // children seen, by name
  std::int64_t line = 0;
  bool ignored = false;                    // inside an element that is not in the layout
  std::size_t last_member = 0;             // layout position of the last child seen
  bool out_of_order = false;               // said once per element
};

class Handler final : public Poco::XML::DefaultHandler, public Poco::XML::LexicalHandler {
 public:
  Handler(sendhub::SourceContext& ctx, const Layouts& layouts, std::string file,
          const std::vector<std::string>& source_files)
      : ctx_(ctx), layouts_(layouts), file_(std::move(file)), source_files_(source_files), layout_(layouts.newest()) {}

  void setDocumentLocator(const Poco::XML::Locator* loc) override { locator_ = loc; }

  void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local,
                    const Poco::XML::XMLString& qname, const Poco::XML::Attributes&) override {
    const std::string& name = qname.empty() ? local : qname;
    if (stack_.size() >= kMaxDepth) throw FileProblem{line(), "xml.depth", "elements nested deeper than 64 levels"};
    if (stack_.empty()) return start_root(name);
    Frame& parent = stack_.back();
    const int n = ++parent.counts[name];
    Frame f{name, parent.path + "/" + name, nullptr, nullptr, parent.record, {}, line(), parent.ignored};
    if (capturing()) raw_ += "<" + name + ">";
    if (f.ignored) return stack_.push_back(std::move(f));
    if (parent.item) {
      problem(f, name, "sen2.element", "expected a value, found elements");
      f.ignored = true;
      return stack_.push_back(std::move(f));
    }
    const Member* m = parent.group->find(name);
    if (m) check_order(parent, *m, f);
    if (!m) {
      problem(f, name, "sen2.element", "element is not part of the " + std::to_string(layout_->year) + " layout");
      f.ignored = true;
    } else if (m->is_group()) {
      f.group = &layout_->group(name);
      if (f.group->kind && repeats(*f.group->kind)) f.path += "[" + std::to_string(n) + "]";
      if (f.group->kind) f.record = start_record(*f.group->kind, f, n, parent);
    } else {
      f.item = m;
      if (n > 1) problem(f, name, "sen2.repeated", "element appears more than once");
    }
    stack_.push_back(std::move(f));
    text_.clear();
  }

  void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    if (capturing() && raw_.size() < kMaxRaw) escape_into(raw_, std::string(ch + start, static_cast<std::size_t>(length)));
    if (!f.item || f.ignored) return;
    if (text_.size() + static_cast<std::size_t>(length) > kMaxValue) {
      problem(f, f.item->element, "xml.value", "value longer than 65536 characters");
      f.ignored = true;
      return;
    }
    text_.append(ch + start, static_cast<std::size_t>(length));
  }

  void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (capturing()) raw_ += "</" + f.name + ">";
    if (f.item && !f.ignored && f.record) set_item(f);
    const bool outermost_record = f.group && f.group->kind && (stack_.empty() || !stack_.back().record);
    if (outermost_record) finish_group(f);
  }

  // No DTD in a SEN2 return: refusing it rules out entity-expansion tricks.
  void startDTD(const Poco::XML::XMLString&, const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {
    throw FileProblem{line(), "xml.dtd", "a DOCTYPE is not allowed in a SEN2 return"};
  }
  void endDTD() override {}
  void startEntity(const Poco::XML::XMLString&) override {}
  void endEntity(const Poco::XML::XMLString&) override {}
  void startCDATA() override {}
  void endCDATA() override {}
  void comment(const Poco::XML::XMLChar[], int, int) override {}

  std::int64_t line() const { return locator_ ? locator_->getLineNumber() : 0; }
  bool header_seen() const { return header_seen_; }

 private:
  void start_root(const std::string& name) {
    if (name != layout_->root) throw FileProblem{line(), "sen2.root", "not a SEN2 return (root element is not Message)"};
    Frame f{name, "/" + name, &layout_->group(name), nullptr, std::nullopt, {}, line(), false};
    stack_.push_back(std::move(f));
  }

  bool capturing() const { return !records_.empty(); }

  std::size_t start_record(RecordKind kind, const Frame& f, int n, const Frame& parent) {
    if (!parent.record) {  // a new outermost group: a Person or the Header
      // Without a header a file has no year: its Persons would be taken for the newest
      // year's and overwrite that return's records (issue 15.2).
      if (kind != RecordKind::la_return && !header_seen_)
        throw FileProblem{f.line, "sen2.header", "a " + f.name + " comes before the Header: a file without a "
                                                  "header cannot be placed in a return year; nothing of it was read"};
      header_seen_ = header_seen_ || kind == RecordKind::la_return;
      records_.clear();
      problem_.reset();
      raw_ = "<" + f.name + ">";
      if (kind == RecordKind::person) ++person_position_;
    }
    Record r(kind);
    r.origin = Where{file_, f.line, f.path};
    r.return_year = layout_->year;
    const std::string year = std::to_string(layout_->year);
    if (kind == RecordKind::person) {
      person_ref_ = year + "-P" + std::to_string(person_position_);
      r.set("person_ref", person_ref_);
    } else if (kind == RecordKind::request) {
      request_ref_ = person_ref_ + "-R" + std::to_string(n);
      r.set("request_ref", request_ref_).set("person_ref", person_ref_);
    } else if (kind != RecordKind::la_return) {
      r.set("request_ref", request_ref_);
      if (sendhub::spec(kind).key_fields == 2) r.set("seq", std::to_string(n));
    }
    records_.push_back(std::move(r));
    return records_.size() - 1;
  }

  void set_item(const Frame& f) {
    Record& r = f.item->owner ? owner_record(*f.item->owner, records_[*f.record]) : records_[*f.record];
    if (sendhub::field_index(r.kind(), f.item->field) < 0) return;
    r.set(f.item->field, trimmed(text_), f.line);
    text_.clear();
  }

  // The chain's record of that kind (the plan for TransferLA), made when the return
  // has none (then it holds only these facts, and validation says what is missing).
  Record& owner_record(RecordKind kind, const Record& from) {
    const std::string ref = from.get("request_ref");
    for (auto& r : records_)
      if (r.kind() == kind && r.get("request_ref") == ref) return r;
    Record r(kind);
    r.origin = from.origin;
    r.return_year = from.return_year;
    r.set("request_ref", ref);
    records_.push_back(std::move(r));
    return records_.back();
  }

  // sen2.md §2.9: elements follow the year's order; one out of it is a query, not a reason
  // to refuse the record (what it says is still clear).
  void check_order(Frame& parent, const Member& m, const Frame& f) {
    const auto at = static_cast<std::size_t>(&m - parent.group->members.data()) + 1;
    if (at < parent.last_member && !parent.out_of_order) {
      parent.out_of_order = true;
      ctx_.query(Error(Where{file_, f.line, f.path}, f.name, "sen2.order",
                       f.name + " comes after " + parent.group->members[parent.last_member - 1].element +
                           ", against the " + std::to_string(layout_->year) + " order of " + parent.name));
    }
    parent.last_member = std::max(parent.last_member, at);
  }

  // <ActivePlans> holding only placements and needs has no review facts of its own: its
  // record would be an empty shell (the writer puts the element back around its children).
  static bool empty_shell(const Record& r) {
    if (r.kind() != RecordKind::review) return false;
    for (std::size_t i = 2; i < r.size(); ++i)  // after request_ref and seq
      if (!r.at(i).empty()) return false;
    return true;
  }

  void finish_group(const Frame& f) {
    if (f.group->kind == RecordKind::la_return) choose_layout(f);
    std::erase_if(records_, empty_shell);
    if (problem_)
      ctx_.quarantine(records_, *problem_, raw_);
    else
      ctx_.write(records_, raw_);
    records_.clear();
    problem_.reset();
    raw_.clear();
  }

  // The header's Year says which layout the rest of the file follows.
  void choose_layout(const Frame& f) {
    const std::string year_text = records_.front().get("year");
    const int year = std::atoi(year_text.c_str());
    const Layout* layout = layouts_.find(year);
    if (year_text.empty()) throw FileProblem{f.line, "sen2.year", "the header has no Year"};
    if (!layout)
      throw FileProblem{f.line, "sen2.year", "the " + year_text + " return is not supported: this sendhub reads the " +
                                                 layouts_.years_list() + " layouts (2023 had GenderCurrent and "
                                                 "AttendancePattern, sen2.md §1.4); the file was refused"};
    if (ctx_.settings().has("year") && ctx_.settings().integer("year") != year)
      throw FileProblem{f.line, "sen2.year", "file is the " + year_text + " return; this source reads " +
                                                 ctx_.settings().text("year")};
    check_reference_date(f, year);
    claim_year(f, year);
    layout_ = layout;
    records_.front().return_year = year;
    // An item the newest layout knows but this year's does not (DSCO in 2024).
    for (const char* g : {"CollectionDetails", "Source"})
      for (const auto& m : layouts_.newest()->group(g).members)
        if (!layout_->group(g).find(m.element) && !records_.front().get(m.field).empty())
          problem_.emplace(Where{file_, records_.front().line_of(m.field), "/Message/Header/" + std::string(g) + "/" + m.element},
                           m.element, "sen2.element", "element is not part of the " + year_text + " layout");
  }

  // A file's year must agree with its content: a 2026 return relabelled 2025 would
  // otherwise replace the genuine 2025 return's records. A ReferenceDate in the right year
  // but not on census day is the validator's (SEN2-H03), not a reason to refuse the file.
  void check_reference_date(const Frame& f, int year) {
    const Record& header = records_.front();
    const std::string& reference = header.get("reference_date");
    if (reference.size() < 4 || reference.compare(0, 4, std::to_string(year)) == 0) return;
    throw FileProblem{header.line_of("reference_date") > 0 ? header.line_of("reference_date") : f.line, "sen2.year",
                      "the header's Year is " + std::to_string(year) + " but its ReferenceDate falls in " +
                          reference.substr(0, 4) + " (census day " + ctx_.census_day(year) +
                          "): the file's year disagrees with its content and was refused"};
  }

  // One file per return year in a source: a second file of the same year is refused, so a
  // return never silently replaces another file's records. A return re-delivered under a
  // new name (the old file no longer matched) takes over, and the old file's records go.
  void claim_year(const Frame& f, int year) {
    const std::string key = "return_file." + std::to_string(year);
    const std::string owner = ctx_.state(key);
    if (!owner.empty() && owner != file_) {
      if (std::find(source_files_.begin(), source_files_.end(), owner) != source_files_.end())
        throw FileProblem{f.line, "sen2.duplicate_return",
                          "this source already reads the " + std::to_string(year) + " return from " + owner +
                              "; one file per return year (remove one of them); the file was refused"};
      ctx_.retire_file(owner);
      ctx_.log(sendhub::LogLevel::warning, file_ + ": the " + std::to_string(year) + " return now comes from this file; " +
                                               "the records of " + owner + ", which this source no longer matches, were removed");
    }
    ctx_.set_state(key, file_);
  }

  void problem(const Frame& f, const std::string& field, const char* rule, const std::string& message) {
    if (!records_.empty()) {
      if (!problem_) problem_.emplace(Where{file_, f.line, f.path}, field, rule, message);
      return;
    }
    // Outside any Person or Header: nothing to hang it on, so it stands alone.
    ctx_.quarantine(Error(Where{file_, f.line, f.path}, field, rule, message), "");
  }

  sendhub::SourceContext& ctx_;
  const Layouts& layouts_;
  std::string file_;
  const std::vector<std::string>& source_files_;
  bool header_seen_ = false;
  const Layout* layout_;
  const Poco::XML::Locator* locator_ = nullptr;
  std::vector<Frame> stack_;
  std::vector<Record> records_;
  std::optional<Error> problem_;
  std::string text_, raw_, person_ref_, request_ref_;
  int person_position_ = 0;
};

void read_file(sendhub::SourceContext& ctx, const Layouts& layouts, const std::string& file,
               const std::vector<std::string>& source_files) {
  if (!ctx.begin_file(file)) return;  // unchanged since read whole: its records stand
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  Handler handler(ctx, layouts, file, source_files);
  Poco::XML::SAXParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
  parser.setContentHandler(&handler);
  parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER,
                     static_cast<Poco::XML::LexicalHandler*>(&handler));
  XmlGuardBuf guard(in);
  std::istream guarded(&guard);
  Poco::XML::InputSource source(guarded);
  auto too_large = [&] {
    const auto& p = *guard.problem();
    ctx.quarantine(Error(Where{file, p.line, ""}, "", "xml.size", p.message), "");
  };
  try {
    parser.parse(&source);
    if (guard.problem()) return too_large();
  } catch (const FileProblem& p) {
    if (guard.problem()) return too_large();
    return ctx.quarantine(Error(Where{file, p.line, ""}, "", p.rule, p.message), "");
  } catch (const Poco::XML::SAXParseException& e) {
    if (guard.problem()) return too_large();
    return ctx.quarantine(Error(Where{file, e.getLineNumber(), ""}, "", "xml.malformed",
                                "malformed XML: " + e.message()), "");
  } catch (const Poco::Exception& e) {
    if (guard.problem()) return too_large();
    return ctx.quarantine(Error(Where{file, handler.line(), ""}, "", "xml.malformed",
                                "malformed XML: " + e.displayText()), "");
  }
  if (!handler.header_seen())
    return ctx.quarantine(Error(Where{file, handler.line(), "/Message"}, "Header", "sen2.header",
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
