#include "rules/json_file.h"

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

#include "sendhub/error.h"

namespace sendhub {

Poco::JSON::Object::Ptr read_json_object(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw Error(Where{file, 0, ""}, "", "schema", "cannot read the schema file");
  std::stringstream text;
  text << in.rdbuf();
  try {
    auto obj = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    if (obj) return obj;
  } catch (const std::exception& e) {
    throw Error(Where{file, 0, ""}, "", "schema", std::string("not valid JSON: ") + e.what());
  }
  throw Error(Where{file, 0, ""}, "", "schema", "must be a JSON object");
}

}  // namespace sendhub
