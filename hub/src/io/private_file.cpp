#include "io/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace sendhub::io {
namespace fs = std::filesystem;
namespace {

Error io_error(const std::string& path, const std::string& what) {
  return Error(Where{path, 0, ""}, "", "io", what + ": " + std::strerror(errno));
}

class AtomicOutputFile final : public OutputFile {
 public:
  explicit AtomicOutputFile(std::string path) : path_(std::move(path)) {
    fs::path target(path_);
    if (target.has_parent_path()) make_private_dirs(target.parent_path().string());
    std::string pattern = (target.has_parent_path() ? target.parent_path().string() + "/" : "") +
                          "." + target.filename().string() + ".tmp-XXXXXX";
    temp_ = pattern;
    fd_ = ::mkstemp(temp_.data());  // mkstemp creates 0600
    if (fd_ < 0) throw io_error(path_, "cannot create output file");
  }
  ~AtomicOutputFile() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_.c_str());
  }
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  void write(std::string_view bytes) override {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw io_error(path_, "cannot write output file");
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void commit() override {
    if (::fchmod(fd_, 0600) != 0 || ::fsync(fd_) != 0) throw io_error(path_, "cannot flush output file");
    if (::close(fd_) != 0) {
      fd_ = -1;
      throw io_error(path_, "cannot close output file");
    }
    fd_ = -1;
    if (::rename(temp_.c_str(), path_.c_str()) != 0) throw io_error(path_, "cannot rename output file");
    committed_ = true;
  }

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

void make_private_dirs(const std::string& dir) {
  if (dir.empty()) return;
  fs::path p(dir);
  if (fs::is_directory(p)) return;
  if (p.has_parent_path() && p.parent_path() != p) make_private_dirs(p.parent_path().string());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw io_error(dir, "cannot create folder");
}

std::unique_ptr<OutputFile> create_output(const std::string& path) {
  return std::make_unique<AtomicOutputFile>(path);
}

void write_file_atomic(const std::string& path, const std::string& content) {
  auto out = create_output(path);
  out->write(content);
  out->commit();
}

}  // namespace sendhub::io
