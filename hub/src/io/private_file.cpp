#include "io/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "io/sha256.h"

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

  // Buffered: sinks write a person at a time, and a write(2) per person cost more than the
  // bytes. Hashed as written, so what remembers the output need not read it back.
  void write(std::string_view bytes) override {
    sha_.update(bytes);
    if (buffer_.size() + bytes.size() > kBuffer) flush();
    if (bytes.size() >= kBuffer) return write_through(bytes);
    buffer_.append(bytes);
  }

  void commit() override {
    finish();
    publish();
  }

  // The content is whole and on disk, under its temporary name.
  void finish() {
    if (finished_) return;
    flush();
    sha256_ = sha_.hex();
    if (::fchmod(fd_, 0600) != 0 || ::fsync(fd_) != 0) throw io_error(path_, "cannot flush output file");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw io_error(path_, "cannot close output file");
    finished_ = true;
  }

  // The temporary file takes the target's name.
  void publish() {
    if (::rename(temp_.c_str(), path_.c_str()) != 0) throw io_error(path_, "cannot rename output file");
    committed_ = true;
  }

  bool finished() const { return finished_; }
  const std::string& path() const { return path_; }
  const std::string& sha256() const { return sha256_; }

 private:
  static constexpr std::size_t kBuffer = 1 << 16;

  void flush() {
    write_through(buffer_);
    buffer_.clear();
  }

  void write_through(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw io_error(path_, "cannot write output file");
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  std::string path_;
  std::string temp_;
  int fd_ = -1;
  std::string buffer_;
  Sha256 sha_;
  std::string sha256_;   // of the content, once finished
  bool finished_ = false;
  bool committed_ = false;
};

// What a sink holds: commit() only finishes the file; OutputBatch::publish renames it.
class StagedOutputFile final : public OutputFile {
 public:
  explicit StagedOutputFile(std::shared_ptr<AtomicOutputFile> file) : file_(std::move(file)) {}
  void write(std::string_view bytes) override { file_->write(bytes); }
  void commit() override { file_->finish(); }

 private:
  std::shared_ptr<AtomicOutputFile> file_;
};

}  // namespace

void require_regular_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error(Where{path, 0, ""}, "", "input.read", "cannot read the input file");
  if (!S_ISREG(st.st_mode))
    throw Error(Where{path, 0, ""}, "", "input.not_regular",
                "not a regular file (a FIFO, device or folder); only regular files are read");
}

void make_private_dirs(const std::string& dir) {
  if (dir.empty()) return;
  fs::path p(dir);
  if (fs::is_directory(p)) return;
  if (p.has_parent_path() && p.parent_path() != p) make_private_dirs(p.parent_path().string());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw io_error(dir, "cannot create folder");
}

struct OutputBatch::Impl {
  std::vector<std::shared_ptr<AtomicOutputFile>> files;
};

OutputBatch::OutputBatch() : impl_(std::make_unique<Impl>()) {}
OutputBatch::~OutputBatch() = default;

std::unique_ptr<OutputFile> OutputBatch::create(const std::string& path) {
  auto file = std::make_shared<AtomicOutputFile>(path);
  impl_->files.push_back(file);
  return std::make_unique<StagedOutputFile>(std::move(file));
}

std::vector<PublishedFile> OutputBatch::publish() {
  std::vector<PublishedFile> published;
  for (const auto& f : impl_->files) {
    if (!f->finished()) continue;
    f->publish();
    published.push_back({f->path(), f->sha256()});
  }
  impl_->files.clear();  // what was never committed is deleted with its last owner
  return published;
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
