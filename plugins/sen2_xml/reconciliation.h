// reconciliation.h: the return of year Y set beside the return of Y-1 (as loaded, or
// assembled for Y-1 from the dataset when none was loaded), case by case on the links'
// case keys. Plans balance: active at the last census + issued since + transferred in
// - ceased - transferred out = active now; every case that breaks the balance is listed
// (person_key, reference, why), and so is every person with a plan active at the last
// census who is missing now without a cease or a transfer.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sendhub/plugin.h"

namespace sen2 {

struct PlanState {
  std::string person_key, reference, start, cease, cease_reason, transfer_la;
};

// Fed one person at a time (previous and current plans, then end_person), so it holds one
// person's plans, the balance and the cases that break it.
class Reconciliation {
 public:
  Reconciliation(std::string last_census, std::string census, std::vector<std::string> transfer_out_reasons);
  // The plans of each return, by case key.
  void previous(const sendhub::Record& plan, const std::string& person_key, const std::string& reference);
  void current(const sendhub::Record& plan, const std::string& person_key, const std::string& reference);
  void end_person();
  void set_previous_source(std::string how) { previous_source_ = std::move(how); }

  struct Balance {
    long active_before = 0, issued = 0, transferred_in = 0, ceased = 0, transferred_out = 0, active_now = 0;
    long unexplained() const { return active_before + issued + transferred_in - ceased - transferred_out - active_now; }
  };
  Balance balance() const { return balance_; }
  std::string csv() const;       // return_reconciliation.csv
  std::string summary() const;   // one line for the log and the run summary

 private:
  bool active_at(const PlanState& p, const std::string& day) const;
  struct Finding {
    std::string person_key, reference, finding;
  };
  void add_findings();
  void add_balance();

  std::string last_census_, census_, previous_source_;
  std::vector<std::string> transfer_out_;
  std::map<std::string, PlanState> before_, now_;   // the current person's
  Balance balance_;
  std::vector<Finding> findings_;                     // exceptions only
};

}  // namespace sen2
