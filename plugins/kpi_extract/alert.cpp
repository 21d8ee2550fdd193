#include "alert.h"

#include <array>
#include <charconv>
#include <string_view>

namespace kpi {

// Both run for every alert a night finds (204,555 at 100,000 children): one allocation each
// way, no stream (a std::istringstream and getline per field were most of a digest's reading).
std::string Alert::serialise() const {
  const std::array<const std::string*, 8> fields{&case_ref, &person_key, &stage, &step, &due, &threshold, &case_officer, &team};
  const std::string days = std::to_string(days_left);
  std::size_t size = days.size() + 3;
  for (const std::string* f : fields) size += f->size() + 1;
  std::string out;
  out.reserve(size);
  for (const std::string* f : fields) out.append(*f).push_back('\t');
  return out.append(days).append(week20_exception ? "\t1" : "\t0");
}

// The ten tab-separated fields; missing ones are empty (a line kept by an older version).
Alert Alert::parse(std::string_view line) {
  std::array<std::string_view, 10> f{};
  std::string_view rest(line);
  for (std::size_t i = 0; i < f.size() && !rest.empty(); ++i) {
    const std::size_t tab = rest.find('\t');
    f[i] = rest.substr(0, tab);
    rest = tab == std::string_view::npos ? std::string_view() : rest.substr(tab + 1);
  }
  Alert a{std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3]), std::string(f[4]), 0,
          std::string(f[5]), f[9] == "1", std::string(f[6]), std::string(f[7])};
  std::string_view days = f[8];
  if (!days.empty() && days.front() == '+') days.remove_prefix(1);
  std::from_chars(days.data(), days.data() + days.size(), a.days_left);
  return a;
}

}  // namespace kpi
