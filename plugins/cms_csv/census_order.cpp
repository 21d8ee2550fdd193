#include "census_order.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "csv_parser.h"
#include "row_mapper.h"
#include "text_encoding.h"

namespace cms {
namespace {

constexpr std::size_t kFirstHead = std::size_t{64} * 1024;

// The census date of the first row of text that maps; nothing when text (a head of the file)
// ends before one does, "" when the file has none (its read says why).
std::optional<std::string> census_date_in(const Profile& profile, const std::string& text, bool whole,
                                          const std::string& file, const sendhub::HostContext& host) {
  std::optional<std::string> undecided = whole ? std::optional<std::string>("") : std::nullopt;
  try {
    CsvParser parser(text, profile.delimiter);
    std::optional<CsvRow> header;
    for (int i = 0; i < profile.header_row; ++i) header = parser.next();
    if (!header) return undecided;
    RowMapper mapper(profile, *header, file, host);
    while (auto row = parser.next()) {
      auto mapped = mapper.map(*row);
      if (!mapped.problem) return mapped.records.front().get("census_date");
    }
  } catch (const CsvProblem&) {   // a quote left open: in a head, perhaps only by the cut
    return undecided;
  }
  return undecided;
}

// Only the head of the file is read, growing until a row maps: the census files are a national
// run's largest inputs, and they are read whole straight after. The head is cut after its last
// line break, so no row in it is cut short (a quoted field may still be: then it grows). A
// UTF-16 file was read whole here until 0.12.31.
std::string first_census_date(const Profile& profile, const std::string& file, const sendhub::HostContext& host) {
  try {
    for (std::size_t limit = kFirstHead;; limit *= 4) {
      bool whole = false;
      std::string head = read_head(file, limit, whole);
      if (!whole) head.resize(after_last_line_break(head, profile.encoding));   // none: empty, so it grows
      if (auto date = census_date_in(profile, decode(head, profile.encoding).text, whole, file, host)) return *date;
    }
  } catch (const std::exception&) {   // sendhub::Error, a decoding error
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
