#include "neighbours.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "reference.h"
#include "sendhub/error.h"
#include "xlsx_reader.h"

namespace kpi {
namespace {

using sendhub::Error;
using sendhub::Where;

constexpr int kNeighbours = 10;

std::string column_name(std::size_t i) {   // 0 -> A, 27 -> AB: where a spreadsheet user looks
  std::string out;
  for (++i; i > 0; i = (i - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (i - 1) % 26));
  return out;
}

// "351", "351.0" (a number cell) -> "351".
std::string la_code(std::string text) {
  if (auto dot = text.find(".0"); dot != std::string::npos && dot + 2 == text.size()) text.erase(dot);
  return text;
}

std::vector<Neighbour> from_workbook(const std::string& file, const std::string& council) {
  const auto rows = plugin_support::read_sheet(file, "LA SN Groups");
  std::size_t code_col = 0;
  std::vector<std::size_t> sn;   // the columns SN1..SN10
  auto header = rows.begin();
  for (; header != rows.end(); ++header) {
    const auto& c = header->cells;
    auto it = std::find(c.begin(), c.end(), "LA number");
    if (it == c.end() || std::find(c.begin(), c.end(), "SN1") == c.end()) continue;
    code_col = static_cast<std::size_t>(it - c.begin());
    for (int k = 1; k <= kNeighbours; ++k) {
      auto s = std::find(c.begin(), c.end(), "SN" + std::to_string(k));
      if (s == c.end())
        throw Error(Where{file, header->line, "SN" + std::to_string(k)}, "neighbours_file", "neighbours.header",
                    "the header has no column SN" + std::to_string(k));
      sn.push_back(static_cast<std::size_t>(s - c.begin()));
    }
    break;
  }
  if (header == rows.end())
    throw Error(Where{file, 0, "LA SN Groups"}, "neighbours_file", "neighbours.header",
                "no header row with \"LA number\" and SN1 .. SN10 in sheet LA SN Groups");
  for (auto row = header + 1; row != rows.end(); ++row) {
    const auto& c = row->cells;
    if (code_col >= c.size() || la_code(c[code_col]) != council) continue;
    std::vector<Neighbour> out;
    for (int k = 0; k < kNeighbours; ++k) {
      const std::size_t col = sn[static_cast<std::size_t>(k)];
      const std::string code = col < c.size() ? la_code(c[col]) : "";
      if (code.size() != 3 || code.find_first_not_of("0123456789") != std::string::npos)
        throw Error(Where{file, row->line, column_name(col)}, "neighbours_file", "neighbours.missing",
                    "council " + council + " has fewer than ten neighbours: SN" + std::to_string(k + 1) + " is not a 3-digit LA number");
      out.push_back({code, k + 1, col + 1 < c.size() ? c[col + 1] : ""});
    }
    return out;
  }
  throw Error(Where{file, 0, "LA SN Groups"}, "neighbours_file", "neighbours.council",
              "council " + council + " is not in the workbook (column LA number)");
}

std::vector<Neighbour> from_csv(const std::string& file, const std::string& council) {
  std::vector<Neighbour> out;
  std::int64_t line = 1;
  for (const auto& row : read_table(file, {"la_code", "neighbour_code", "rank"}, "neighbours_file")) {
    ++line;
    if (row[0] != council) continue;
    const auto rank = number(row[2]);
    if (row[1].size() != 3 || !rank || *rank < 1 || *rank > kNeighbours)
      throw Error(Where{file, line, row[1].size() != 3 ? "neighbour_code" : "rank"}, "neighbours_file", "neighbours.row",
                  "a neighbour is a 3-digit LA number with a rank from 1 to 10");
    out.push_back({row[1], static_cast<int>(*rank), ""});
  }
  std::sort(out.begin(), out.end(), [](const Neighbour& a, const Neighbour& b) { return a.rank < b.rank; });
  for (int k = 0; k < kNeighbours; ++k)
    if (static_cast<int>(out.size()) <= k || out[static_cast<std::size_t>(k)].rank != k + 1)
      throw Error(Where{file, 0, "rank"}, "neighbours_file", "neighbours.missing",
                  "council " + council + " has no neighbour of rank " + std::to_string(k + 1) + " (ten are needed, once each)");
  if (out.size() > kNeighbours)
    throw Error(Where{file, 0, "rank"}, "neighbours_file", "neighbours.row", "council " + council + " has more than ten neighbours");
  return out;
}

}  // namespace

std::vector<Neighbour> read_neighbours(const std::string& file, const std::string& council) {
  const bool workbook = file.size() > 5 && file.compare(file.size() - 5, 5, ".xlsx") == 0;
  return workbook ? from_workbook(file, council) : from_csv(file, council);
}

}  // namespace kpi
