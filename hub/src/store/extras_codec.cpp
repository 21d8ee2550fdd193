#include "store/extras_codec.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace sendhub {

std::string encode_extras(const std::map<std::string, std::string>& extras) {
  if (extras.empty()) return "";
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, value] : extras) o.set(name, value);  // std::map: sorted, so stable
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::map<std::string, std::string> decode_extras(const std::string& text) {
  std::map<std::string, std::string> out;
  if (text.empty()) return out;
  const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(text);
  const auto& o = parsed.extract<Poco::JSON::Object::Ptr>();  // `parsed` outlives it
  for (const auto& [name, value] : *o) out[name] = value.toString();
  return out;
}

}  // namespace sendhub
