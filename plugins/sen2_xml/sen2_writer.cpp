// sen2_writer.cpp: the sen2_xml sink. The return of one year is assembled from the whole
// linked dataset (return_assembly.h), validated with the rule catalogue person by person,
// and streamed as XML into its output file; it is published only when it has no errors
// (or is forced). return_readiness_YYYY.csv/.html beside it say what blocks the upload,
// return_reconciliation_YYYY.csv how it balances against the year before.
#include "sen2_writer.h"

#include <array>
#include <filesystem>
#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

#include "json_list.h"
#include "readiness_report.h"
#include "reconciliation.h"
#include "return_assembly.h"
#include "sen2_layout.h"

namespace sen2 {
namespace {

using sendhub::Error;
using sendhub::Record;
using sendhub::RecordKind;
using sendhub::Where;

// One group of records (the header, or one person with its chains) indexed by parent. Looked
// up for every element of every person: no key or list is copied on the way.
class Tree {
 public:
  explicit Tree(const std::vector<Record>& group) {
    for (const auto& r : group) children_[static_cast<std::size_t>(r.kind())][parent_key(r)].push_back(&r);
  }

  const std::vector<const Record*>& children(RecordKind kind, const Record* parent) const {
    const auto& of_kind = children_[static_cast<std::size_t>(kind)];
    if (of_kind.empty()) return none_;
    const std::string* key = &empty_;
    if (parent && kind == RecordKind::request) key = &parent->get("person_ref");
    else if (parent && sendhub::field_index(parent->kind(), "request_ref") >= 0) key = &parent->get("request_ref");
    auto found = of_kind.find(*key);
    return found == of_kind.end() ? none_ : found->second;
  }

 private:
  static const std::string& parent_key(const Record& r) {
    static const std::string none;
    switch (r.kind()) {
      case RecordKind::la_return:
      case RecordKind::person:
      case RecordKind::advice: return none;
      case RecordKind::request: return r.get("person_ref");
      default: return r.get("request_ref");
    }
  }
  std::array<std::map<std::string, std::vector<const Record*>>, sendhub::kKinds.size()> children_;
  const std::vector<const Record*> none_;
  const std::string empty_;
};

// XML text as pugixml's default format writes it (two-space indent, one element a line),
// so a return read and written again is byte-identical apart from the header's file facts.
void escape_into(std::string& out, const std::string& text) {
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
      out.append("&#").append(std::to_string(static_cast<int>(c))).append(";");
    else out += c;
  }
}

class Emitter {
 public:
  Emitter(const Layout& layout, const Tree& tree) : layout_(layout), tree_(tree) {}

  // Appends the group's XML at `depth`; a group with no content is left out.
  void group(const std::string& name, std::string& out, int depth, const Record* current) {
    const Group& g = layout_.group(name);
    if (!g.kind) return element(g, out, depth, current);
    if (current && current->kind() == *g.kind) return element(g, out, depth, current);
    const auto& instances = tree_.children(*g.kind, current);
    for (const Record* r : instances) element(g, out, depth, r);
    if (!instances.empty() || !current) return;
    // No record of this kind, but its child groups or another record's items may have
    // some (ActivePlans with placements and no review): the group stands around them.
    Record stand_in(*g.kind);
    stand_in.set("request_ref", current->get("request_ref"));
    element(g, out, depth, &stand_in);
  }

 private:
  // Written into `out` as it goes (no string per element): the opening tag first, taken back
  // when no member had content.
  void element(const Group& g, std::string& out, int depth, const Record* r) {
    const std::size_t start = out.size();
    indent(out, depth).append("<").append(g.element).append(">\n");
    const std::size_t opened = out.size();
    for (const auto& m : g.members) {
      if (m.is_group()) {
        group(m.element, out, depth + 1, r);
        continue;
      }
      const Record* from = r && m.owner ? owner(*m.owner, *r) : r;
      const std::string* value = &empty_;   // no copy on the common path
      if (from && m.extra) {
        if (auto it = from->extras.find(m.field); it != from->extras.end()) value = &it->second;
      } else if (from && !m.codes.empty()) {
        coded_ = m.element_text(from->get(m.field));
        value = &coded_;
      } else if (from) {
        value = &from->get(m.field);
      }
      if (value->empty()) continue;
      indent(out, depth + 1).append("<").append(m.element).append(">");
      escape_into(out, *value);
      out.append("</").append(m.element).append(">\n");
    }
    if (out.size() == opened) return out.resize(start);
    indent(out, depth).append("</").append(g.element).append(">\n");
  }

  static std::string& indent(std::string& out, int depth) {
    return out.append(2 * static_cast<std::size_t>(depth), ' ');
  }

  const Record* owner(RecordKind kind, const Record& r) const {
    const auto& found = tree_.children(kind, &r);
    return found.empty() ? nullptr : found.front();
  }

  const Layout& layout_;
  const Tree& tree_;
  const std::string empty_;
  std::string coded_;   // an item written through its year's code map
};

// The header: the sink's lea (default la.code), dmo, dco and dsco, else the LA facts of
// the return of that year as loaded; the file facts are this file's own.
Record header(sendhub::SinkContext& ctx, int year, const std::string& census) {
  const auto& s = ctx.settings();
  Record loaded(RecordKind::la_return);
  for (const auto& r : ctx.loaded_returns())
    if (r.return_year == year) loaded = r;
  Record r(RecordKind::la_return);
  r.set("year", std::to_string(year));
  r.set("lea", s.has("lea") ? s.text("lea") : !ctx.la_code().empty() ? ctx.la_code() : loaded.get("lea"));
  for (const char* f : {"dmo", "dco", "dsco"}) r.set(f, s.has(f) ? s.text(f) : loaded.get(f));
  if (r.get("lea").empty())
    throw Error(Where{}, "lea", "sen2.header", "no LA code: set la.code, or the sink's lea");
  const std::string stamp = ctx.data_timestamp();
  r.set("collection", "SEN2").set("reference_date", census).set("source_level", "L");
  r.set("software_code", s.text("software_code")).set("release", s.text("release"));
  r.set("serial_no", s.text("serial_no"));
  r.set("datetime", stamp.empty() ? census + "T00:00:00" : stamp);
  r.origin.path = "/Message/Header";
  return r;
}

void write_readiness(sendhub::SinkContext& ctx, const std::string& out, const ReadinessReport& report,
                     const sendhub::ReturnYear& y) {
  const std::filesystem::path base =
      std::filesystem::path(out).parent_path() / ("return_readiness_" + std::to_string(y.year));
  auto csv = ctx.create_output(base.string() + ".csv");
  report.write_csv(*csv);
  csv->commit();
  auto html = ctx.create_output(base.string() + ".html");
  report.write_html(*html, y.year, y.deadline);
  html->commit();
}

std::vector<std::string> transfer_out_reasons(const std::string& schemas_dir) {
  const std::string file = schemas_dir + "/sen2/reconciliation.json";
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> out;
  try {
    const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(text.str());
    out = plugin_support::string_list(parsed.extract<Poco::JSON::Object::Ptr>()->getArray("transfer_out_cease_reasons"));
  } catch (const std::exception& e) {
    throw Error(Where{file, 0, ""}, "", "schema", std::string("cannot read the reconciliation settings: ") + e.what());
  }
  return out;
}

void add_plans(const std::vector<Record>& group, Reconciliation& rec, bool current) {
  const std::string& person_key = group.front().get("person_ref");
  for (const auto& r : group)
    if (r.kind() == RecordKind::plan) (current ? rec.current(r, person_key, r.get("request_ref")) : rec.previous(r, person_key, r.get("request_ref")));
}

// The return of the year before, for each person as the assembly streams them: as loaded
// when one was, else assembled from the same person's dataset records.
class PreviousReturn {
 public:
  PreviousReturn(sendhub::SinkContext& ctx, int year, Reconciliation& rec)
      : rec_(rec), assembly_(ctx, ctx.return_year(year - 1)) {
    for (const auto& r : ctx.loaded_returns()) loaded_ = loaded_ || r.return_year == year - 1;
    rec.set_previous_source("the " + std::to_string(year - 1) + " return " +
                            (loaded_ ? "as loaded" : "assembled from the dataset"));
    year_ = year - 1;
  }
  // Every group of the dataset, whether this year's return reports it or not.
  void add(const sendhub::PersonGroup& g) {
    if (loaded_) {
      for (const auto& r : g.loaded)
        if (r.kind() == RecordKind::plan && r.return_year == year_) rec_.previous(r, r.person_key, r.get("request_ref"));
    } else if (auto before = assembly_.assemble(g); !before.empty()) {
      add_plans(before, rec_, false);
    }
  }

 private:
  Reconciliation& rec_;
  ReturnAssembly assembly_;
  bool loaded_ = false;
  int year_ = 0;
};

void write_reconciliation(sendhub::SinkContext& ctx, const std::string& out, const Reconciliation& rec, int year) {
  const std::filesystem::path file =
      std::filesystem::path(out).parent_path() / ("return_reconciliation_" + std::to_string(year) + ".csv");
  auto csv = ctx.create_output(file.string());
  csv->write(rec.csv());
  csv->commit();
}

}  // namespace

void Sen2Sink::write(sendhub::SinkContext& ctx) {
  const auto& s = ctx.settings();
  const int year = static_cast<int>(s.integer("year"));
  Layouts layouts(ctx.schemas_dir());
  const Layout* layout = layouts.find(year);
  if (!layout)
    throw Error(Where{}, "year", "sen2.year", "no SEN2 layout for " + std::to_string(year) +
                                                  " (known: " + layouts.years_list() + ")");
  const sendhub::ReturnYear y = ctx.return_year(year);
  ReadinessReport report;
  const Record head = header(ctx, year, y.reference_date);
  report.add(ctx.check_return(year, {head}));

  auto out = ctx.create_output(s.path("out"));
  std::string text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + layout->root + ">\n";
  const std::vector<Record> header_group{head};
  Tree header_tree(header_group);
  Emitter(*layout, header_tree).group("Header", text, 1, &head);
  text += "  <Persons>\n";
  out->write(text);
  Reconciliation rec(ctx.census_day(year - 1), y.reference_date, transfer_out_reasons(ctx.schemas_dir()));
  PreviousReturn previous(ctx, year, rec);
  ReturnAssembly assembly(ctx, y, {year - 1});
  std::string xml;   // one person's, its buffer reused
  const bool force = s.boolean("force");
  assembly.each(
      [&](std::vector<Record>& person, const sendhub::PersonGroup& from) {
        report.add(ctx.check_return(year, person));
        previous.add(from);
        add_plans(person, rec, true);
        rec.end_person();
        // A return with an error is withheld (below) and its file never published: from the
        // first error on, the people are checked and counted but not written: in the weeks a
        // council fixes its errors run after run, a fifth of the sink's time at 100,000 children.
        if (report.errors() > 0 && !force) return;
        Tree tree(person);
        xml.clear();
        Emitter(*layout, tree).group("Person", xml, 2, &person.front());
        out->write(xml);
      },
      [&](const sendhub::PersonGroup& from) {
        previous.add(from);
        rec.end_person();
      });
  out->write("  </Persons>\n</" + layout->root + ">\n");

  const auto& n = assembly.counts();
  if (n.persons == 0)
    throw Error(Where{}, "year", "sen2.empty",
                "no person is in scope of the " + std::to_string(year) + " return (census day " + y.reference_date +
                    ", period " + y.period_start + " to " + y.period_end + "): " + std::to_string(n.cases_seen) +
                    " cases in the dataset, none in the period or active in it" +
                    (n.unlinked_cases ? ", " + std::to_string(n.unlinked_cases) + " not linked to a person" : ""));
  write_readiness(ctx, s.path("out"), report, y);
  write_reconciliation(ctx, s.path("out"), rec, year);
  ctx.log(sendhub::LogLevel::info, "reconciliation with " + std::to_string(year - 1) + ": " + rec.summary());
  ctx.note(report.verdict() + "; " + rec.summary());
  ctx.log(sendhub::LogLevel::info, "the " + std::to_string(year) + " return: " + report.verdict() + " (" +
                                       std::to_string(n.persons) + " persons, " + std::to_string(n.chains) +
                                       " cases, " + std::to_string(n.historical) + " historical)");
  if (report.errors() > 0 && !force)
    return ctx.refuse(Error(Where{}, "", "sen2.errors",
                            "the " + std::to_string(year) + " return was not written: " + report.verdict() +
                                "; see return_readiness_" + std::to_string(year) + ".html, or force it (sink key force, sendhub export --force)"));
  out->commit();
  ctx.log(sendhub::LogLevel::info, "wrote the " + std::to_string(year) + " return: " + std::to_string(n.persons) +
                                       " persons, " + s.text("out"));
}

}  // namespace sen2
