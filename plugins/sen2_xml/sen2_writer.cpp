#include "sen2_writer.h"

#include <pugixml.hpp>

#include <map>
#include <sstream>

#include "sen2_layout.h"

namespace sen2 {
namespace {

using sendhub::Error;
using sendhub::Record;
using sendhub::RecordKind;
using sendhub::Where;

// Records of the year, each kind grouped under the key of the record it hangs from.
class Tree {
 public:
  Tree(const sendhub::SinkContext& ctx, int year) {
    for (const auto& k : sendhub::kKinds) {
      auto& owned = owned_[static_cast<std::size_t>(k.kind)];
      owned = ctx.records(k.kind, year);
      for (const auto& r : owned) children_[k.kind][parent_key(r)].push_back(&r);
    }
  }

  std::vector<const Record*> children(RecordKind kind, const Record* parent) const {
    auto it = children_.find(kind);
    if (it == children_.end()) return {};
    std::string key;
    if (parent && kind == RecordKind::request) key = parent->get("person_ref");
    else if (parent && sendhub::field_index(parent->kind(), "request_ref") >= 0) key = parent->get("request_ref");
    auto found = it->second.find(key);
    return found == it->second.end() ? std::vector<const Record*>{} : found->second;
  }

 private:
  static std::string parent_key(const Record& r) {
    switch (r.kind()) {
      case RecordKind::la_return:
      case RecordKind::person:
      case RecordKind::advice: return "";
      case RecordKind::request: return r.get("person_ref");
      default: return r.get("request_ref");
    }
  }
  std::array<std::vector<Record>, sendhub::kKinds.size()> owned_;
  std::map<RecordKind, std::map<std::string, std::vector<const Record*>>> children_;
};

// A plan's reviews are a history; a return carries the latest meeting on or before its
// census day (sen2.md §2.7, item 5.4a). Reviews without a meeting date come last, by seq.
const Record* latest_review(const std::vector<const Record*>& reviews, const std::string& census) {
  const Record* best = nullptr;
  for (const Record* r : reviews) {
    const std::string& meeting = r->get("review_meeting");
    if (!meeting.empty() && meeting > census) continue;
    if (!best || meeting > best->get("review_meeting") ||
        (meeting == best->get("review_meeting") && std::stoi(r->get("seq")) > std::stoi(best->get("seq"))))
      best = r;
  }
  return best;
}

class Emitter {
 public:
  Emitter(const Layout& layout, const Tree& tree, std::string census)
      : layout_(layout), tree_(tree), census_(std::move(census)) {}

  void group(const std::string& name, pugi::xml_node parent, const Record* current) {
    const Group& g = layout_.group(name);
    if (!g.kind) {
      auto node = parent.append_child(name.c_str());
      members(g, node, current);
      if (!node.first_child()) parent.remove_child(node);
      return;
    }
    // The record handed down is itself this group's instance (the header record).
    auto instances = current && current->kind() == *g.kind ? std::vector<const Record*>{current}
                                                           : tree_.children(*g.kind, current);
    if (*g.kind == RecordKind::review) {
      const Record* latest = latest_review(instances, census_);
      instances = latest ? std::vector<const Record*>{latest} : std::vector<const Record*>{};
    }
    for (const Record* r : instances) members(g, parent.append_child(name.c_str()), r);
    if (!instances.empty() || !current) return;
    // No record of this kind, but its child groups may have some (placements without a
    // review record): emit the group around them, and drop it again if it stays empty.
    Record stand_in(*g.kind);
    stand_in.set("request_ref", current->get("request_ref"));
    auto node = parent.append_child(name.c_str());
    members(g, node, &stand_in);
    if (!node.first_child()) parent.remove_child(node);
  }

  int persons = 0;

 private:
  void members(const Group& g, pugi::xml_node node, const Record* r) {
    if (g.kind == RecordKind::person) ++persons;
    for (const auto& m : g.members) {
      if (m.is_group()) {
        group(m.element, node, r);
        continue;
      }
      const Record* from = r && m.owner ? owner(*m.owner, *r) : r;
      const std::string& value = from ? from->get(m.field) : empty_;
      if (!value.empty()) node.append_child(m.element.c_str()).text().set(value.c_str());
    }
  }

  const Record* owner(RecordKind kind, const Record& r) const {
    auto found = tree_.children(kind, &r);
    return found.empty() ? nullptr : found.front();
  }

  const Layout& layout_;
  const Tree& tree_;
  std::string census_;
  const std::string empty_;
};

// The header's LA facts: from the return loaded for that year, else from the settings.
Record header(const sendhub::SinkContext& ctx, const Tree& tree, int year) {
  auto found = tree.children(RecordKind::la_return, nullptr);
  if (!found.empty()) return *found.front();
  const auto& s = ctx.settings();
  Record r(RecordKind::la_return);
  r.set("year", std::to_string(year)).set("lea", s.has("lea") ? s.text("lea") : ctx.la_code());
  r.set("dmo", s.text("dmo")).set("dco", s.text("dco")).set("dsco", s.text("dsco"));
  if (r.get("lea").empty())
    throw Error(Where{}, "lea", "sen2.header", "no LA code: load a return for this year, or set la.code");
  return r;
}

}  // namespace

void Sen2Sink::write(sendhub::SinkContext& ctx) {
  const auto& s = ctx.settings();
  const int year = static_cast<int>(s.integer("year"));
  Layouts layouts(ctx.schemas_dir());
  const Layout* layout = layouts.find(year);
  const std::string census = ctx.census_day(year);
  if (!layout)
    throw Error(Where{}, "year", "sen2.year", "no SEN2 layout for " + std::to_string(year) +
                                                  " (known: " + layouts.years_list() + ")");
  if (auto errors = ctx.validation_errors(year); errors > 0 && !s.boolean("force"))
    throw Error(Where{}, "", "sen2.errors",
                "the " + std::to_string(year) + " return has " + std::to_string(errors) +
                    " validation errors: fix them first (see sendhub runs / validation_issues), or force it "
                    "(sink key force, or sendhub export --force)");
  Tree tree(ctx, year);
  // The LA facts as loaded; the file facts are this file's own.
  Record head = header(ctx, tree, year);
  std::string stamp = ctx.data_timestamp();
  head.set("collection", "SEN2").set("reference_date", census).set("source_level", "L");
  head.set("software_code", s.text("software_code")).set("release", s.text("release"));
  head.set("serial_no", s.text("serial_no"));
  head.set("datetime", stamp.empty() ? census + "T00:00:00" : stamp);
  Emitter emit(*layout, tree, census);

  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child(layout->root.c_str());
  for (const auto& m : layout->group(layout->root).members)
    emit.group(m.element, root, m.element == "Header" ? &head : nullptr);

  std::ostringstream xml;
  doc.save(xml, "  ", pugi::format_default, pugi::encoding_utf8);
  auto out = ctx.create_output(s.path("out"));
  out->write(xml.str());
  out->commit();
  ctx.log(sendhub::LogLevel::info, "wrote the " + std::to_string(year) + " return: " +
                                       std::to_string(emit.persons) + " persons, " + s.text("out"));
}

}  // namespace sen2
