// kpi_model.h: one person of the SEND dataset (SinkContext::each_person) arranged for
// measuring: each case (request) with its assessment, plan, reviews, placements and needs,
// its person and its advice; and the date arithmetic of shared/spec/measures.md §1
// (elapsed days, 12 months later, age). Measures add up person by person, so the sink
// holds one person at a time.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sendhub/plugin.h"

namespace kpi {

using sendhub::Record;

struct Case {
  const Record* request = nullptr;
  const Record* assessment = nullptr;
  const Record* plan = nullptr;
  std::vector<const Record*> reviews;   // the plan's review history, by meeting date
  const Record* person = nullptr;
  std::vector<const Record*> placements, needs, advice;
  bool historical() const { return historical_; }   // request or assessment outcome H
  bool historical_ = false;          // set once by Model: every measure asks, several times a case
  // SEN type of rank 1, or UNKNOWN; worked out once by Model, for the same reason.
  const std::string& primary_need() const { return *primary_need_; }
  const std::string* primary_need_ = nullptr;
};

class Model {
 public:
  // `group` must outlive the model: cases point into its records.
  Model(const sendhub::HostContext& ctx, const sendhub::PersonGroup& group);
  const std::vector<Case>& cases() const { return cases_; }
  const std::vector<const Record*>& advice() const { return advice_; }
  const Case* case_of(const std::string& request_ref) const;

  // Dates. nullopt when a date is missing or not real.
  std::optional<long> day(const std::string& iso) const { return ctx_.day_number(iso); }
  std::optional<long> elapsed(const std::string& from, const std::string& to) const;
  std::string add_months(const std::string& iso, int months) const { return ctx_.add_months(iso, months); }
  // add_months(iso, 12), remembered for the person: every snapshot asks it of the same review dates.
  std::string year_after(const std::string& iso) const;
  std::string plus_days(const std::string& iso, long days) const;
  std::optional<int> age(const std::string& birth, const std::string& at) const;
  bool active_at(const Case& c, const std::string& d) const;
  std::string census_day(int year) const { return ctx_.census_day(year); }

 private:
  const sendhub::HostContext& ctx_;
  std::vector<Case> cases_;
  std::vector<const Record*> advice_;
  std::map<std::string, std::size_t> index_;
  mutable std::vector<std::pair<std::string, std::string>> year_after_;
};

std::string age_band(int age);

// The latest review whose meeting is on or before d (nullptr when none).
const Record* latest_review_by(const Case& c, const std::string& d);
// Whether a review meeting is known on or before d.
bool has_review_by(const Case& c, const std::string& d);
// No review is known by d, but one after it is: a SEN2 return keeps only the latest
// review, so one after d is no evidence about the one before, and callers do not count
// such a plan as overdue.
bool reviewed_after(const Case& c, const std::string& d);
// An active plan's last review meeting by d (or its start) and its next review, 12 months
// later (measures.md §3); nothing when reviewed_after(): a later review is no evidence.
struct ReviewDue {
  std::string last, due;
};
std::optional<ReviewDue> review_due(const Model& m, const Case& c, const std::string& d);

}  // namespace kpi
