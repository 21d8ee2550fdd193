#include "postcode_directory.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "csv_line.h"

namespace plugin_support {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The column of the first name that matches, or of the newest `<prefix>NN<suffix>` vintage.
int column(const std::vector<std::string>& header, std::initializer_list<const char*> names, const std::string& prefix,
           const std::string& suffix) {
  for (const char* n : names)
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == n) return static_cast<int>(i);
  int best = -1, best_year = -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    if (prefix.empty() || h.size() != prefix.size() + 2 + suffix.size() || h.compare(0, prefix.size(), prefix) != 0 ||
        h.compare(h.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string nn = h.substr(prefix.size(), 2);
    if (!std::isdigit(static_cast<unsigned char>(nn[0])) || !std::isdigit(static_cast<unsigned char>(nn[1]))) continue;
    if (std::stoi(nn) > best_year) best_year = std::stoi(nn), best = static_cast<int>(i);
  }
  return best;
}

std::vector<std::string> header_of(std::ifstream& in, const std::string& file) {
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(file + ": empty");
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  auto header = split_csv_line(line);
  for (auto& h : header) h = lower(h);
  return header;
}

}  // namespace

std::string PostcodeDirectory::normalise(const std::string& postcode) {
  std::string out;
  for (char c : postcode)
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

PostcodeDirectory::PostcodeDirectory(const std::string& directory_file, const std::string& ward_names_file,
                                     const std::string& local_authority) {
  std::ifstream in(directory_file, std::ios::binary);
  if (!in) throw std::runtime_error(directory_file + ": cannot be read");
  const auto header = header_of(in, directory_file);
  const int pc = column(header, {"pcds", "pcd2", "pcd"}, "", "");
  const int ward = column(header, {"osward", "ward"}, "wd", "cd");
  const int la = column(header, {"oslaua", "laua"}, "lad", "cd");
  const int doterm = column(header, {"doterm"}, "", "");
  if (pc < 0 || ward < 0)
    throw std::runtime_error(directory_file + ": not an ONS postcode directory (no " + (pc < 0 ? "pcds" : "osward, ward or wdNNcd") +
                             " column)");
  if (!local_authority.empty() && la < 0) throw std::runtime_error(directory_file + ": no oslaua, laua or ladNNcd column");
  std::string line;
  while (std::getline(in, line)) {
    const auto f = split_csv_line(line);
    if (f.size() <= static_cast<std::size_t>(std::max({pc, ward, la, doterm}))) continue;
    if (!local_authority.empty() && f[static_cast<std::size_t>(la)] != local_authority) continue;
    const std::string code = normalise(f[static_cast<std::size_t>(pc)]);
    const std::string& w = f[static_cast<std::size_t>(ward)];
    if (code.empty() || code.size() > 8 || w.empty() || w.size() > 9) continue;
    Entry e;
    std::copy(code.begin(), code.end(), e.postcode.begin());
    std::copy(w.begin(), w.end(), e.ward.begin());
    entries_.push_back(e);
    if (doterm >= 0 && !f[static_cast<std::size_t>(doterm)].empty()) ++terminated_;
  }
  std::sort(entries_.begin(), entries_.end());
  entries_.shrink_to_fit();
  if (ward_names_file.empty()) return;
  std::ifstream names(ward_names_file, std::ios::binary);
  if (!names) throw std::runtime_error(ward_names_file + ": cannot be read");
  const auto nh = header_of(names, ward_names_file);
  const int code = column(nh, {}, "wd", "cd"), nm = column(nh, {}, "wd", "nm");
  if (code < 0 || nm < 0) throw std::runtime_error(ward_names_file + ": not an ONS ward lookup (no WDNNCD and WDNNNM columns)");
  while (std::getline(names, line)) {
    const auto f = split_csv_line(line);
    if (f.size() > static_cast<std::size_t>(std::max(code, nm))) names_[f[static_cast<std::size_t>(code)]] = f[static_cast<std::size_t>(nm)];
  }
}

std::string PostcodeDirectory::ward(const std::string& postcode) const {
  const std::string code = normalise(postcode);
  if (code.empty() || code.size() > 8) return "";
  Entry key;
  std::copy(code.begin(), code.end(), key.postcode.begin());
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key);
  if (it == entries_.end() || it->postcode != key.postcode) return "";
  return std::string(it->ward.data(), strnlen(it->ward.data(), it->ward.size()));
}

std::string PostcodeDirectory::name(const std::string& ward_code) const {
  auto it = names_.find(ward_code);
  return it == names_.end() ? ward_code : it->second;
}

}  // namespace plugin_support
