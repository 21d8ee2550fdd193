// sendhub/error.h: the one error type. Every problem with input names where it is
// (file, line, element path), which field, which rule, and what is wrong, but never
// the offending value itself: values may be personal data (shared/spec/privacy.md).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace sendhub {

struct Where {
  std::string file;        // as the user named it (config-relative paths stay relative)
  std::int64_t line = 0;   // 1-based; 0 when unknown
  std::string path;        // element path, e.g. /Message/Persons/Person[3]/UPN
};

class Error : public std::runtime_error {
 public:
  Error(Where where, std::string field, std::string rule, const std::string& message)
      : std::runtime_error(message),
        where_(std::move(where)),
        field_(std::move(field)),
        rule_(std::move(rule)) {}
  explicit Error(const std::string& message) : std::runtime_error(message) {}

  const Where& where() const { return where_; }
  const std::string& field() const { return field_; }
  const std::string& rule() const { return rule_; }
  std::string message() const { return what(); }

  // "file:line: path: field: message [rule]", leaving out the parts that are unknown.
  std::string describe() const {
    std::string out;
    if (!where_.file.empty()) {
      out += where_.file;
      if (where_.line > 0) out += ":" + std::to_string(where_.line);
      out += ": ";
    }
    if (!where_.path.empty()) out += where_.path + ": ";
    if (!field_.empty()) out += field_ + ": ";
    out += what();
    if (!rule_.empty()) out += " [" + rule_ + "]";
    return out;
  }

 private:
  Where where_;
  std::string field_;
  std::string rule_;
};

}  // namespace sendhub
