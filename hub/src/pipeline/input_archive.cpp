#include "pipeline/input_archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <utility>

#include "io/private_file.h"
#include "io/sha256.h"

namespace sendhub {
namespace fs = std::filesystem;
namespace {

Error archive_error(const std::string& where, const std::string& what) {
  return Error(Where{where, 0, ""}, "archive.dir", "input.archive", what);
}

// Raw inputs are children's data: a folder someone else could write to lets them plant a
// symlink where the hub writes (as root, onto any file), so it is refused, as ssh does.
void require_private_dir(const fs::path& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) throw archive_error(dir.string(), "cannot read the archive folder");
  if (!S_ISDIR(st.st_mode)) throw archive_error(dir.string(), "the archive folder is not a folder (a link?)");
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    throw archive_error(dir.string(), "the archive folder is writable by group or others; run: chmod go-w " + dir.string());
  if (st.st_uid != ::geteuid() && st.st_uid != 0) throw archive_error(dir.string(), "the archive folder is owned by another user");
}

// O_EXCL | O_NOFOLLOW: never through a planted link, never onto a file that is there. The copy
// is hashed as it is written and must be the `sha256` its name will say: a file written to
// while the run read it is not kept under a name that is not its content's.
void copy_private(const std::string& from, const fs::path& to, const std::string& sha256) {
  std::ifstream in(from, std::ios::binary);
  if (!in) throw Error(Where{from, 0, ""}, "", "input.read", "cannot read the input file");
  int fd = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {  // a copy left by a killed run, or something planted
    ::unlink(to.c_str());            // removes a link itself, never its target
    fd = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  }
  if (fd < 0) throw archive_error(to.string(), std::string("cannot create the archive copy: ") + std::strerror(errno));
  std::string buf(1 << 16, '\0');
  io::Sha256 sha;
  bool ok = true;
  while (ok && in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::size_t n = static_cast<std::size_t>(in.gcount()), done = 0;
    sha.update(std::string_view(buf.data(), n));
    while (ok && done < n) {
      const ssize_t w = ::write(fd, buf.data() + done, n - done);
      ok = w > 0 || (w < 0 && errno == EINTR);
      done += w > 0 ? static_cast<std::size_t>(w) : 0;
    }
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(to.c_str());
    throw archive_error(to.string(), std::string("cannot write the archive copy: ") + std::strerror(saved));
  }
  if (sha.hex() != sha256) {
    ::unlink(to.c_str());
    throw Error(Where{from, 0, ""}, "", "input.changed",
                "the file changed while the run read it (its copy for the archive is not what was hashed); "
                "run again once it is written whole");
  }
}

InputFile hashed(const std::string& file) {
  InputFile out{file, "", "", 0, ""};
  if (!io::hash_file(file, out.sha256, out.size)) throw Error(Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  return out;
}

}  // namespace

std::string input_stat(const std::string& file, std::int64_t now) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return "";
  if (now < 0) now = static_cast<std::int64_t>(std::time(nullptr));
  const auto settled = [&](const struct timespec& t) { return static_cast<std::int64_t>(t.tv_sec) + 2 < now; };
  if (!settled(st.st_mtim) || !settled(st.st_ctim)) return "";
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) +
         ":" + std::to_string(st.st_ctim.tv_sec) + "." + std::to_string(st.st_ctim.tv_nsec) + ":" +
         std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

InputFile archive_input(const std::string& file, const std::string& archive_dir, const std::optional<InputFile>& known,
                        ArchiveCopies* beside) {
  io::require_regular_file(file);
  InputFile out = known ? *known : hashed(file);
  out.file = file;
  out.archived.clear();
  if (archive_dir.empty()) return out;
  fs::path dir = fs::path(archive_dir) / out.sha256.substr(0, 2);
  fs::path target = dir / (out.sha256 + fs::path(file).extension().string());
  io::make_private_dirs(dir.string());
  require_private_dir(archive_dir);
  require_private_dir(dir);
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    std::error_code ec;
    fs::last_write_time(target, fs::file_time_type::clock::now(), ec);  // read again: keep longer
  } else {
    fs::path temp = target;
    temp += ".part";
    auto copy = [file, temp, target, sha = out.sha256] {
      copy_private(file, temp, sha);   // synced and checked before it takes its name
      if (::rename(temp.c_str(), target.c_str()) != 0)
        throw archive_error(target.string(), std::string("cannot rename the archive copy: ") + std::strerror(errno));
    };
    if (beside) beside->start(target.string(), std::move(copy));
    else copy();
  }
  out.archived = target.string();
  return out;
}

ArchiveCopies::~ArchiveCopies() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();
    closing_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void ArchiveCopies::start(const std::string& target, std::function<void()> copy) {
  if (!targets_.insert(target).second) return;
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return queue_.size() < kQueued; });
  queue_.push_back(std::move(copy));
  if (!worker_.joinable()) worker_ = std::thread([this] { work(); });
  changed_.notify_all();
}

void ArchiveCopies::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return !queue_.empty() || closing_; });
    if (queue_.empty()) return;   // closing
    std::function<void()> copy = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    changed_.notify_all();   // room in the queue
    lock.unlock();
    std::exception_ptr failed;
    try {
      copy();
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    if (failed && !failed_) failed_ = failed;
    busy_ = false;
    changed_.notify_all();
  }
}

void ArchiveCopies::wait() {
  std::exception_ptr first;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return queue_.empty() && !busy_; });
    first = std::exchange(failed_, nullptr);
  }
  targets_.clear();
  if (first) std::rethrow_exception(first);
}

int prune_archive(Store& store, int days) {
  const auto limit = fs::file_time_type::clock::now() - std::chrono::hours(24 * days);
  int removed = 0;
  for (const auto& path : store.archived_files()) {
    std::error_code ec;
    const auto status = fs::symlink_status(path, ec);
    if (ec || !fs::exists(status)) {
      store.forget_archived(path);
      continue;
    }
    if (!fs::is_regular_file(status) || fs::last_write_time(path, ec) >= limit || ec) continue;
    if (fs::remove(path, ec)) {
      ++removed;
      store.forget_archived(path);
    }
  }
  return removed;
}

}  // namespace sendhub
