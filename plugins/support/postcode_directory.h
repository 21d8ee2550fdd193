// postcode_directory.h: the ward of a postcode, from the ONS postcode directory as ONS publishes
// it (shared/spec/inspection.md §3): ONSPD or NSPL CSV of any vintage. The header says which
// columns hold what: the postcode `pcds` (with one space; `pcd`/`pcd2` in older files), the ward
// `osward` (older ONSPD), `ward` (older NSPL) or `wdNNcd` (2025 on, the newest NN wins), the local
// authority `oslaua`, `laua` or `ladNNcd`, and `doterm` set for a terminated postcode (its last
// ward is kept). Ward names from the ONS lookup CSV `WDNNCD,WDNNNM,...`. Compiled into the
// connectors that need it.
//
// A national directory holds 2.7 million postcodes: kept as sorted fixed-width entries (17 bytes
// each, about 46 MB); `local_authority` (an ONS code such as E08000027) keeps only its rows.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace plugin_support {

class PostcodeDirectory {
 public:
  PostcodeDirectory() = default;
  // Throws std::runtime_error naming the file and what is missing.
  PostcodeDirectory(const std::string& directory_file, const std::string& ward_names_file,
                    const std::string& local_authority = "");
  bool loaded() const { return !entries_.empty(); }
  // The ward code of a postcode in any spacing or case, or "" when the directory lacks it.
  std::string ward(const std::string& postcode) const;
  // The ward's name from the lookup, or the code when the lookup lacks it.
  std::string name(const std::string& ward_code) const;
  std::size_t size() const { return entries_.size(); }
  std::size_t terminated() const { return terminated_; }

  // "B1 1AA", "b11aa", " B1  1AA " -> "B11AA".
  static std::string normalise(const std::string& postcode);

 private:
  struct Entry {
    std::array<char, 8> postcode{};   // normalised, NUL-padded
    std::array<char, 9> ward{};
    bool operator<(const Entry& o) const { return postcode < o.postcode; }
  };
  std::vector<Entry> entries_;
  std::map<std::string, std::string> names_;
  std::size_t terminated_ = 0;
};

}  // namespace plugin_support
