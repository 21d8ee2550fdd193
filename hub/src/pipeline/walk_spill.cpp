#include "pipeline/walk_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <utility>

#include "sendhub/error.h"

namespace sendhub {
namespace {
// One bucket: what was one buffer before buckets. Many: 16 KiB a chunk, so that a bucket is read
// in a few large reads while the buffers of a thousand buckets hold 16 MB during the walk.
constexpr std::size_t kOneBuffer = 1 << 20;
constexpr std::size_t kBucketChunk = 16 << 10;
// The largest bucket a Window reads whole: past it (a spill of more than 8 GB in 1,024 buckets,
// or a bucket a skewed order crowds), its pieces are read alone, so a walk's memory stays bounded.
constexpr std::uint64_t kWindowBound = 8 << 20;
}  // namespace

WalkSpill::WalkSpill(std::string what, std::uint32_t buckets)
    : what_(std::move(what)), chunk_(buckets > 1 ? kBucketChunk : kOneBuffer), buckets_(std::max<std::uint32_t>(buckets, 1)) {
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

// A piece never straddles two chunks: one that would overflow the buffer writes it out first.
void WalkSpill::add(std::string_view bytes, std::uint32_t bucket) {
  if (bytes.size() > std::numeric_limits<std::uint32_t>::max()) {
    errno = EFBIG;
    fail("a piece too large for");
  }
  Bucket& b = buckets_.at(bucket);
  if (!b.pending.empty() && b.pending.size() + bytes.size() > chunk_) write_out(b);
  if (b.pending.capacity() < chunk_) b.pending.reserve(chunk_);   // not twice it, as appending would grow it
  at_.push_back(static_cast<std::uint64_t>(bucket) << kLocalBits | b.size);
  length_.push_back(static_cast<std::uint32_t>(bytes.size()));
  b.pending.append(bytes);
  b.size += bytes.size();
  total_ += bytes.size();
  if (b.pending.size() >= chunk_) write_out(b);
}

void WalkSpill::write_out(Bucket& bucket) {
  const std::uint64_t length = bucket.pending.size();
  bucket.chunks.push_back({bucket.size - length, written_, length});
  std::string_view rest = bucket.pending;
  while (!rest.empty()) {
    const ssize_t n = ::pwrite(fd_, rest.data(), rest.size(), static_cast<off_t>(written_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      bucket.chunks.pop_back();
      fail("cannot write");
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
    written_ += static_cast<std::uint64_t>(n);
  }
  bucket.pending.clear();
}

void WalkSpill::flush() {
  for (Bucket& b : buckets_) {
    if (!b.pending.empty()) write_out(b);
    if (buckets_.size() > 1) std::string().swap(b.pending);   // the walk is whole: its buffers go
  }
}

void WalkSpill::read_at(std::uint64_t file, char* into, std::size_t length) const {
  std::size_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd_, into + done, length - done, static_cast<off_t>(file + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot read");
    done += static_cast<std::size_t>(n);
  }
}

// Chunks lie end to end among a bucket's bytes, the unwritten rest after them.
void WalkSpill::read_bucket(const Bucket& bucket, std::uint64_t local, char* into, std::size_t length) const {
  const std::uint64_t unwritten = bucket.size - bucket.pending.size();
  auto c = std::upper_bound(bucket.chunks.begin(), bucket.chunks.end(), local,
                            [](std::uint64_t at, const Chunk& k) { return at < k.local; });
  if (local < unwritten) --c;   // the chunk holding `local` (the first starts at 0)
  for (; length > 0 && local < unwritten; ++c) {
    const std::uint64_t in = local - c->local;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(length, c->length - in));
    read_at(c->file + in, into, n);
    into += n, local += n, length -= n;
  }
  if (length > 0) std::memcpy(into, bucket.pending.data() + (local - unwritten), length);
}

const std::string& WalkSpill::read(std::size_t i, std::string& buffer) const {
  buffer.resize(length_[i]);
  read_bucket(buckets_[bucket_of(i)], local_of(i), buffer.data(), buffer.size());
  return buffer;
}

std::string_view WalkSpill::Window::read(const WalkSpill& spill, std::size_t i) {
  const std::int64_t b = spill.bucket_of(i);
  in_order_ = in_order_ && b >= last_;
  last_ = b;
  if (b != held_ && in_order_ && spill.buckets_[b].size <= kWindowBound) {
    const Bucket& bucket = spill.buckets_[b];
    bytes_.resize(bucket.size);
    spill.read_bucket(bucket, 0, bytes_.data(), bytes_.size());
    held_ = b;
  }
  if (b != held_) return spill.read(i, alone_);
  return std::string_view(bytes_).substr(spill.local_of(i), spill.length_[i]);
}

}  // namespace sendhub
