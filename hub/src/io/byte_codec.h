// io/byte_codec.h: the one way the hub turns numbers and texts into bytes of its own (a kept
// group's copy, store/group_codec.h; a walk's spilled issues, pipeline/issue_spill.h) and reads
// them back: an unsigned number as a varint (7 bits a byte, low first, the top bit set while
// more follow), a signed one zig-zagged first (a small negative number stays one byte), a text
// as its length and its bytes. Group copies kept in a store between runs are in this format:
// changing it is a migration.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sendhub::io {

inline void put_number(std::string& out, std::uint64_t n) {
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

inline void put_signed(std::string& out, std::int64_t n) {
  put_number(out, (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63));
}

inline void put_text(std::string& out, std::string_view s) {
  put_number(out, s.size());
  out += s;
}

// Reads what the put_ functions wrote, in order. Bytes that end too soon or run on are an
// Error under `rule`, its message beginning with `subject` ("a kept group's bytes"): never a
// read past the end.
class ByteReader {
 public:
  ByteReader(std::string_view in, const char* rule, const char* subject) : in_(in), rule_(rule), subject_(subject) {}

  std::uint64_t number() {
    std::uint64_t n = 0;
    for (int shift = 0;; shift += 7) {
      if (at_ >= in_.size() || shift > 63) corrupt("end too soon");
      const auto byte = static_cast<unsigned char>(in_[at_++]);
      n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return n;
    }
  }
  std::int64_t signed_number() {
    const std::uint64_t z = number();
    return static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
  }
  // A text as a view into the bytes read.
  std::string_view view() {
    const auto n = number();
    if (n > left()) corrupt("end too soon");
    std::string_view s(in_.data() + at_, static_cast<std::size_t>(n));
    at_ += static_cast<std::size_t>(n);
    return s;
  }
  std::string text() { return std::string(view()); }
  // A count of things still to read, each at least one byte: more than the bytes left is damage.
  std::uint64_t count() {
    const auto n = number();
    if (n > left()) corrupt("end too soon");
    return n;
  }
  std::size_t left() const { return in_.size() - at_; }
  // Throws unless every byte was read.
  void finish() const {
    if (at_ != in_.size()) corrupt("run on past their end");
  }
  [[noreturn]] void corrupt(const char* how) const;

 private:
  std::string_view in_;
  std::size_t at_ = 0;
  const char* rule_;
  const char* subject_;
};

}  // namespace sendhub::io
