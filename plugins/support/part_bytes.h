// part_bytes.h: what a sink keeps of one person between runs (SinkContext::each_person_part) as
// bytes: texts and numbers, each a varint-length text, read back in the order written. The bytes
// are the sink's own and are read only by the build that wrote them (the host's mark names the
// plugin library), so there is no version field. A part cut short reads as an Error, never past
// its end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sendhub/error.h"

namespace plugin_support {

class PartWriter {
 public:
  PartWriter& text(std::string_view s) {
    number(s.size());
    out_.append(s);
    return *this;
  }
  PartWriter& number(std::uint64_t n) {
    while (n >= 0x80) {
      out_.push_back(static_cast<char>((n & 0x7f) | 0x80));
      n >>= 7;
    }
    out_.push_back(static_cast<char>(n));
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class PartReader {
 public:
  explicit PartReader(std::string_view in) : in_(in) {}
  bool done() const { return at_ == in_.size(); }
  std::uint64_t number() {
    std::uint64_t n = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= in_.size()) cut_short();
      const auto b = static_cast<unsigned char>(in_[at_++]);
      n |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return n;
    }
    cut_short();
  }
  // Bytes that say something the writer never wrote.
  [[noreturn]] static void fail(const std::string& what) {
    throw sendhub::Error(sendhub::Where{}, "", "store.copy", "a kept part of a person " + what + " (a damaged store?)");
  }
  // How many entries follow: each takes a byte at least, so no more than the bytes left.
  std::size_t count() {
    const std::uint64_t n = number();
    if (n > in_.size() - at_) cut_short();
    return static_cast<std::size_t>(n);
  }
  std::string_view text() {
    const std::uint64_t n = number();
    if (n > in_.size() - at_) cut_short();
    const std::string_view s = in_.substr(at_, static_cast<std::size_t>(n));
    at_ += static_cast<std::size_t>(n);
    return s;
  }

 private:
  [[noreturn]] static void cut_short() { fail("ends too soon"); }
  std::string_view in_;
  std::size_t at_ = 0;
};

}  // namespace plugin_support
