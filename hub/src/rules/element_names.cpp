#include "rules/element_names.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <filesystem>
#include <vector>
#include <functional>
#include <optional>

#include "rules/json_file.h"

namespace sendhub {
namespace fs = std::filesystem;

ElementNames::ElementNames(const std::string& schemas_dir) {
  std::error_code ec;
  // Oldest year first, so the newest layout's element names stand (2023's GenderCurrent gives
  // way to Sex): the names describe a field, whatever year a file is.
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(schemas_dir) / "sen2" / "layouts", ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto groups = read_json_object(file.string())->getObject("groups");
    if (!groups) continue;
    // Items of a group without a record belong to the enclosing record, under its name.
    std::function<void(const std::string&, std::optional<RecordKind>, const std::string&)> walk =
        [&](const std::string& group, std::optional<RecordKind> kind, const std::string& prefix) {
          auto g = groups->getObject(group);
          if (!g) return;
          if (g->has("record"))
            for (const auto& k : kKinds)
              if (k.name == g->getValue<std::string>("record")) kind = k.kind, records_[k.kind] = group;
          auto members = g->getArray("members");
          for (std::size_t i = 0; members && i < members->size(); ++i) {
            auto m = members->getArray(static_cast<unsigned>(i));
            auto element = m->getElement<std::string>(0);
            const std::string field = m->size() > 1 ? m->getElement<std::string>(1) : "";
            if (auto dot = field.find('.'); dot != std::string::npos) {  // "plan.transfer_la"
              for (const auto& k : kKinds)
                if (k.name == field.substr(0, dot)) fields_[{k.kind, field.substr(dot + 1)}] = element;
            } else if (!field.empty() && kind) {
              fields_[{*kind, field}] = prefix + element;
            }
            if (auto sub = m->size() == 1 ? groups->getObject(element) : nullptr; sub && !sub->has("record"))
              walk(element, kind, prefix + element + "/");
          }
        };
    for (const auto& [name, unused] : *groups)
      if (groups->getObject(name)->has("record")) walk(name, std::nullopt, "");
  }
}

std::string ElementNames::element(RecordKind kind, const std::string& field) const {
  auto it = fields_.find({kind, field});
  return it == fields_.end() ? field : it->second;
}

std::string ElementNames::record_element(RecordKind kind) const {
  auto it = records_.find(kind);
  return it == records_.end() ? std::string(spec(kind).name) : it->second;
}

}  // namespace sendhub
