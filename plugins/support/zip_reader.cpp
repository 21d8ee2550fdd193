#include "zip_reader.h"

#include <Poco/Exception.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include "sendhub/error.h"

namespace plugin_support {

using sendhub::Error;
using sendhub::Where;

ZipReader::ZipReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
  if (!in_) throw Error(Where{path, 0, ""}, "", "zip.format", "cannot read the file");
  try {
    archive_ = std::make_unique<Poco::Zip::ZipArchive>(in_);
    if (archive_->headerBegin() == archive_->headerEnd()) throw Poco::Exception("no entries");
  } catch (const Poco::Exception& e) {
    throw Error(Where{path, 0, ""}, "", "zip.format", "not a zip file it can read (" + e.displayText() + ")");
  }
}

ZipReader::~ZipReader() = default;

std::vector<std::string> ZipReader::names() const {
  std::vector<std::string> out;
  for (auto it = archive_->headerBegin(); it != archive_->headerEnd(); ++it)
    if (it->second.isFile()) out.push_back(it->first);
  return out;
}

bool ZipReader::has(const std::string& name) const { return archive_->findHeader(name) != archive_->headerEnd(); }

std::string ZipReader::read(const std::string& name, std::size_t max_bytes) const {
  auto it = archive_->findHeader(name);
  if (it == archive_->headerEnd()) throw Error(Where{path_, 0, name}, "", "zip.entry", "the zip holds no " + name);
  std::string out;
  try {
    in_.clear();
    Poco::Zip::ZipInputStream entry(in_, it->second, true);
    char buf[1 << 16];
    while (entry.read(buf, sizeof buf) || entry.gcount() > 0) {
      out.append(buf, static_cast<std::size_t>(entry.gcount()));
      if (out.size() > max_bytes)
        throw Error(Where{path_, 0, name}, "", "zip.size",
                    "the entry is larger than " + std::to_string(max_bytes >> 20) + " MB once decompressed; refused");
    }
  } catch (const Poco::Exception& e) {
    throw Error(Where{path_, 0, name}, "", "zip.entry", "the entry is damaged (" + e.displayText() + ")");
  }
  return out;
}

}  // namespace plugin_support
