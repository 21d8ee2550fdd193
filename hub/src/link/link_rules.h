// link/link_rules.h: the person-linking rules and default precedence, as data
// (schemas/link/rules.json).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sendhub {

struct StrongId {
  std::string field, valid;   // valid: the identifier check a value must pass to count
};

struct MatchRule {
  std::string id;
  std::vector<std::string> match;
  std::string tie_breaker;
};

struct LinkRules {
  std::vector<StrongId> strong;
  std::vector<MatchRule> rules;
  std::map<std::string, std::vector<std::string>> precedence;   // field or "default" -> connectors
};

LinkRules load_link_rules(const std::string& file);

}  // namespace sendhub
