// pseudonymiser.h: privacy.md §6 as a table. schemas/privacy/pseudonymise.json says, for
// every field of every record kind a sink is given, whether a pseudonymised extract keeps
// it, drops it (names, identifiers, free text) or degrades it (a birth date to the first of
// its month, a postcode to its sector). person_key and case_key stand for the identifiers.
// The table must classify every field: one it does not name stops the extract, so a field
// added to the dataset is never published before someone has decided how.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "sendhub/records.h"

namespace pseudo {

enum class Treatment { keep, drop, month, sector };

// One column of a kind's extract: the field it comes from and what is done to it.
struct Column {
  std::size_t field;
  std::string_view name;
  Treatment treatment;
};

class Pseudonymiser {
 public:
  // Throws sendhub::Error naming the file and the field when the table is incomplete or wrong.
  explicit Pseudonymiser(const std::string& schemas_dir);

  // The kinds a person's group holds (every kind but la_return, the return's header).
  static bool extracted(sendhub::RecordKind kind) { return kind != sendhub::RecordKind::la_return; }
  const std::vector<Column>& columns(sendhub::RecordKind kind) const { return columns_[slot(kind)]; }
  // The record's row: its person_key, the case key given, then each column as treated.
  std::vector<std::string> row(const sendhub::Record& r, std::string_view case_key) const;

 private:
  static std::size_t slot(sendhub::RecordKind kind) { return static_cast<std::size_t>(kind); }
  std::array<std::vector<Column>, sendhub::kKinds.size()> columns_;
};

// privacy.md §6's degradations, "" for a value that is not a valid date or postcode (an
// unreadable value is never passed through).
std::string first_of_month(std::string_view iso_date);
std::string postcode_sector(std::string_view postcode);

}  // namespace pseudo
