// pipeline/validate_files.h: `sendhub validate`: files read by their source connector
// into a context that checks each group (record types, then the rule catalogue) and
// stores nothing.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rules/validator.h"

namespace sendhub {

struct ValidationReport {
  std::vector<std::string> files;
  int year = 0;                 // the return year validated (the last file's, when several)
  std::int64_t records = 0;
  std::vector<Issue> issues;
  std::map<std::pair<std::string, std::string>, std::int64_t> unmapped;   // (field, code value) -> rows
  std::int64_t count(const std::string& severity) const;
};

struct ValidateOptions {
  std::string plugins_dir, schemas_dir, la_code;
  int year = 0;                 // 0: each file's own Year
  std::string profile;          // a CSV mapping profile: the files are case-management CSV
};

// Plugins, rule catalogue and element names loaded once, for many validations (the fuzz
// harnesses validate thousands of inputs a second).
struct LoadedConnector;
class FileValidator {
 public:
  explicit FileValidator(ValidateOptions options);   // throws ConfigError: no such connector
  ~FileValidator();
  FileValidator(const FileValidator&) = delete;
  FileValidator& operator=(const FileValidator&) = delete;
  ValidationReport validate(const std::vector<std::string>& files) const;

 private:
  struct Loaded;
  ValidateOptions options_;
  std::unique_ptr<Loaded> loaded_;
  const LoadedConnector* source_ = nullptr;
};

ValidationReport validate_files(const std::vector<std::string>& files, const ValidateOptions& options);

}  // namespace sendhub
