#include "blade_reader.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "csv_line.h"
#include "sen2_layout.h"

namespace sen2 {
namespace {

namespace fs = std::filesystem;
using sendhub::Error;
using sendhub::Record;
using sendhub::RecordKind;
using sendhub::Where;

const char* const kModules[] = {"sen2", "person", "requests", "assessment", "namedplan",
                                "plandetail", "activeplans", "placementdetail", "senneed"};

struct Row {
  std::int64_t line = 0;
  std::map<std::string, std::string> cells;   // lower-case column -> value
  std::string raw;
  const std::string& get(const std::string& column) const {
    static const std::string none;
    auto it = cells.find(column);
    return it == cells.end() ? none : it->second;
  }
};

struct Module {
  std::string file;
  std::vector<Row> rows;
  std::multimap<std::string, const Row*> by_parent;   // parent's table id -> rows, in order
};

Module read_module(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(Where{file, 0, ""}, "path", "blade.file", "cannot read the file");
  Module m{file, {}, {}};
  std::string line;
  std::getline(in, line);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  std::vector<std::string> head = plugin_support::split_csv_line(line);
  for (auto& h : head) h = Poco::toLower(Poco::trim(h));   // headers matched by name, any case
  for (std::int64_t n = 2; std::getline(in, line); ++n) {
    if (line.empty() || line == "\r") continue;
    const auto f = plugin_support::split_csv_line(line);
    if (f.size() != head.size())
      throw Error(Where{file, n, ""}, "", "blade.row", "the row has " + std::to_string(f.size()) + " fields, the header " +
                                                             std::to_string(head.size()));
    Row r{n, {}, line};
    for (std::size_t i = 0; i < head.size(); ++i) r.cells[head[i]] = Poco::trim(f[i]);
    m.rows.push_back(std::move(r));
  }
  return m;
}

std::string module_of(const Group& g) { return g.element == "Header" ? "sen2" : Poco::toLower(g.element); }

// The items of a record group, with the ones of its record-less subgroups (the Header's
// CollectionDetails and Source): what its module's columns may be.
void items_of(const Layout& layout, const Group& g, std::vector<const Member*>& out, std::vector<const Group*>& children) {
  for (const auto& m : g.members) {
    if (!m.is_group()) {
      out.push_back(&m);
      continue;
    }
    const Group& sub = layout.group(m.element);
    if (sub.kind) children.push_back(&sub);
    else if (sub.element != "Persons") items_of(layout, sub, out, children);
    else children.push_back(&layout.group("Person"));
  }
}

class Export {
 public:
  Export(sendhub::SourceContext& ctx, const Layouts& layouts, std::map<std::string, Module> modules)
      : ctx_(ctx), layouts_(layouts), modules_(std::move(modules)), owner_(modules_.at("sen2").file) {}

  void read() {
    const Module& header = modules_.at("sen2");
    if (header.rows.size() != 1)
      throw Error(Where{owner_, 0, ""}, "", "blade.header", "the sen2 module must hold one row (it holds " +
                                                                 std::to_string(header.rows.size()) + ")");
    const std::string year_text = header.rows[0].get("year");
    layout_ = layouts_.find(std::atoi(year_text.c_str()));
    if (!layout_)
      throw Error(Where{owner_, header.rows[0].line, ""}, "year", "blade.year",
                  "the " + year_text + " return is not supported: this sendhub reads the " + layouts_.years_list() + " layouts");
    year_ = layout_->year;
    check_columns(layout_->group("Header"), "");
    check_columns(layout_->group("Person"), "sen2");
    index("person", "sen2");
    index_children(layout_->group("Person"));
    std::vector<Record> group;
    emit(layout_->group("Header"), header.rows[0], group);
    write(group, header.rows[0].raw);
    int position = 0;
    for (const Row* p : children_of("person", header.rows[0].get("sen2tableid"))) {
      group.clear();
      person_ref_ = std::to_string(year_) + "-P" + std::to_string(++position);
      emit(layout_->group("Person"), *p, group);
      write(group, raw_);
    }
  }

 private:
  // Every column must be the module's bookkeeping or an item of the year's layout (blade.md).
  void check_columns(const Group& g, const std::string& parent) {
    std::vector<const Member*> items;
    std::vector<const Group*> children;
    items_of(*layout_, g, items, children);
    const std::string module = module_of(g);
    auto it = modules_.find(module);
    if (it != modules_.end() && !it->second.rows.empty()) {
      std::vector<std::string> known = {module + "tableid", "nativeid", module + "orderseqcolumn", "sourceid"};
      if (!parent.empty()) known.push_back(parent + "tableid");
      for (const Member* m : items) known.push_back(Poco::toLower(m->element));
      for (const auto& [column, value] : it->second.rows.front().cells)
        if (std::find(known.begin(), known.end(), column) == known.end())
          throw Error(Where{it->second.file, 1, ""}, column, "blade.column",
                      "a column the " + std::to_string(year_) + " layout does not know (blade.md); the export was not read");
    }
    for (const Group* c : children) check_columns(*c, module);
  }

  // A module's rows by their parent's table id, each parent's in the export's order.
  void index(const std::string& module, const std::string& parent) {
    auto it = modules_.find(module);
    if (it == modules_.end()) return;
    std::vector<const Row*> rows;
    for (const auto& r : it->second.rows) rows.push_back(&r);
    const std::string seq = module + "orderseqcolumn";
    std::stable_sort(rows.begin(), rows.end(), [&](const Row* a, const Row* b) {
      return std::atoll(a->get(seq).c_str()) < std::atoll(b->get(seq).c_str());
    });
    for (const Row* r : rows) it->second.by_parent.emplace(r->get(parent + "tableid"), r);
  }

  void index_children(const Group& g) {
    std::vector<const Member*> items;
    std::vector<const Group*> children;
    items_of(*layout_, g, items, children);
    for (const Group* c : children) {
      index(module_of(*c), module_of(g));
      index_children(*c);
    }
  }

  std::vector<const Row*> children_of(const std::string& module, const std::string& parent_id) const {
    std::vector<const Row*> out;
    auto it = modules_.find(module);
    if (it == modules_.end()) return out;
    auto [from, to] = it->second.by_parent.equal_range(parent_id);
    for (auto i = from; i != to; ++i) out.push_back(i->second);
    return out;
  }

  // 2022-Sep-28 00:00:00 -> 2022-09-28 for a date; the DateTime item keeps its time.
  std::string value_of(const Member& m, RecordKind kind, const std::string& text) const {
    if (text.empty()) return text;
    const int i = sendhub::field_index(m.owner ? *m.owner : kind, m.field);
    const bool date = i >= 0 && sendhub::spec(m.owner ? *m.owner : kind).fields[static_cast<std::size_t>(i)].type == sendhub::FieldType::date;
    if (date) return ctx_.parse_date(text, {"%Y-%b-%d %H:%M:%S", "%Y-%b-%d", "%Y-%m-%d"}).value_or(text);
    if (m.field == "datetime" && text.size() >= 20 && text[4] == '-' && std::isalpha(static_cast<unsigned char>(text[5])))
      if (auto d = ctx_.parse_date(text.substr(0, 11), {"%Y-%b-%d"})) return *d + "T" + text.substr(12);
    if (auto code = m.codes.find(text); code != m.codes.end()) return code->second;
    return text;
  }

  Record& record(std::vector<Record>& group, RecordKind kind, const Row& row, const Module& module, int n) {
    Record& r = group.emplace_back(kind);
    r.origin = Where{owner_, row.line, fs::path(module.file).filename().string()};
    r.return_year = year_;
    if (kind == RecordKind::la_return) return r;
    if (kind == RecordKind::person) {
      r.set("person_ref", person_ref_);
    } else if (kind == RecordKind::request) {
      request_ref_ = person_ref_ + "-R" + std::to_string(n);
      r.set("request_ref", request_ref_).set("person_ref", person_ref_);
    } else {
      r.set("request_ref", request_ref_);
      if (sendhub::spec(kind).key_fields == 2) r.set("seq", std::to_string(n));
    }
    return r;
  }

  Record& owner(std::vector<Record>& group, RecordKind kind, const Record& from) {
    for (auto& r : group)
      if (r.kind() == kind && r.get("request_ref") == from.get("request_ref")) return r;
    Record& r = group.emplace_back(kind);
    r.origin = from.origin;
    r.return_year = year_;
    r.set("request_ref", from.get("request_ref"));
    return r;
  }

  void emit(const Group& g, const Row& row, std::vector<Record>& group, int n = 1) {
    const std::string module = module_of(g);
    const Module& mod = modules_.at(module);
    if (g.kind == RecordKind::person) raw_.clear();
    raw_ += fs::path(mod.file).filename().string() + ":" + std::to_string(row.line) + ": " + row.raw + "\n";
    std::size_t at = group.size();
    record(group, *g.kind, row, mod, n);
    std::vector<const Member*> items;
    std::vector<const Group*> children;
    items_of(*layout_, g, items, children);
    for (const Member* m : items) {
      const std::string value = value_of(*m, *g.kind, row.get(Poco::toLower(m->element)));
      if (value.empty()) continue;
      Record& r = m->owner ? owner(group, *m->owner, group[at]) : group[at];
      if (m->extra) r.extras[m->field] = value;
      else r.set(m->field, value, row.line);
    }
    if (g.kind == RecordKind::review && empty_review(group[at])) group.erase(group.begin() + static_cast<std::ptrdiff_t>(at));
    for (const Group* c : children) {
      int k = 0;
      for (const Row* child : children_of(module_of(*c), row.get(module + "tableid"))) emit(*c, *child, group, ++k);
    }
  }

  static bool empty_review(const Record& r) {
    if (!r.extras.empty()) return false;
    for (std::size_t i = 2; i < r.size(); ++i)
      if (!r.at(i).empty()) return false;
    return true;
  }

  void write(std::vector<Record>& group, const std::string& raw) { ctx_.write(group, raw); }

  sendhub::SourceContext& ctx_;
  const Layouts& layouts_;
  std::map<std::string, Module> modules_;
  std::string owner_;
  const Layout* layout_ = nullptr;
  int year_ = 0;
  std::string person_ref_, request_ref_, raw_;
};

}  // namespace

void BladeSource::read(sendhub::SourceContext& ctx) {
  const Layouts layouts(ctx.schemas_dir());
  // Blade-Export_<DD-MM-YYYY>_<module>.csv: the exports, by everything before the module.
  static const std::regex kName(R"((.*)_(sen2|person|requests|assessment|namedplan|plandetail|activeplans|placementdetail|senneed)\.csv)",
                                std::regex::icase);
  std::map<std::string, std::map<std::string, std::string>> exports;
  for (const auto& f : ctx.settings().glob("path")) {
    std::smatch m;
    const std::string name = fs::path(f).filename().string();
    if (!std::regex_match(name, m, kName)) {
      ctx.quarantine(Error(Where{f, 0, ""}, "path", "blade.name",
                           "not a Blade export file: its name must end _<module>.csv with a SEN2 module (blade.md)"), "");
      continue;
    }
    exports[(fs::path(f).parent_path() / m[1].str()).string()][Poco::toLower(m[2].str())] = f;
  }
  if (exports.empty())
    throw Error(Where{ctx.settings().path("path"), 0, ""}, "path", "source.glob", "no Blade export file matches");
  for (const auto& [prefix, files] : exports) {
    if (!files.count("sen2") || !files.count("person")) {
      ctx.quarantine(Error(Where{files.begin()->second, 0, ""}, "path", "blade.modules",
                           "the export has no sen2 or no person module: nothing of it was read"), "");
      continue;
    }
    std::vector<std::string> list;   // the sen2 module first: the records are kept under it
    for (const char* m : kModules)
      if (files.count(m)) list.push_back(files.at(m));
    if (!ctx.begin_files(list)) continue;
    std::map<std::string, Module> modules;
    try {
      for (const char* m : kModules)
        if (files.count(m)) modules.emplace(m, read_module(files.at(m)));
      Export(ctx, layouts, std::move(modules)).read();
    } catch (const Error& e) {   // the export as a whole is refused; its earlier records stand
      ctx.quarantine(e, "");
      continue;
    }
    ctx.end_file();
  }
}

}  // namespace sen2
