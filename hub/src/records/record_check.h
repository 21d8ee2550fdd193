// records/record_check.h: what every record must satisfy before the store takes it:
// key fields present and each value of its field's type (dates real ISO dates, flags
// 1/0, integers digits). Code lists and cross-field rules are the rule engine's work.
#pragma once

#include "sendhub/records.h"

namespace sendhub {

// Throws Error naming the record's origin, the field and the rule.
void check_record(const Record& record);

}  // namespace sendhub
