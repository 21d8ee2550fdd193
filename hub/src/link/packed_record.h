// link/packed_record.h: a record as linking holds it. Linking needs every person, request
// and advice record at once (clusters span the whole dataset), so each is kept compact:
// its kind, source and return year, and its values packed into one string, about a fifth
// of a Record's memory. Values are read back by field name, as from a Record.
#pragma once

#include <string>
#include <string_view>

#include "sendhub/records.h"

namespace sendhub {

class PackedRecord {
 public:
  // Implicit on purpose: the store and tests hand Records over one at a time.
  PackedRecord(const Record& r);  // NOLINT(google-explicit-constructor)
  RecordKind kind() const { return kind_; }
  std::string get(std::string_view field) const;
  PackedRecord& set(std::string_view field, std::string_view value);
  // Key of the record within its source, as Record::key.
  std::string key() const;

  std::string source;
  int return_year = 0;

 private:
  std::string_view at(std::size_t i) const;
  RecordKind kind_;
  std::string packed_;   // the values, each as its length then its bytes
};

}  // namespace sendhub
