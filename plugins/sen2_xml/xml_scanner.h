// xml_scanner.h: the SEN2 reader's one pass over a return's bytes. It walks the outer
// elements (Message, Persons) itself and hands each record element (the Header, a Person)
// whole to the reader: its bytes and the pieces found in them (tags, text, CDATA), which the
// reader walks as a tree. Nothing holds more than one Person, so memory stays flat however
// large the return; and the bytes are parsed once (pugixml parsing each Person again was a
// sixth of the reading thread's time).
//
// Everything XML forbids is refused here, on the raw bytes: invalid UTF-8, control
// characters, undefined entities (there is no DTD to define one: a DOCTYPE is refused
// outright), unbalanced or mismatched tags, text outside the root. Sizes are capped too:
// nesting deeper than 64, a tag over 4 KiB (SEN2 has no attributes), a text run over 1 MiB,
// an element over 32 MiB. (Expat once spent quadratic time on one huge attribute:
// 5/10/20 MB took 4.7/14.5/51 s.)
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace sen2 {

// What ends the reading of a file: the line it was found on, the rule, what is wrong.
struct XmlProblem {
  std::int64_t line;
  std::string rule, message;
};

struct XmlTag {
  enum Kind { start, end, eof };
  Kind kind = eof;
  std::string_view name;     // valid until the scanner's next call
  bool empty = false;        // <Name/>
  std::int64_t line = 0;
};

// One piece of an element taken whole, in document order. Offsets count from the element's
// first byte; comments and processing instructions leave no piece (they only split text).
struct XmlPiece {
  enum Kind : std::uint8_t { start, end, text, cdata };
  Kind kind = text;
  std::uint32_t at = 0, size = 0;   // start, end: the name; text: the raw run; cdata: its content
  std::int64_t line = 0;            // start: the line of its '<'
};

// Appends the value a text piece stands for, as a conforming parser with pugixml's default
// options gives it: entity and character references replaced, CR LF and a lone CR made LF
// (in CDATA too, where nothing else is replaced); a run of nothing but whitespace is no
// value at all (it lies between markup). The raw bytes were checked by the scanner.
void append_value(std::string& out, std::string_view raw, XmlPiece::Kind kind);

class XmlScanner {
 public:
  static constexpr std::size_t kMaxTag = 4096;
  static constexpr std::size_t kMaxText = std::size_t{1} << 20;
  static constexpr std::size_t kMaxElement = std::size_t{32} << 20;
  static constexpr std::size_t kMaxDepth = 64;

  explicit XmlScanner(std::istream& in);

  // The next start or end tag outside the elements taken whole. Text, comments and
  // processing instructions between tags are checked and passed over; the end of the
  // root element is checked to be the end of the document. Throws XmlProblem.
  XmlTag next();
  // Right after next() returned a start tag: that whole element, from its '<' to the '>'
  // of its end tag, checked as above, with its pieces (the first its own start, the last its
  // end). Both last until the next call. Throws XmlProblem.
  std::string_view take_element();
  const std::vector<XmlPiece>& pieces() const { return pieces_; }
  std::int64_t line() const { return line_; }

 private:
  enum class Token { cdata, start_tag, end_tag, other };
  bool fill();                          // more bytes; false at the end of the input
  bool ensure(std::size_t n);           // n bytes from pos_ (false: the input ends first)
  void scan_text(bool outside_root);
  Token scan_markup(std::size_t depth);
  void scan_start_tag(std::size_t depth);
  void scan_end_tag();
  void add_piece(XmlPiece::Kind kind, std::size_t at, std::size_t size);
  void skip_until(std::size_t opener, std::string_view terminator, const char* what);
  std::size_t name_at(std::size_t at) const;   // length of the XML name starting there
  void check_byte(std::size_t& at);
  void check_entity(std::size_t at) const;
  [[noreturn]] void malformed(const std::string& message) const;

  std::istream& in_;
  std::string buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::size_t keep_ = 0;                // bytes before this may be dropped on refill
  bool eof_ = false;
  std::int64_t line_ = 1;
  // The tag just scanned.
  std::size_t tag_at_ = 0, name_len_ = 0;
  std::int64_t tag_line_ = 1;
  bool tag_empty_ = false;
  std::vector<std::string> open_;       // the outer elements open (Message, Persons)
  bool root_seen_ = false;
  std::vector<XmlPiece> pieces_;        // of the element last taken whole
};

}  // namespace sen2
