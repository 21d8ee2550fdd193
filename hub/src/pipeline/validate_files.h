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

// Where a validation's issues go as they are found (validation_report.h writes them out).
class IssueSink {
 public:
  virtual ~IssueSink() = default;
  virtual void add(const Issue& issue) = 0;
};

struct ValidationReport {
  std::vector<std::string> files;
  int year = 0;                 // the return year validated (the last file's, when several)
  std::int64_t records = 0;
  std::int64_t errors = 0, queries = 0;
  std::vector<Issue> issues;    // kept only when no sink takes them
  IssueSink* sink = nullptr;
  std::map<std::pair<std::string, std::string>, std::int64_t> unmapped;   // (field, code value) -> rows
  void add(Issue issue);        // counted, and passed to the sink or kept
  std::int64_t count(const std::string& severity) const { return severity == "error" ? errors : severity == "query" ? queries : 0; }
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
  // With a sink, issues go to it as they are found and the report keeps only the totals:
  // memory stays flat whatever the file and its issues.
  ValidationReport validate(const std::vector<std::string>& files, IssueSink* sink = nullptr) const;

 private:
  struct Loaded;
  ValidateOptions options_;
  std::unique_ptr<Loaded> loaded_;
  const LoadedConnector* source_ = nullptr;
};

ValidationReport validate_files(const std::vector<std::string>& files, const ValidateOptions& options);

}  // namespace sendhub
