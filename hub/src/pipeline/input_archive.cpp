#include "pipeline/input_archive.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "io/private_file.h"

namespace sendhub {
namespace fs = std::filesystem;

InputFile archive_input(const std::string& file, const std::string& archive_dir) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  std::string buf(1 << 16, '\0');
  std::int64_t size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = static_cast<std::size_t>(in.gcount());
    sha.update(buf.data(), n);
    size += static_cast<std::int64_t>(n);
  }
  InputFile out{file, Poco::DigestEngine::digestToHex(sha.digest()), "", size};
  if (archive_dir.empty()) return out;
  fs::path dir = fs::path(archive_dir) / out.sha256.substr(0, 2);
  fs::path target = dir / (out.sha256 + fs::path(file).extension().string());
  io::make_private_dirs(dir.string());
  std::error_code ec;
  if (fs::exists(target, ec)) {
    fs::last_write_time(target, fs::file_time_type::clock::now(), ec);  // read again: keep longer
  } else {
    fs::path temp = target;
    temp += ".part";
    fs::copy_file(file, temp, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error(Where{file, 0, ""}, "", "input.archive", "cannot archive the input file: " + ec.message());
    fs::permissions(temp, fs::perms::owner_read | fs::perms::owner_write, ec);
    fs::rename(temp, target, ec);
  }
  out.archived = target.string();
  return out;
}

int prune_archive(const std::string& archive_dir, int days) {
  std::error_code ec;
  if (archive_dir.empty() || !fs::is_directory(archive_dir, ec)) return 0;
  const auto limit = fs::file_time_type::clock::now() - std::chrono::hours(24 * days);
  int removed = 0;
  for (const auto& e : fs::recursive_directory_iterator(archive_dir, ec))
    if (e.is_regular_file(ec) && e.last_write_time(ec) < limit && fs::remove(e.path(), ec)) ++removed;
  return removed;
}

}  // namespace sendhub
