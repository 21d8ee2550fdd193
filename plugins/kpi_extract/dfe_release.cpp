#include "dfe_release.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <tuple>

#include "dfe_files.h"
#include "reference.h"
#include "sendhub/error.h"
#include "text.h"
#include "zip_reader.h"

namespace kpi {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;
using sendhub::Error;
using sendhub::Where;

constexpr const char* kMap = "benchmarks/dfe_releases.json";

Object::Ptr load_map(const std::string& schemas_dir) {
  std::ifstream in(schemas_dir + "/" + kMap);
  if (!in) throw Error(Where{schemas_dir + "/" + kMap, 0, ""}, "", "dfe.map", "cannot read the DfE column map");
  std::stringstream text;
  text << in.rdbuf();
  return Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
}

// The release's year from its name as the DfE names it (education-health-and-care-plans_2025).
int release_year(const std::string& path) {
  fs::path p(path);
  if (p.filename().empty()) p = p.parent_path();   // a folder, as a glob gives it: "..._2024/"
  const std::string name = p.filename().string();
  std::smatch m;
  std::string year;
  for (auto it = name.cbegin(); std::regex_search(it, name.cend(), m, std::regex("20[0-9]{2}")); it = m.suffix().first)
    year = m.str();
  if (year.empty())
    throw Error(Where{path, 0, ""}, "dfe_releases", "dfe.release",
                "cannot tell which release this is: its name holds no year (the DfE's is "
                "education-health-and-care-plans_YYYY); rename it so");
  return std::stoi(year);
}

// The map's entry for the release: its own, else the newest earlier one (layouts change rarely).
Object::Ptr files_of(const Object& map, int year, const std::string& path) {
  Object::Ptr best;
  int best_year = 0;
  for (const auto& [key, value] : *map.getObject("releases")) {
    const int y = std::stoi(key);
    if (y <= year && y > best_year) best_year = y, best = value.extract<Object::Ptr>();
  }
  if (!best)
    throw Error(Where{path, 0, ""}, "dfe_releases", "dfe.release",
                "the " + std::to_string(year) + " release is older than any layout " + kMap + " maps");
  return best;
}

std::string base_name(const std::string& entry) { return fs::path(entry).filename().string(); }

class FileReader {
 public:
  FileReader(const DataFile& f, const Object& spec, const Object& map, int release, const std::set<std::string>& councils,
             const CensusDay& census_day)
      : f_(f), spec_(spec), map_(map), release_(release), councils_(councils), census_day_(census_day) {}

  void read(Kept& out) {
    std::istringstream in(f_.text);
    std::string line;
    std::getline(in, line);
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    header(split(line));
    for (std::int64_t n = 2; std::getline(in, line); ++n) {
      if (line.empty() || line == "\r") continue;
      const auto row = split(line);
      if (row.size() != columns_.size())
        throw Error(Where{f_.where, n, ""}, "", "dfe.row",
                    "the row has " + std::to_string(row.size()) + " fields, the header " + std::to_string(columns_.size()));
      this->row(row, n, out);
    }
  }

 private:
  void header(const std::vector<std::string>& columns) {
    columns_ = columns;
    for (std::size_t i = 0; i < columns.size(); ++i) index_[columns[i]] = i;
    for (const auto& c : *map_.getArray("leading_columns"))
      if (!index_.count(c.toString()))
        throw Error(Where{f_.where, 1, ""}, c.toString(), "dfe.not_data",
                    "not a DfE data file: it has no column " + c.toString() + " (benchmarks.md §1)");
    std::vector<std::string> missing;
    for (const auto& [measure, m] : *spec_.getObject("measures")) {
      const auto o = m.extract<Object::Ptr>();
      for (const char* key : {"value", "numerator", "denominator"}) {
        std::vector<std::string> wanted;
        if (o->has(key) && o->isArray(key)) {
          for (const auto& c : *o->getArray(key)) wanted.push_back(c.toString());
        } else if (o->has(key)) {
          wanted.push_back(o->getValue<std::string>(key));
        }
        for (const auto& c : wanted)
          if (!index_.count(c) && std::find(missing.begin(), missing.end(), c) == missing.end()) missing.push_back(c);
      }
    }
    if (missing.empty()) return;
    std::string list;
    for (const auto& c : missing) list += (list.empty() ? "" : ", ") + c;
    throw Error(Where{f_.where, 1, ""}, missing.front(), "dfe.layout",
                "column not in the file (" + list + "): " + std::string(kMap) + " maps the " + std::to_string(release_) +
                    " layout; a release that renamed them needs its own entry there");
  }

  std::string cell(const std::vector<std::string>& row, const std::string& column) const { return row[index_.at(column)]; }

  // Numerator or denominator: a column, or the sum of several; "" when a part is a marker.
  std::string part(const std::vector<std::string>& row, const Object& o, const char* key) const {
    if (!o.has(key)) return "";
    if (!o.isArray(key)) return is_figure(cell(row, o.getValue<std::string>(key))) ? cell(row, o.getValue<std::string>(key)) : "";
    double sum = 0;
    for (const auto& c : *o.getArray(key)) {
      const auto v = number(cell(row, c.toString()));
      if (!v) return "";
      sum += *v;
    }
    return plugin_support::fixed(sum, 0);
  }

  void row(const std::vector<std::string>& row, std::int64_t n, Kept& out) {
    if (index_.count("breakdown_topic") && cell(row, "breakdown_topic").rfind("All", 0) != 0) return;   // a breakdown
    const std::string level_text = cell(row, "geographic_level");
    Published p;
    p.level = level_text == "National" ? "england" : level_text == "Regional" ? "region" : level_text == "Local authority" ? "la" : "";
    if (p.level.empty()) return;   // other levels (e.g. parliamentary constituency) are not compared
    p.area_code = p.level == "england" ? cell(row, "country_code") : p.level == "region" ? cell(row, "region_code") : cell(row, "old_la_code");
    p.area_name = p.level == "england" ? "England" : p.level == "region" ? cell(row, "region_name") : cell(row, "la_name");
    p.region_code = cell(row, "region_code");
    if (p.level == "la" && !councils_.count(p.area_code)) return;
    const std::string period = cell(row, "time_period");
    const bool academic = spec_.getValue<std::string>("time") == "academic";
    if (period.size() != (academic ? 6u : 4u) || !number(period))
      throw Error(Where{f_.where, n, ""}, "time_period", "dfe.period",
                  std::string("expected ") + (academic ? "an academic year such as 202425" : "a calendar year such as 2024"));
    if (academic) {
      p.as_at = census_day_(2000 + std::stoi(period.substr(4)));
    } else {
      p.period_start = period + "-01-01";
      p.period_end = period + "-12-31";
    }
    p.release = release_;
    p.file = f_.where;
    p.line = n;
    for (const auto& [measure, m] : *spec_.getObject("measures")) {
      const auto o = m.extract<Object::Ptr>();
      Published q = p;
      q.measure = measure;
      q.value = cell(row, o->getValue<std::string>("value"));
      q.numerator = part(row, *o, "numerator");
      q.denominator = part(row, *o, "denominator");
      keep(out, std::move(q));
    }
  }

  const DataFile& f_;
  const Object& spec_;
  const Object& map_;
  int release_;
  const std::set<std::string>& councils_;
  const CensusDay& census_day_;
  std::vector<std::string> columns_;
  std::map<std::string, std::size_t> index_;
};

}  // namespace

bool is_figure(const std::string& value) { return number(value).has_value(); }

std::optional<DataFile> find_file(const std::string& release, const std::function<bool(const std::string&)>& wanted) {
  if (fs::is_directory(release)) {
    for (const char* sub : {"data", "supporting-files", ""}) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(fs::path(release) / sub, ec)) {
        if (!e.is_regular_file() || !wanted(e.path().filename().string())) continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        return DataFile{e.path().string(), text.str()};
      }
    }
    return std::nullopt;
  }
  const plugin_support::ZipReader zip(release);
  for (const auto& entry : zip.names())
    if (wanted(base_name(entry))) return DataFile{release + "!" + entry, zip.read(entry)};
  return std::nullopt;
}

// The newest release stands for a period; within one, the long series gives way to the file of
// the measure's own topic (read later, see read_releases).
void keep(Kept& kept, Published p) {
  auto key = std::make_tuple(p.measure, p.period_start + "|" + p.as_at, p.level, p.area_code);
  auto it = kept.find(key);
  if (it == kept.end() || it->second.release <= p.release) kept[key] = std::move(p);
}

std::vector<Published> read_releases(const std::vector<std::string>& releases, const std::string& schemas_dir,
                                     const std::set<std::string>& councils, const CensusDay& census_day) {
  const auto map = load_map(schemas_dir);
  Kept kept;
  std::vector<std::pair<int, std::string>> by_year;
  by_year.reserve(releases.size());
  for (const auto& r : releases) by_year.emplace_back(release_year(r), r);
  std::sort(by_year.begin(), by_year.end());   // oldest first: a newer release's figure replaces
  for (const auto& [year, release] : by_year) {
    const auto files = files_of(*map, year, release);
    int found = 0;
    std::vector<std::string> names;
    for (const auto& [name, spec] : *files) names.push_back(name);
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      return std::make_pair(a != "sen2_mi.csv", a) < std::make_pair(b != "sen2_mi.csv", b);   // the long series first
    });
    for (const auto& name : names) {
      const auto file = find_file(release, [&](const std::string& base) { return base == name; });
      if (!file) continue;
      ++found;
      FileReader(*file, *files->getObject(name), *map, year, councils, census_day).read(kept);
    }
    for (const auto& report : *map->getObject("reports")) {   // (no binding: the lambda captures it)
      const std::string& prefix = report.first;
      if (prefix[0] == '_') continue;
      if (auto file = find_file(release, [&](const std::string& base) { return base.rfind(prefix, 0) == 0; }))
        read_report(*file, *report.second.extract<Poco::JSON::Object::Ptr>(), year, councils, kept), ++found;
    }
    if (!found)
      throw Error(Where{release, 0, ""}, "dfe_releases", "dfe.release",
                  "not a DfE release of EHC plan statistics: it holds none of the files " + std::string(kMap) + " maps");
  }
  std::vector<Published> out;
  out.reserve(kept.size());
  for (auto& [key, p] : kept) out.push_back(std::move(p));
  return out;
}

}  // namespace kpi
