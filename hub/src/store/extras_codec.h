// store/extras_codec.h: a record's extras (profile columns that are no canonical field) as
// the JSON text the store keeps in each record table's `extras` column ("" when none).
#pragma once

#include <map>
#include <string>

namespace sendhub {

std::string encode_extras(const std::map<std::string, std::string>& extras);
std::map<std::string, std::string> decode_extras(const std::string& text);

}  // namespace sendhub
