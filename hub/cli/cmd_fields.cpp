// sendhub fields: the canonical fields a mapping profile (or a connector) can fill, their
// types and the code lists their values must come from. Generated from the tables the code
// uses (records.h) and the rule catalogue's code rules, so it cannot drift from them.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>
#include <map>

#include "cli/commands.h"
#include "pipeline/exit_codes.h"
#include "records/code_check.h"

namespace sendhub::cli {
namespace {

const char* type_name(FieldType t) {
  switch (t) {
    case FieldType::date: return "date";
    case FieldType::flag: return "flag";
    case FieldType::code: return "code";
    case FieldType::integer: return "integer";
    case FieldType::text: break;
  }
  return "text";
}

}  // namespace

int cmd_fields(const Invocation& inv) {
  const CodeCheck codes(config_named(inv) ? config_for(inv).schemas_dir : default_schemas_dir());
  const auto& lists = codes.lists();
  const std::string only = inv.get("kind");
  bool found = only.empty();
  Poco::JSON::Array json;
  for (const auto& k : kKinds) {
    if (!only.empty() && k.name != only) continue;
    found = true;
    if (!inv.has("json")) std::cout << k.name << "\n";
    for (std::size_t i = 0; i < k.fields.size(); ++i) {
      const auto& f = k.fields[i];
      auto it = lists.find({k.kind, std::string(f.name)});
      std::string values;
      if (it != lists.end())
        for (const auto& list : it->second)
          for (const auto& v : codes.values(list)) values += (values.empty() ? "" : " ") + v;
      if (inv.has("json")) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("kind", std::string(k.name));
        o.set("field", std::string(f.name));
        o.set("type", type_name(f.type));
        o.set("key", i < k.key_fields);
        Poco::JSON::Array code_lists;
        if (it != lists.end())
          for (const auto& list : it->second) code_lists.add(list);
        o.set("code_lists", code_lists);
        json.add(o);
        continue;
      }
      std::cout << "  " << f.name << "  " << type_name(f.type) << (i < k.key_fields ? "  key" : "");
      if (it != lists.end()) std::cout << "  codes: " << (values.size() > 120 ? values.substr(0, 117) + "..." : values);
      std::cout << "\n";
    }
  }
  if (!found) throw ConfigError(Where{}, "--kind", "usage", "no record kind " + only + " (see sendhub fields)");
  if (inv.has("json")) {
    json.stringify(std::cout);
    std::cout << "\n";
  }
  return exit_code::ok;
}

}  // namespace sendhub::cli
