#include "pipeline/walk_spill.h"

#include <fcntl.h>
#include <sys/mman.h>
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
    : what_(std::move(what)),
      chunk_(buckets > 1 ? kBucketChunk : kOneBuffer),
      buckets_(std::max<std::uint32_t>(buckets, 1)) {
  std::error_code ec;
  const auto dir = std::filesystem::temp_directory_path(ec);
  if (ec) throw Error(Where{"TMPDIR", 0, ""}, "", "io", "no temporary folder to spill " + what_ + " to: " + ec.message());
  path_ = (dir / "sendhub-walk-XXXXXX").string();
  fd_ = ::mkstemp(path_.data());   // 0600
  if (fd_ < 0) fail("cannot create");
  ::unlink(path_.c_str());   // children's data: gone when closed, whatever happens to the run
}

WalkSpill::~WalkSpill() {
  unmap_slab();
  if (fd_ >= 0) ::close(fd_);
}

void WalkSpill::fail(const char* what) const {
  throw Error(Where{path_, 0, ""}, "", "io",
              std::string(what) + " the temporary file " + what_ + " spills to: " + std::strerror(errno));
}

void WalkSpill::add(std::string_view bytes, std::uint32_t bucket) {
  at_.emplace_back();
  length_.emplace_back();
  put(at_.size() - 1, bytes, bucket);
}

// Gathered a bucket at a time in one buffer of the heap the pieces free, not in the buffers'
// mapping: a first run spills here with the budget's worth of copies just freed but not yet
// given back to the system, where touching every bucket's buffer put 16 MB on its peak.
void WalkSpill::add_all(std::vector<std::string>& pieces, const std::vector<std::uint16_t>& buckets) {
  std::vector<std::size_t> from(buckets_.size() + 1);   // a counting sort of the pieces by bucket
  for (const auto b : buckets) ++from.at(b + std::size_t{1});
  for (std::size_t b = 1; b < from.size(); ++b) from[b] += from[b - 1];
  std::vector<std::uint32_t> in_order(pieces.size());
  for (std::uint32_t i = 0; i < pieces.size(); ++i) in_order[from[buckets[i]]++] = i;
  const std::size_t first = at_.size();
  at_.resize(first + pieces.size());
  length_.resize(first + pieces.size());
  std::string gathered;
  std::size_t k = 0;
  for (std::uint32_t b = 0; b < buckets_.size(); ++b) {
    Bucket& bucket = buckets_[b];
    if (bucket.pending > 0) write_out(bucket);
    for (; k < in_order.size() && buckets[in_order[k]] == b; ++k) {
      std::string& piece = pieces[in_order[k]];
      if (!gathered.empty() && gathered.size() + piece.size() > chunk_) write_gathered(bucket, gathered);
      place(first + in_order[k], b, piece.size());
      gathered.append(piece);
      std::string().swap(piece);
    }
    if (!gathered.empty()) write_gathered(bucket, gathered);
  }
}

void WalkSpill::write_gathered(Bucket& bucket, std::string& gathered) {
  write_chunk(bucket, bucket.size - gathered.size(), gathered);
  gathered.clear();
}

void WalkSpill::place(std::size_t i, std::uint32_t bucket, std::size_t length) {
  if (length > std::numeric_limits<std::uint32_t>::max()) {
    errno = EFBIG;
    fail("a piece too large for");
  }
  Bucket& b = buckets_.at(bucket);
  at_[i] = static_cast<std::uint64_t>(bucket) << kLocalBits | b.size;
  length_[i] = static_cast<std::uint32_t>(length);
  b.size += length;
  total_ += length;
}

// A piece never straddles two chunks: one that would overflow the buffer writes it out first,
// and one as large as a chunk is written alone.
void WalkSpill::put(std::size_t i, std::string_view bytes, std::uint32_t bucket) {
  Bucket& b = buckets_.at(bucket);
  if (b.pending > 0 && b.pending + bytes.size() > chunk_) write_out(b);
  place(i, bucket, bytes.size());
  if (bytes.size() >= chunk_) return write_chunk(b, b.size - bytes.size(), bytes);
  if (!slab_) map_slab();
  std::memcpy(pending_of(bucket) + b.pending, bytes.data(), bytes.size());
  b.pending += bytes.size();
}

void WalkSpill::map_slab() {
  void* at = ::mmap(nullptr, chunk_ * buckets_.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (at == MAP_FAILED) fail("no memory to buffer");
  slab_ = static_cast<char*>(at);
}

void WalkSpill::unmap_slab() {
  if (slab_) ::munmap(slab_, chunk_ * buckets_.size());
  slab_ = nullptr;
}

// The bytes from `local` on among the bucket's.
void WalkSpill::write_chunk(Bucket& bucket, std::uint64_t local, std::string_view bytes) {
  bucket.chunks.push_back({local, written_, bytes.size()});
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(written_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      bucket.chunks.pop_back();
      fail("cannot write");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    written_ += static_cast<std::uint64_t>(n);
  }
}

void WalkSpill::write_out(Bucket& bucket) {
  const auto at = static_cast<std::uint32_t>(&bucket - buckets_.data());
  write_chunk(bucket, bucket.size - bucket.pending, std::string_view(pending_of(at), bucket.pending));
  bucket.pending = 0;
}

void WalkSpill::flush() {
  for (Bucket& b : buckets_)
    if (b.pending > 0) write_out(b);
  if (buckets_.size() > 1) unmap_slab();   // the walk is whole: its buffers go back to the system
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
  const std::uint64_t unwritten = bucket.size - bucket.pending;
  auto c = std::upper_bound(bucket.chunks.begin(), bucket.chunks.end(), local,
                            [](std::uint64_t at, const Chunk& k) { return at < k.local; });
  if (local < unwritten) --c;   // the chunk holding `local` (the first starts at 0)
  for (; length > 0 && local < unwritten; ++c) {
    const std::uint64_t in = local - c->local;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(length, c->length - in));
    read_at(c->file + in, into, n);
    into += n, local += n, length -= n;
  }
  const auto at = static_cast<std::uint32_t>(&bucket - buckets_.data());
  if (length > 0) std::memcpy(into, pending_of(at) + (local - unwritten), length);
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
