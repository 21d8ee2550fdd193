// xlsx_reader.h: one worksheet of an Office Open XML workbook (.xlsx) as rows of cell texts,
// read as published with Poco::Zip and pugixml: the workbook names the sheet, its relations
// the part that holds it, shared strings give the text of string cells. Numbers come as the
// file stores them ("351", "0.25"); dates as serial numbers. Compiled into the connectors that
// need it (no conversion step for the user).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plugin_support {

struct SheetRow {
  std::int64_t line = 0;              // the row number the sheet gives it (1-based)
  std::vector<std::string> cells;     // by column, A first; empty where the sheet has none
};

// The sheet named `sheet` ("" for the first). Throws sendhub::Error naming the file (and the
// sheet) when the file is no workbook or has no such sheet.
std::vector<SheetRow> read_sheet(const std::string& path, const std::string& sheet);

}  // namespace plugin_support
