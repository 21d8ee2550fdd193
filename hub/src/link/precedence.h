// link/precedence.h: which source wins when sources disagree. The hub's own order of
// source names for the field (then "default") comes first; then the rules' order of
// connector kinds for the field (then "default").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "link/link_rules.h"

namespace sendhub {

class Precedence {
 public:
  Precedence(std::map<std::string, std::vector<std::string>> hub, std::map<std::string, std::string> connector_of,
             const LinkRules& rules)
      : hub_(std::move(hub)), connector_of_(std::move(connector_of)), rules_(rules) {}
  // Lower wins.
  int rank(const std::string& field, const std::string& source) const;

 private:
  std::map<std::string, std::vector<std::string>> hub_;
  std::map<std::string, std::string> connector_of_;
  const LinkRules& rules_;
};

}  // namespace sendhub
