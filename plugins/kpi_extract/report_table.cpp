#include <Poco/String.h>

#include <algorithm>
#include <sstream>

#include "dfe_files.h"
#include "reference.h"
#include "sendhub/error.h"

namespace kpi {
namespace {

using sendhub::Error;
using sendhub::Where;

bool is_year(const std::string& s) { return s.size() == 4 && s.rfind("20", 0) == 0 && is_figure(s); }

std::string lower(const std::string& s) { return Poco::toLower(Poco::trim(s)); }

// The columns of one year: its label row's cells under it, up to the next year's.
struct YearColumns {
  std::string year;
  std::optional<std::size_t> value, numerator, denominator;
};

std::vector<YearColumns> columns_of(const std::vector<std::string>& years, const std::vector<std::string>& labels,
                                    const Poco::JSON::Object& spec) {
  std::vector<YearColumns> out;
  for (std::size_t i = 0; i < years.size(); ++i) {
    if (is_year(Poco::trim(years[i]))) out.push_back({Poco::trim(years[i]), {}, {}, {}});
    if (out.empty() || i >= labels.size()) continue;
    const std::string label = lower(labels[i]);
    for (auto [key, slot] : {std::pair{"value", &out.back().value}, {"numerator", &out.back().numerator},
                             {"denominator", &out.back().denominator}})
      if (spec.has(key) && label.rfind(lower(spec.getValue<std::string>(key)), 0) == 0) *slot = i;
  }
  return out;
}

std::string as_published(std::string v) {
  v = Poco::trim(v);
  if (!v.empty() && v.back() == '%') v.pop_back();   // "2.4%": the figure is the percentage
  return v;
}

}  // namespace

void read_report(const DataFile& f, const Poco::JSON::Object& spec, int release, const std::set<std::string>& councils,
                 Kept& kept) {
  std::istringstream in(f.text);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (rows.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    rows.push_back(split(line));
  }
  std::size_t year_row = 0;
  while (year_row < rows.size() &&
         std::count_if(rows[year_row].begin(), rows[year_row].end(), [](const std::string& c) { return is_year(Poco::trim(c)); }) < 2)
    ++year_row;
  if (year_row + 1 >= rows.size())
    throw Error(Where{f.where, 0, ""}, "", "dfe.report", "no row of years (2014, 2015, ...) with a row of labels under it");
  const auto years = columns_of(rows[year_row], rows[year_row + 1], spec);
  for (const auto& y : years)
    if (!y.value)
      throw Error(Where{f.where, static_cast<std::int64_t>(year_row) + 2, ""}, spec.getValue<std::string>("value"), "dfe.report",
                  "no column under " + y.year + " whose label starts \"" + spec.getValue<std::string>("value") + "\"");
  const std::string measure = spec.getValue<std::string>("measure");
  for (std::size_t r = year_row + 2; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() < 2 || Poco::trim(row[0]).empty()) continue;
    const std::string name = Poco::trim(row[0]), code = Poco::trim(row[1]);
    Published p;
    p.measure = measure;
    p.level = !code.empty() ? "la" : lower(name) == "england" ? "england" : "region";
    if (p.level == "la" && !councils.count(code)) continue;
    // A region has no code in the table: its name stands for one, and names it beside the council.
    p.area_code = p.level == "england" ? "E92000001" : p.level == "region" ? name : code;
    p.area_name = name;
    p.release = release;
    p.file = f.where;
    p.line = static_cast<std::int64_t>(r) + 1;
    for (const auto& y : years) {
      Published q = p;
      q.period_start = y.year + "-01-01";
      q.period_end = y.year + "-12-31";
      auto cell = [&](std::optional<std::size_t> c) { return c && *c < row.size() ? as_published(row[*c]) : std::string(); };
      q.value = cell(y.value);
      if (q.value.empty()) continue;
      q.numerator = is_figure(cell(y.numerator)) ? cell(y.numerator) : "";
      q.denominator = is_figure(cell(y.denominator)) ? cell(y.denominator) : "";
      keep(kept, std::move(q));
    }
  }
}

}  // namespace kpi
