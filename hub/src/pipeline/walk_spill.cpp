#include "pipeline/walk_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "sendhub/error.h"

namespace sendhub {
namespace {
constexpr std::size_t kBuffer = 1 << 20;
}

WalkSpill::WalkSpill(std::string what) : what_(std::move(what)) {
  std::error_code ec;
  const auto dir = std::filesystem::temp_directory_path(ec);
  if (ec) throw Error(Where{"TMPDIR", 0, ""}, "", "io", "no temporary folder to spill " + what_ + " to: " + ec.message());
  path_ = (dir / "sendhub-walk-XXXXXX").string();
  fd_ = ::mkstemp(path_.data());   // 0600
  if (fd_ < 0) fail("cannot create");
  ::unlink(path_.c_str());   // children's data: gone when closed, whatever happens to the run
}

WalkSpill::~WalkSpill() {
  if (fd_ >= 0) ::close(fd_);
}

void WalkSpill::fail(const char* what) const {
  throw Error(Where{path_, 0, ""}, "", "io",
              std::string(what) + " the temporary file " + what_ + " spills to: " + std::strerror(errno));
}

void WalkSpill::add(std::string_view bytes) {
  pending_.append(bytes);
  offsets_.push_back(offsets_.back() + bytes.size());
  if (pending_.size() >= kBuffer) flush();
}

void WalkSpill::flush() {
  std::string_view rest = pending_;
  while (!rest.empty()) {
    const ssize_t n = ::pwrite(fd_, rest.data(), rest.size(), static_cast<off_t>(written_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write");
    rest.remove_prefix(static_cast<std::size_t>(n));
    written_ += static_cast<std::uint64_t>(n);
  }
  pending_.clear();
}

const std::string& WalkSpill::read(std::size_t i, std::string& buffer) const {
  const std::uint64_t from = offsets_[i];
  buffer.resize(offsets_[i + 1] - from);
  std::size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = ::pread(fd_, buffer.data() + done, buffer.size() - done, static_cast<off_t>(from + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot read");
    done += static_cast<std::size_t>(n);
  }
  return buffer;
}

}  // namespace sendhub
