// rules/json_file.h: reading a JSON data contract from schemas/, with errors naming it.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace sendhub {

Poco::JSON::Object::Ptr read_json_object(const std::string& file);

}  // namespace sendhub
