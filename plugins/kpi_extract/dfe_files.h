// dfe_files.h (kpi_extract's own): a data file of a DfE release as read (a file of its
// folder, or an entry of its zip), the figures kept from all releases, and the reader of the
// report-style tables among its supporting files (report_table.cpp).
#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "dfe_release.h"

namespace kpi {

struct DataFile {
  std::string where;   // shown in messages: the file, or zip!entry
  std::string text;
};

// The first file of the release whose name (without its folders) satisfies `wanted`.
std::optional<DataFile> find_file(const std::string& release, const std::function<bool(const std::string&)>& wanted);

// measure, period (start|as_at), level, area code -> the figure; the newest release stands.
using Kept = std::map<std::tuple<std::string, std::string, std::string, std::string>, Published>;
void keep(Kept& kept, Published p);

// A report-style table (schemas/benchmarks/dfe_releases.json "reports"): title rows, a row of
// years, a row of labels under each year, one row per council (name, code, then per year its
// columns), England and the regions with no code. Throws sendhub::Error naming file, line and
// column when the rows of years or labels are not found.
void read_report(const DataFile& f, const Poco::JSON::Object& spec, int release, const std::set<std::string>& councils,
                 Kept& kept);

}  // namespace kpi
