#include "census_order.h"

#include <algorithm>
#include <utility>

#include "csv_parser.h"
#include "row_mapper.h"
#include "text_encoding.h"

namespace cms {
namespace {

// "" when the file cannot be read or no row of it maps: its read says why.
std::string first_census_date(const Profile& profile, const std::string& file, const sendhub::HostContext& host) {
  try {
    const Decoded text = decode(read_bytes(file), profile.encoding);
    CsvParser parser(text.text, profile.delimiter);
    std::optional<CsvRow> header;
    for (int i = 0; i < profile.header_row; ++i) header = parser.next();
    if (!header) return "";
    RowMapper mapper(profile, *header, file, host);
    while (auto row = parser.next()) {
      auto mapped = mapper.map(*row);
      if (!mapped.problem) return mapped.records.front().get("census_date");
    }
  } catch (const std::exception&) {   // sendhub::Error, a decoding error
  } catch (const CsvProblem&) {        // a quote left open
  }
  return "";
}

}  // namespace

std::vector<std::string> latest_census_first(const Profile& profile, const std::vector<std::string>& files,
                                             const sendhub::HostContext& host) {
  std::vector<std::pair<std::string, std::string>> dated;   // (census date, file)
  dated.reserve(files.size());
  for (const auto& f : files) dated.emplace_back(files.size() > 1 ? first_census_date(profile, f, host) : "", f);
  std::sort(dated.begin(), dated.end(), [](const auto& a, const auto& b) { return a > b; });
  std::vector<std::string> out;
  out.reserve(dated.size());
  for (auto& d : dated) out.push_back(std::move(d.second));
  return out;
}

}  // namespace cms
