#include "labels.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

#include "json_list.h"
#include "sendhub/error.h"

namespace kpi {
namespace {

using Poco::JSON::Object;

MeasureLabel read_measure(const Object& o) {
  return {o.optValue<std::string>("name", ""), o.optValue<std::string>("description", ""),
          o.optValue<std::string>("unit", "count"), o.optValue<std::string>("better", "none"),
          o.optValue<std::string>("group", ""), plugin_support::string_list(o.getArray("breakdowns"))};
}

std::string replaced(std::string text, const std::string& what, const std::string& with) {
  if (auto at = text.find(what); at != std::string::npos) text.replace(at, what.size(), with);
  return text;
}

}  // namespace

Labels::Labels(const std::string& schemas_dir) {
  const std::string file = schemas_dir + "/kpi/labels.json";
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  try {
    // Object order kept: a closed list's values are listed in the file's order.
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    auto root = parser.parse(text.str()).extract<Object::Ptr>();
    auto groups = root->getArray("groups");
    for (std::size_t i = 0; groups && i < groups->size(); ++i) {
      auto g = groups->getObject(static_cast<unsigned>(i));
      groups_.emplace_back(g->getValue<std::string>("id"), g->getValue<std::string>("name"));
    }
    for (const auto& [id, value] : *root->getObject("measures")) measures_[id] = read_measure(*value.extract<Object::Ptr>());
    excluded_ = read_measure(*root->getObject("excluded"));
    for (const auto& [id, value] : *root->getObject("breakdowns")) {
      auto b = value.extract<Object::Ptr>();
      breakdown_names_[id] = b->getValue<std::string>("name");
      auto values = b->getObject("values");
      std::vector<std::string> order;
      for (const auto& code : values->getNames()) {   // in the file's order (preserved above)
        codes_[id][code] = values->getValue<std::string>(code);
        order.push_back(code);
      }
      if (b->optValue<bool>("closed", false)) closed_[id] = order;
    }
    unknown_ = root->optValue<std::string>("unknown", "not recorded");
    for (const auto& [key, value] : *root->getObject("values_by_measure"))
      by_measure_[key] = plugin_support::string_list(value.extract<Poco::JSON::Array::Ptr>());
  } catch (const std::exception& e) {
    throw sendhub::Error(sendhub::Where{file, 0, ""}, "", "schema", std::string("cannot read the KPI labels: ") + e.what());
  }
}

MeasureLabel Labels::measure(const std::string& id) const {
  if (id.rfind("excluded_", 0) == 0) {
    MeasureLabel l = excluded_;
    l.name = replaced(l.name, "{name}", measure(id.substr(9)).name);
    return l;
  }
  auto it = measures_.find(id);
  return it == measures_.end() ? MeasureLabel{id, "", "count", "none", "", {}} : it->second;
}

std::string Labels::breakdown(const std::string& id) const {
  auto it = breakdown_names_.find(id);
  return it == breakdown_names_.end() ? id : it->second;
}

std::string Labels::value(const std::string& breakdown, const std::string& code) const {
  if (code == "UNKNOWN") return unknown_;
  auto b = codes_.find(breakdown);
  if (b == codes_.end()) return code;
  auto it = b->second.find(code);
  return it == b->second.end() ? code : it->second;
}

std::optional<std::vector<std::string>> Labels::closed_values(const std::string& measure, const std::string& breakdown) const {
  if (auto it = by_measure_.find(measure + "." + breakdown); it != by_measure_.end()) return it->second;
  if (auto it = closed_.find(breakdown); it != closed_.end()) return it->second;
  return std::nullopt;
}

}  // namespace kpi
