// pipeline/walk_spill.h: the run's walk of the dataset past the memory budget (issue 30.2).
// The groups the first sink's walk keeps as bytes go, once they pass the budget, to a private
// temporary file: created 0600 in the temporary folder (TMPDIR) and unlinked at once, so
// nothing of it outlives the run, even a killed one. Later sinks read it back sequentially or
// by offset, which costs a fraction of walking the store again (eight indexed joins a group,
// each a random read once the store outgrows its page cache). Memory: 12 bytes a group.
// The validation beside the run keeps its issues past its queue's bound in one as well
// (issue_spill.h): any bytes appended in order and read back by place.
//
// Buckets (issue 30): the later walks ask for the groups in another order than the first walk
// spilled them in, and read one at a time, each group was a system call of its own (a walk at
// 100,000 children: 100,000 `pread`s, about 0.2 s of CPU, against 12 ms for the same bytes in
// 256 KiB reads). So each group goes to the bucket of its place in the order the later walks
// will ask (the caller says which), each bucket gathering its groups in a buffer written out in
// chunks of its own; a walk asking in that order reads each bucket whole, chunk by chunk
// (Window), and anything else still reads a group alone. Memory: a chunk a bucket while the
// walk spills, and a bucket a walk reading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sendhub {

class WalkSpill {
 public:
  // `what` names what spills, in messages; `buckets` (at least 1) how many the pieces go to.
  // Throws Error (rule io) when the file cannot be made.
  explicit WalkSpill(std::string what = "the dataset walk", std::uint32_t buckets = 1);
  ~WalkSpill();
  WalkSpill(const WalkSpill&) = delete;
  WalkSpill& operator=(const WalkSpill&) = delete;

  // Appends one piece's bytes to a bucket (buffered); throws Error (rule io) when the disk
  // refuses them.
  void add(std::string_view bytes, std::uint32_t bucket = 0);
  // Appends pieces held in memory (each emptied as it goes) to their buckets, bucket by bucket:
  // one bucket's buffer at a time, in the memory the pieces freed, where adding them in turn
  // would fill every bucket's buffer at once on top of them.
  void add_all(std::vector<std::string>& pieces, const std::vector<std::uint16_t>& buckets);
  // Writes what is buffered (and, with more than one bucket, frees the buffers: call once the
  // walk is whole). Pieces may be read before it too.
  void flush();
  // The i-th piece's bytes, read alone into buffer (which is returned).
  const std::string& read(std::size_t i, std::string& buffer) const;
  std::size_t size() const { return at_.size(); }
  std::uint64_t bytes() const { return total_; }

  // A walk's reader: while the pieces it asks for come bucket after bucket, it reads each
  // bucket whole (up to a bound: a larger one is read piece by piece); once one comes from a
  // bucket behind, it reads each piece alone. One a walk, once every piece is added: it holds
  // that walk's bucket as it was when read.
  class Window {
   public:
    // in_order false: every piece read alone (a walk asking in no bucket's order).
    explicit Window(bool in_order = true) : in_order_(in_order) {}
    // The i-th piece's bytes, valid until the next call.
    std::string_view read(const WalkSpill& spill, std::size_t i);

   private:
    bool in_order_;
    std::int64_t held_ = -1;   // the bucket in bytes_
    std::int64_t last_ = -1;   // the last bucket asked
    std::string bytes_, alone_;
  };

 private:
  struct Chunk {
    std::uint64_t local;   // where it starts among its bucket's bytes
    std::uint64_t file;    // and in the file
    std::uint64_t length;
  };
  struct Bucket {
    std::size_t pending = 0;   // its last bytes, not yet written (in its buffer)
    std::uint64_t size = 0;    // every byte it was given
    std::vector<Chunk> chunks;
  };
  [[noreturn]] void fail(const char* what) const;
  void put(std::size_t i, std::string_view bytes, std::uint32_t bucket);   // piece i's bytes
  void place(std::size_t i, std::uint32_t bucket, std::size_t length);      // where they go
  void write_chunk(Bucket& bucket, std::uint64_t local, std::string_view bytes);   // from local on
  void write_gathered(Bucket& bucket, std::string& gathered);   // add_all's: the bucket's last bytes
  void write_out(Bucket& bucket);   // its buffer
  void map_slab();
  void unmap_slab();
  char* pending_of(std::uint32_t bucket) const { return slab_ + static_cast<std::size_t>(bucket) * chunk_; }
  void read_at(std::uint64_t file, char* into, std::size_t length) const;
  // Copies `length` bytes of `bucket` from `local` on into `into`.
  void read_bucket(const Bucket& bucket, std::uint64_t local, char* into, std::size_t length) const;
  std::uint32_t bucket_of(std::size_t i) const { return static_cast<std::uint32_t>(at_[i] >> kLocalBits); }
  std::uint64_t local_of(std::size_t i) const { return at_[i] & ((std::uint64_t{1} << kLocalBits) - 1); }

  static constexpr int kLocalBits = 44;   // 16 TiB a bucket; 2^20 buckets
  int fd_ = -1;
  std::string what_;
  std::string path_;   // for messages only: the file is unlinked at once
  std::size_t chunk_;  // a bucket's buffer: its bytes are written once it would overflow
  // The buckets' buffers, end to end in one mapping of their own: given back to the system whole
  // once the walk is whole (freed to the heap, they stayed on the night's peak: +11 to +20 MB).
  char* slab_ = nullptr;
  std::uint64_t written_ = 0, total_ = 0;
  std::vector<Bucket> buckets_;
  std::vector<std::uint64_t> at_;        // each piece's bucket (high bits) and place in it
  std::vector<std::uint32_t> length_;    // and its length
};

}  // namespace sendhub
