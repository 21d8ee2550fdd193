// records/record_check.h: what every record must satisfy before the store takes it:
// key fields present and each value of its field's type (dates real ISO dates, flags
// 1/0, integers digits). Code lists and cross-field rules are the rule engine's work.
#pragma once

#include "sendhub/records.h"

namespace sendhub {

// True when the record carries no value beyond its key, seq and person_ref.
bool holds_only_its_key(const Record& record);

// Throws Error naming the record's origin, the field and the rule.
void check_record(const Record& record);

}  // namespace sendhub
