// list_row.h: one child's row of the inspection's Annex A lists (shared/spec/inspection.md §4)
// at a date, from their records in the SEND dataset: List 1 for an EHC plan active at the date,
// List 2 for SEN support. Each cell keeps the record it came from (source, file, line), so a
// rule that fails names where to fix it. Values as the inspection writes them: dates DD/MM/YYYY,
// codes from schemas/inspection/lists.json, Yes/No; what the dataset does not hold is empty,
// never guessed.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "census_facts.h"
#include "sendhub/plugin.h"

namespace inspection {

using plugin_support::CensusFacts;

// A JSON file of schemas/inspection; throws sendhub::Error naming it.
Poco::JSON::Object::Ptr read_schema(const std::string& file, const char* what);

struct Codes {
  explicit Codes(const std::string& schemas_dir);
  std::vector<std::string> list1, list2;   // headings
  std::map<std::string, std::string> gender, primary_need, yes_no, phase;
};

// The record a cell's value came from, where a failed rule says to fix it: views of the
// record's source and file (or of the kept part's bytes that name them).
struct CellOrigin {
  std::string_view source, file;
  long line = 0;
};

struct Cell {
  std::string value;
  std::string iso;               // the ISO date behind a date cell ("" otherwise)
  std::optional<CellOrigin> from;   // none: the dataset holds nothing for it
};

// A row's cells by heading, in the headings' byte order: a sorted vector, so a row read back
// from its part (every child, every run) costs no node and no heading's copy.
class Cells {
 public:
  using Entry = std::pair<std::string_view, Cell>;
  Cell& operator[](std::string_view heading);   // the heading's cell, made empty when new
  const Cell* find(std::string_view heading) const;
  std::size_t count(std::string_view heading) const { return find(heading) ? 1 : 0; }
  std::size_t size() const { return entries_.size(); }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
};

// A row refers to what it was made from (the person's records, the schema's headings, a kept
// part's bytes) and lives no longer than they do: it is checked and written as it is made.
struct ListRow {
  int list = 1;
  Cells cells;
  std::string birth_iso;
  const Cell& at(std::string_view heading) const;
};

// The person's List 1 row at d, or nothing when no plan of theirs is active at d.
std::optional<ListRow> list1_row(const sendhub::PersonGroup& g, const std::string& d, const CensusFacts& census,
                                 const Codes& codes);
// The person's List 2 row: on SEN support (K) at the latest census of the six months before d,
// and not on List 1 (call it only for a person with no List 1 row).
std::optional<ListRow> list2_row(const sendhub::PersonGroup& g, const std::string& window_start,
                                 const CensusFacts& census, const Codes& codes);

std::string uk_date(const std::string& iso);   // YYYY-MM-DD -> DD/MM/YYYY ("" stays "")

}  // namespace inspection
