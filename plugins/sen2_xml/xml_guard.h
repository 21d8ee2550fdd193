// xml_guard.h: a stream filter in front of expat. Expat spends quadratic time on one huge
// attribute (5/10/20 MB took 4.7/14.5/51 s), so sizes are capped on the raw bytes, before
// expat sees them: a tag (name and attributes; SEN2 has no attributes at all) longer than
// kMaxTag, or a run of text between tags longer than kMaxText, ends the stream there
// (expat then sees a cut file); problem() says why, naming the line, and takes precedence
// over what expat says about the cut. (An exception would be swallowed by the istream.)
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>

namespace sen2 {

struct XmlTooLarge {
  std::int64_t line;
  std::string message;
};

class XmlGuardBuf final : public std::streambuf {
 public:
  static constexpr std::size_t kMaxTag = 4096;
  static constexpr std::size_t kMaxText = std::size_t{1} << 20;
  explicit XmlGuardBuf(std::istream& in) : in_(in) {}
  const std::optional<XmlTooLarge>& problem() const { return problem_; }

 protected:
  int_type underflow() override;

 private:
  std::size_t scan(const char* data, std::size_t n);   // how many bytes may pass
  std::optional<XmlTooLarge> problem_;
  std::istream& in_;
  char buf_[1 << 16];
  bool in_tag_ = false;
  std::size_t run_ = 0;         // bytes of the current tag or text run
  std::int64_t line_ = 1;
};

}  // namespace sen2
