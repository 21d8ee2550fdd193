// store/link_types.h: what linking produces and the store keeps (schemas/sql/003_links.sql).
#pragma once

#include <string>
#include <vector>

namespace sendhub {

struct PersonLink {
  std::string source, person_ref, person_key, rule;
};
struct RequestLink {
  std::string source, request_ref, person_key, case_key, rule;
};
struct AdviceLink {
  std::string source, advice_ref, person_key, request_source, request_ref, rule;
};
// A person's resolved values (person fields but person_ref, in records.h order) and, per
// field, the "source|record key" the value came from.
struct LinkedPerson {
  std::string person_key;
  std::vector<std::string> values;
  std::string origins;
};
struct LinkConflict {
  std::string person_key, field, sources, winner;
};

struct LinkSet {
  std::vector<PersonLink> persons;
  std::vector<RequestLink> requests;
  std::vector<AdviceLink> advice;
  std::vector<LinkedPerson> linked;
  std::vector<LinkConflict> conflicts;
};

}  // namespace sendhub
