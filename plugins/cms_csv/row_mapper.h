// row_mapper.h: one CSV row through a mapping profile into canonical records. Values are
// trimmed, dates parsed by the host's one date parser with the profile's formats, yes/no
// values folded to 1/0, codes mapped; the first value that cannot be read is the row's
// problem, named by its column (never by the value).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "csv_parser.h"
#include "mapping_profile.h"
#include "record_pool.h"
#include "sendhub/plugin.h"

namespace cms {

// The column of each of the profile's fields in this header row; throws Error (csv.column)
// naming the first mapped column the header lacks.
std::vector<std::size_t> mapped_columns(const Profile& profile, const CsvRow& header, const std::string& file);

class RowMapper {
 public:
  // Throws sendhub::Error (rule csv.column) when a column the profile names is missing.
  RowMapper(const Profile& profile, const CsvRow& header, std::string file, const sendhub::HostContext& host);

  struct Mapped {
    std::vector<sendhub::Record> records;
    std::optional<sendhub::Error> problem;
    std::vector<std::pair<std::string, std::string>> unmapped;   // (field, value) of code columns
  };
  Mapped map(const CsvRow& row);
  // The same into `out` (its records empty), the records taken from `pool` and those the row
  // leaves unused given back to it: the reading thread's records made once and used again.
  void map(const CsvRow& row, Mapped& out, plugin_support::RecordPool& pool);

 private:
  std::string value(const FieldMap& f, const std::string& cell, std::string& problem_rule) const;
  void keep_used(std::vector<sendhub::Record>& records, const std::vector<bool>& used, plugin_support::RecordPool& pool);

  const Profile& profile_;
  std::string file_;
  const sendhub::HostContext& host_;
  std::vector<std::size_t> column_of_;          // per profile field: its column index
  std::size_t header_width_;
  std::map<std::string, int> ordinal_;           // per request_ref: rows seen (seq of child rows)
  std::vector<std::pair<std::string, std::size_t>> extra_columns_;   // extras: name -> column
  std::string formats_;                          // the profile's date formats, for messages
  std::string today_;                            // a birth date after it is refused
  std::vector<sendhub::Record> unused_;          // a row's records left out, on their way back to the pool
};

}  // namespace cms
