// rules/element_names.h: what a canonical field is called in SEN2 XML, so that issues name
// the element a caseworker sees (ReceivedDate, not received_date) and its path. Read from
// the layouts in schemas/sen2/layouts.
#pragma once

#include <map>
#include <string>

#include "sendhub/records.h"

namespace sendhub {

class ElementNames {
 public:
  explicit ElementNames(const std::string& schemas_dir);
  // The element path below the record's own element ("Source/LEA" for la_return.lea);
  // the canonical name when the layouts do not name it.
  std::string element(RecordKind kind, const std::string& field) const;
  // The element a record of this kind is ("PlanDetail" for plan_detail).
  std::string record_element(RecordKind kind) const;

 private:
  std::map<std::pair<RecordKind, std::string>, std::string> fields_;
  std::map<RecordKind, std::string> records_;
};

}  // namespace sendhub
