// zip_reader.h: the entries of a zip file as published (a DfE release as downloaded, an .xlsx
// workbook), read with Poco::Zip: their names, and one entry's bytes, capped, so a zip bomb
// costs an error and not the machine's memory. Compiled into the connectors that need it.
#pragma once

#include <cstddef>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace Poco::Zip {
class ZipArchive;
}

namespace plugin_support {

class ZipReader {
 public:
  // Throws sendhub::Error (rule zip.format) when `path` is not a zip file it can read.
  explicit ZipReader(const std::string& path);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  std::vector<std::string> names() const;   // every file entry, as the zip names it
  bool has(const std::string& name) const;
  // The entry's bytes, decompressed. Throws sendhub::Error when it is missing, damaged or
  // larger than `max_bytes` once decompressed.
  std::string read(const std::string& name, std::size_t max_bytes = std::size_t{256} << 20) const;

 private:
  std::string path_;
  mutable std::ifstream in_;
  std::unique_ptr<Poco::Zip::ZipArchive> archive_;
};

}  // namespace plugin_support
