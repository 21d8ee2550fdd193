// labels.h: what people read for each measure and code, as data (schemas/kpi/labels.json):
// a measure's name, description, unit, which way is better and its scorecard group; each
// breakdown's name, its codes' labels, and whether its list is closed (every value gets a
// row, zero included: interfaces.md §6).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kpi {

struct MeasureLabel {
  std::string name, description, unit, better, group;   // better: higher, lower or none
  std::vector<std::string> breakdowns;                    // the measure's breakdowns (C++ measures)
};

class Labels {
 public:
  explicit Labels(const std::string& schemas_dir);
  // An excluded_<id> measure reads as "Left out of: <name>" in the data-quality group.
  MeasureLabel measure(const std::string& id) const;
  std::string breakdown(const std::string& id) const;
  std::string value(const std::string& breakdown, const std::string& code) const;
  // Every value of a closed list for this measure, in order; nothing for an open list.
  std::optional<std::vector<std::string>> closed_values(const std::string& measure, const std::string& breakdown) const;
  const std::vector<std::pair<std::string, std::string>>& groups() const { return groups_; }   // id, name
  // measure id -> label, and breakdown -> code -> label, for labels.csv.
  const std::map<std::string, MeasureLabel>& measures() const { return measures_; }
  const std::map<std::string, std::map<std::string, std::string>>& codes() const { return codes_; }

 private:
  std::vector<std::pair<std::string, std::string>> groups_;
  std::map<std::string, MeasureLabel> measures_;
  MeasureLabel excluded_;
  std::map<std::string, std::string> breakdown_names_;
  std::map<std::string, std::map<std::string, std::string>> codes_;
  std::map<std::string, std::vector<std::string>> closed_;           // breakdown -> values in order
  std::map<std::string, std::vector<std::string>> by_measure_;       // "measure.breakdown" -> values
  std::string unknown_;
};

}  // namespace kpi
