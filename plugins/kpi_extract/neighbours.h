// neighbours.h: a council's ten statistical neighbours (shared/spec/benchmarks.md §2), from
// the DfE's workbook as published (.xlsx, sheet "LA SN Groups": index rows, then a header
// with "LA number" and SN1, SNP, ... SN10, SNP) or from a CSV la_code,neighbour_code,rank.
#pragma once

#include <string>
#include <vector>

namespace kpi {

struct Neighbour {
  std::string code;   // 3-digit LA number
  int rank = 0;       // 1 = the closest
  std::string band;   // the workbook's closeness band ("Extremely close" ...), "" from a CSV
};

// Exactly ten, closest first. Throws sendhub::Error naming file, line and column: the council
// is not in the file, a neighbour is missing, the header is not found.
std::vector<Neighbour> read_neighbours(const std::string& file, const std::string& council);

}  // namespace kpi
