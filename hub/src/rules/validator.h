// rules/validator.h: runs the catalogue's rules of one return year over groups of
// records: the header, then one Person with its chain at a time (so a return of any size
// validates in flat memory; only the keys of the uniqueness rules are kept, hashed).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "rules/element_names.h"
#include "rules/key_hashes.h"
#include "rules/rule_catalogue.h"

namespace sendhub {

struct Issue {
  std::string rule, severity, file;
  std::int64_t line = 0;
  std::string path, field, message, person;
  std::string source, reference;   // the record's source and key (assembled returns)
};

// $reference_date, $period_start, $period_end of a year (schemas/sen2/years.json), plus
// $la_code when the hub knows its council.
std::map<std::string, std::string> year_facts(const std::string& schemas_dir, int year, const std::string& la_code);

class Validator {
 public:
  Validator(const RuleCatalogue& catalogue, const ElementNames& names, int year,
            std::map<std::string, std::string> facts);
  // A header group (la_return) or a Person group; appends what it finds.
  void check(const std::vector<Record>& group, std::vector<Issue>& out);
  int year() const { return year_; }

 private:
  friend class RuleRun;
  const RuleCatalogue& catalogue_;
  const ElementNames& names_;
  int year_;
  std::map<std::string, std::string> facts_;
  std::vector<Record> header_;
  // The unique rules' key hashes, by rule (the catalogue's rules do not move).
  std::unordered_map<const Rule*, KeyHashes> seen_;
};

}  // namespace sendhub
