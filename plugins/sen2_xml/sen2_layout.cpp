#include "sen2_layout.h"

#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <regex>
#include <sstream>

namespace sen2 {
namespace fs = std::filesystem;
using Poco::JSON::Object;
using sendhub::Error;
using sendhub::Where;

namespace {

Object::Ptr parse_file(const std::string& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  try {
    return Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    throw Error(Where{file, 0, ""}, "", "schema", std::string("cannot read SEN2 schema file: ") + e.what());
  }
}

std::optional<sendhub::RecordKind> kind_named(const std::string& name, const std::string& file) {
  for (const auto& k : sendhub::kKinds)
    if (k.name == name) return k.kind;
  throw Error(Where{file, 0, ""}, "record", "schema", "unknown record kind " + name);
}

Group read_group(const std::string& element, const Object& obj, const std::string& file) {
  Group g{element, std::nullopt, {}};
  if (obj.has("record")) g.kind = kind_named(obj.getValue<std::string>("record"), file);
  auto members = obj.getArray("members");
  for (std::size_t i = 0; members && i < members->size(); ++i) {
    auto m = members->getArray(static_cast<unsigned>(i));
    Member member;
    member.element = m->getElement<std::string>(0);
    member.field = m->size() > 1 ? m->getElement<std::string>(1) : "";
    if (member.field.rfind("extras.", 0) == 0) {
      member.extra = true;
      member.field = member.field.substr(7);
    } else if (auto dot = member.field.find('.'); dot != std::string::npos) {
      member.owner = kind_named(member.field.substr(0, dot), file);
      member.field = member.field.substr(dot + 1);
    }
    if (m->size() > 2)
      for (const auto& [text, value] : *m->getObject(2)) member.codes[text] = value.toString();
    const auto kind = member.owner ? member.owner : g.kind;
    if (kind && !member.is_group() && !member.extra && sendhub::field_index(*kind, member.field) < 0)
      throw Error(Where{file, 0, ""}, member.field, "schema", "field is not in record kind of " + element);
    if (g.find(member.element))   // the reader finds a child by its name
      throw Error(Where{file, 0, ""}, member.element, "schema", "element listed twice in " + element);
    g.members.push_back(std::move(member));
  }
  return g;
}

}  // namespace

std::string Member::element_text(const std::string& value) const {
  for (const auto& [text, v] : codes)
    if (v == value && !value.empty()) return text;
  return value;
}

const Member* Group::find(std::string_view element_name, std::size_t from) const {
  for (std::size_t i = from; i < members.size(); ++i)
    if (members[i].element == element_name) return &members[i];
  for (std::size_t i = 0; i < from && i < members.size(); ++i)
    if (members[i].element == element_name) return &members[i];
  return nullptr;
}

Layouts::Layouts(const std::string& schemas_dir) {
  const fs::path dir = fs::path(schemas_dir) / "sen2" / "layouts";
  std::map<int, std::pair<int, Object::Ptr>> raw;  // year -> (inherit, json)
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!std::regex_match(e.path().filename().string(), std::regex(R"(\d{4}\.json)"))) continue;
    auto obj = parse_file(e.path().string());
    int year = obj->getValue<int>("year");
    raw[year] = {obj->has("inherit") ? obj->getValue<int>("inherit") : 0, obj};
  }
  if (raw.empty()) throw Error(Where{dir.string(), 0, ""}, "", "schema", "no SEN2 layouts found");
  // A year's layout is its parent's with whole groups replaced; parents resolve first.
  std::function<const Layout&(int)> resolve = [&](int year) -> const Layout& {
    if (auto it = layouts_.find(year); it != layouts_.end()) return it->second;
    auto [parent, obj] = raw.at(year);
    const std::string file = (dir / (std::to_string(year) + ".json")).string();
    Layout layout = parent ? resolve(parent) : Layout{};
    layout.year = year;
    if (obj->has("root")) layout.root = obj->getValue<std::string>("root");
    auto groups = obj->getObject("groups");
    for (const auto& [name, value] : *groups)
      layout.groups[name] = read_group(name, *value.extract<Object::Ptr>(), file);
    return layouts_[year] = std::move(layout);
  };
  for (const auto& [year, unused] : raw) resolve(year);

}

const Layout* Layouts::find(int year) const {
  auto it = layouts_.find(year);
  return it == layouts_.end() ? nullptr : &it->second;
}


std::string Layouts::years_list() const {
  std::string out;
  for (const auto& [year, unused] : layouts_) out += (out.empty() ? "" : ", ") + std::to_string(year);
  return out;
}

}  // namespace sen2
