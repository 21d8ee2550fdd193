// mapping_profile.h: how to read one case-management export (shared/spec/interfaces.md §4):
// which record kind a row is, which column holds each canonical field, code maps to SEN2
// codes, date formats, encoding, delimiter and header row.
#pragma once

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "sendhub/records.h"

namespace cms {

struct FieldMap {
  sendhub::RecordKind kind;     // which record of the row the field belongs to
  std::string field;
  std::string column;           // the header as the profile writes it
  sendhub::FieldType type;
  std::map<std::string, std::string> codes;   // folded source value -> canonical code; empty: none
  std::optional<std::regex> column_pattern;    // a header written /.../
  std::vector<std::pair<std::regex, std::string>> code_patterns;   // value keys written /.../, in order
  std::optional<std::string> default_code;     // "default": for a value nothing else maps
  bool has_codes() const { return !codes.empty() || !code_patterns.empty() || default_code.has_value(); }
};

struct Profile {
  std::string name;
  sendhub::RecordKind record = sendhub::RecordKind::person;
  std::string encoding = "auto";
  char delimiter = ',';
  int header_row = 1;
  std::vector<std::string> date_formats{"%d/%m/%Y", "%Y-%m-%d"};
  std::vector<FieldMap> fields;
  std::vector<std::pair<std::string, std::string>> extras;   // kept columns: name -> header
  // The kinds a row yields: the profile's record, and for a request row its assessment
  // and plan, as real exports carry them on one row.
  std::vector<sendhub::RecordKind> kinds;
};

// Throws sendhub::Error naming the profile file and the key.
Profile load_profile(const std::string& file);

}  // namespace cms
