// field.h: a record's field found by its place among its kind's fields, worked out once.
// Record::get(name) scans the kind's field names on every call; the KPI sink asks the same few
// fields of every case of every person for each of its snapshots, and that scan was a tenth
// of its night at 100,000 children. Header-only, on the public API alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sendhub/records.h"

namespace plugin_support {

class Field {
 public:
  // name: a literal (it is kept as a view). Never throws (it may be a namespace-scope constant
  // of a plugin, made as the library loads): a field the kind lacks is asked by name, and
  // Record::get throws for it at the first record, as it always did.
  Field(sendhub::RecordKind kind, std::string_view name) : kind_(kind), name_(name), index_(sendhub::field_index(kind, name)) {}
  // The field's value; a record of another kind is asked by name, exactly as get() would.
  const std::string& of(const sendhub::Record& r) const {
    return r.kind() == kind_ && index_ >= 0 ? r.at(static_cast<std::size_t>(index_)) : r.get(name_);
  }

 private:
  sendhub::RecordKind kind_;
  std::string_view name_;
  int index_;   // -1: the kind has no such field
};

}  // namespace plugin_support
