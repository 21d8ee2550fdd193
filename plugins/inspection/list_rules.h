// list_rules.h: Data to Insight's checks of the Annex A lists (shared/spec/inspection.md §4) as
// rules of sendhub's catalogue: a table in schemas/inspection/rules.json, each rule a kind this
// file knows (missing, age, future_date, date_order, identifier_from_age, establishment_for_ages,
// subsidiary_without_main, unique) with its parameters. An issue names the rule, the row's
// Unique ID, the column and the record to fix (source, file, line) — never a value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "list_row.h"
#include "seen_map.h"

namespace inspection {

struct ListIssue {
  std::string rule, severity, message, column;
  int list = 1;
  std::string unique_id;
  std::string source, file;
  long line = 0;
};

class ListRules {
 public:
  ListRules(const std::string& schemas_dir, std::string as_at);
  // Checks one row; remembers what the uniqueness rules need.
  std::vector<ListIssue> check(const ListRow& row);
  std::size_t size() const { return rules_.size(); }

 private:
  enum class Kind { missing, age, future_date, date_order, identifier_from_age, establishment_for_ages,
                    subsidiary_without_main, unique };
  struct Rule {
    std::string id, kind_name, severity, message, column, before, after;
    std::vector<std::string> columns;
    long min = 0, max = 0;
    Kind kind = Kind::missing;
  };
  // `age`: the row's, worked out once for all its rules; *column: the heading to fix.
  bool fails(const Rule& r, const ListRow& row, std::optional<int> age, const std::string** column);
  std::vector<Rule> rules_;
  std::string d_;
  plugin_support::SeenMap seen_;   // "list|rule|value" of unique columns
};

// Whole years from an ISO birth date to an ISO date (nothing when either is not a date).
std::optional<int> age_at(const std::string& birth, const std::string& d);

}  // namespace inspection
