#include "sen2_reader.h"

#include <pugixml.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "sen2_layout.h"

namespace sen2 {
namespace {

using sendhub::Error;
using sendhub::Record;
using sendhub::RecordKind;
using sendhub::Where;

// Byte offset -> 1-based line, for messages that say where in the file.
class LineIndex {
 public:
  explicit LineIndex(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') newlines_.push_back(i);
  }
  std::int64_t line(std::ptrdiff_t offset) const {
    if (offset < 0) return 0;
    auto it = std::lower_bound(newlines_.begin(), newlines_.end(), static_cast<std::size_t>(offset));
    return static_cast<std::int64_t>(it - newlines_.begin()) + 1;
  }

 private:
  std::vector<std::size_t> newlines_;
};

bool repeats(RecordKind kind) {
  return kind == RecordKind::person || kind == RecordKind::request || sendhub::spec(kind).key_fields == 2;
}

std::string trimmed(const char* s) {
  std::string v(s);
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  v.erase(v.begin(), std::find_if(v.begin(), v.end(), not_space));
  v.erase(std::find_if(v.rbegin(), v.rend(), not_space).base(), v.end());
  return v;
}

// Walks one subtree by the year's layout into records. It does not stop at the first
// problem: it keeps building so that every record's key is known, and reports the first.
class Walker {
 public:
  Walker(const Layout& layout, const std::string& file, const LineIndex& lines)
      : layout_(layout), file_(file), lines_(lines) {}

  std::vector<Record> records;
  std::optional<Error> problem;

  void walk(const pugi::xml_node& node, const Group& g, std::optional<std::size_t> current,
            const std::string& path, int position) {
    if (g.kind) current = start_record(node, *g.kind, path, position);
    std::map<std::string, int> seen;
    for (auto child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      const std::string name = child.name();
      const int n = ++seen[name];
      const Member* m = g.find(name);
      std::string child_path = path + "/" + name;
      if (m && m->is_group() && layout_.group(name).kind && repeats(*layout_.group(name).kind))
        child_path += "[" + std::to_string(n) + "]";
      if (!m) {
        fail(child, child_path, name, "sen2.element",
             "element is not part of the " + std::to_string(layout_.year) + " layout");
      } else if (m->is_group()) {
        walk(child, layout_.group(name), current, child_path, n);
      } else {
        item(child, *m, current, child_path, n);
      }
    }
  }

  int person_position = 0;

 private:
  std::size_t start_record(const pugi::xml_node& node, RecordKind kind, const std::string& path, int n) {
    Record r(kind);
    r.origin = Where{file_, lines_.line(node.offset_debug()), path};
    r.return_year = layout_.year;
    const std::string year = std::to_string(layout_.year);
    switch (kind) {
      case RecordKind::person:
        person_ref_ = year + "-P" + std::to_string(person_position);
        r.set("person_ref", person_ref_);
        break;
      case RecordKind::request:
        request_ref_ = person_ref_ + "-R" + std::to_string(n);
        r.set("request_ref", request_ref_).set("person_ref", person_ref_);
        break;
      case RecordKind::la_return: break;
      default:
        r.set("request_ref", request_ref_);
        if (sendhub::spec(kind).key_fields == 2) r.set("seq", std::to_string(n));
    }
    records.push_back(std::move(r));
    return records.size() - 1;
  }

  void item(const pugi::xml_node& node, const Member& m, std::optional<std::size_t> current,
            const std::string& path, int n) {
    if (node.first_child() && node.first_child().type() == pugi::node_element)
      return fail(node, path, m.element, "sen2.element", "expected a value, found elements");
    if (n > 1) return fail(node, path, m.element, "sen2.repeated", "element appears more than once");
    if (m.field[0] == '$' || !current) return;  // a file fact: the sink writes its own
    records[*current].set(m.field, trimmed(node.child_value()));
  }

  void fail(const pugi::xml_node& node, const std::string& path, const std::string& field,
            const char* rule, const std::string& message) {
    if (!problem) problem.emplace(Where{file_, lines_.line(node.offset_debug()), path}, field, rule, message);
  }

  const Layout& layout_;
  const std::string& file_;
  const LineIndex& lines_;
  std::string person_ref_, request_ref_;
};

std::string raw_xml(const pugi::xml_node& node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw);
  return out.str();
}

std::optional<std::string> read_whole(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void quarantine_file(sendhub::SourceContext& ctx, const std::string& file, std::int64_t line,
                     const char* rule, const std::string& message) {
  ctx.quarantine(Error(Where{file, line, ""}, "", rule, message), "");
}

void write_group(sendhub::SourceContext& ctx, Walker& w, const pugi::xml_node& node) {
  if (w.problem)
    ctx.quarantine(w.records, *w.problem, raw_xml(node));
  else
    ctx.write(w.records, raw_xml(node));
  w.records.clear();
  w.problem.reset();
}

void read_file(sendhub::SourceContext& ctx, const Layouts& layouts, const std::string& file) {
  ctx.begin_file(file);
  auto text = read_whole(file);
  if (!text) throw Error(Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  LineIndex lines(*text);
  pugi::xml_document doc;
  auto parsed = doc.load_buffer_inplace(text->data(), text->size(), pugi::parse_default);
  if (!parsed)
    return quarantine_file(ctx, file, lines.line(parsed.offset), "xml.malformed",
                           std::string("malformed XML: ") + parsed.description());
  auto root = doc.document_element();
  std::string year_text = trimmed(root.child("Header").child("CollectionDetails").child("Year").child_value());
  int year = std::atoi(year_text.c_str());
  const Layout* layout = layouts.find(year);
  if (std::string(root.name()) != "Message" || year_text.empty())
    return quarantine_file(ctx, file, lines.line(root.offset_debug()), "sen2.root",
                           "not a SEN2 return (no Message/Header/CollectionDetails/Year)");
  if (!layout)
    return quarantine_file(ctx, file, 0, "sen2.year",
                           "no SEN2 layout for return year " + year_text + " (known: " + layouts.years_list() + ")");
  if (ctx.settings().has("year") && ctx.settings().integer("year") != year)
    return quarantine_file(ctx, file, 0, "sen2.year", "file is the " + year_text + " return; this source reads " +
                                                          ctx.settings().text("year"));
  Walker w(*layout, file, lines);
  const Group& message = layout->group(layout->root);
  for (auto child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string name = child.name();
    const std::string path = "/" + layout->root + "/" + name;
    if (name == "Persons") {
      for (auto person : child.children()) {
        if (person.type() != pugi::node_element) continue;
        ++w.person_position;
        if (std::string(person.name()) != "Person") {
          ctx.quarantine(Error(Where{file, lines.line(person.offset_debug()), path + "/" + person.name()},
                               person.name(), "sen2.element", "element is not part of the layout"),
                         raw_xml(person));
          continue;
        }
        w.walk(person, layout->group("Person"), std::nullopt,
               path + "/Person[" + std::to_string(w.person_position) + "]", w.person_position);
        write_group(ctx, w, person);
      }
    } else if (message.find(name)) {
      w.walk(child, layout->group(name), std::nullopt, path, 1);
      write_group(ctx, w, child);
    } else {
      ctx.quarantine(Error(Where{file, lines.line(child.offset_debug()), path}, name, "sen2.element",
                           "element is not part of the layout"), raw_xml(child));
    }
  }
  ctx.end_file();
}

}  // namespace

void Sen2Source::read(sendhub::SourceContext& ctx) {
  Layouts layouts(ctx.schemas_dir());
  auto files = ctx.settings().glob("path");
  if (files.empty())
    throw Error(Where{ctx.settings().path("path"), 0, ""}, "path", "input.missing", "no file matches");
  for (const auto& file : files) read_file(ctx, layouts, file);
}

}  // namespace sen2
