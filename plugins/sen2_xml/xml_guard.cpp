#include "xml_guard.h"

namespace sen2 {

XmlGuardBuf::int_type XmlGuardBuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  if (problem_) return traits_type::eof();
  in_.read(buf_, sizeof buf_);
  const auto n = scan(buf_, static_cast<std::size_t>(in_.gcount()));
  if (n == 0) return traits_type::eof();
  setg(buf_, buf_, buf_ + n);
  return traits_type::to_int_type(*gptr());
}

// Comments and CDATA count as tags or text by the same byte rule: SEN2 needs neither to
// be long, and a hostile file gains nothing by hiding in them.
std::size_t XmlGuardBuf::scan(const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const char c = data[i];
    if (c == '\n') ++line_;
    if (!in_tag_ && c == '<') {
      in_tag_ = true;
      run_ = 0;
    } else if (in_tag_ && c == '>') {
      in_tag_ = false;
      run_ = 0;
    } else if (++run_ > (in_tag_ ? kMaxTag : kMaxText)) {
      problem_ = XmlTooLarge{line_, in_tag_ ? "a tag with its attributes is longer than " + std::to_string(kMaxTag) +
                                             " bytes (SEN2 has no attributes); the file was refused"
                                       : "a value is longer than " + std::to_string(kMaxText) +
                                             " bytes; the file was refused"};
      return i;
    }
  }
  return n;
}

}  // namespace sen2
