// json_list.h: a JSON array of strings (a schema's list) as a vector. Header-only.
#pragma once

#include <Poco/JSON/Array.h>

#include <string>
#include <vector>

namespace plugin_support {

// Empty for a missing array (a null pointer).
inline std::vector<std::string> string_list(const Poco::JSON::Array::Ptr& a) {
  std::vector<std::string> out;
  for (std::size_t i = 0; a && i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

}  // namespace plugin_support
