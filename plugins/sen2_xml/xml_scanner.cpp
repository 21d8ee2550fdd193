#include "xml_scanner.h"

#include <cstdio>
#include <cstring>

namespace sen2 {
namespace {

constexpr std::size_t kRead = std::size_t{1} << 20;   // bytes read at a time
constexpr std::size_t kLookahead = 16;                 // an entity or UTF-8 sequence fits

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// What each byte is, looked up once per byte: the text loop stops only on bytes that need
// a closer look.
enum ByteClass : unsigned char { plain = 0, special = 1, name_first = 2, name_rest = 4 };
struct ByteTable {
  unsigned char of[256] = {};
  constexpr ByteTable() {
    for (int c = 0; c < 256; ++c) {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
      if (letter) of[c] |= name_first | name_rest;
      if ((c >= '0' && c <= '9') || c == '.' || c == '-') of[c] |= name_rest;
      if (c == '<' || c == '&' || c < 0x20 || c >= 0x80) of[c] |= special;
    }
  }
};
constexpr ByteTable kBytes;
bool name_start(unsigned char c) { return kBytes.of[c] & name_first; }
bool name_char(unsigned char c) { return kBytes.of[c] & name_rest; }

// Length of the UTF-8 sequence at p (at most avail bytes there), or 0 when it is not one
// XML allows: overlong forms, surrogates, U+FFFE/U+FFFF and beyond U+10FFFF are refused.
std::size_t utf8_length(const unsigned char* p, std::size_t avail) {
  const unsigned char c = p[0];
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  }
  if (n == 0 || avail < n || p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) return 0;
  return n;
}

bool xml_char(unsigned long cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

// The character an entity reference stands for (body: between '&' and ';'), when it is one
// XML defines without a DTD: the five predefined names or a character reference to an XML
// character; otherwise -1.
long entity_code_point(std::string_view body) {
  if (body == "amp") return '&';
  if (body == "lt") return '<';
  if (body == "gt") return '>';
  if (body == "apos") return '\'';
  if (body == "quot") return '"';
  if (body.size() < 2 || body[0] != '#') return -1;
  const bool hex = body[1] == 'x';
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 7) return -1;
  unsigned long cp = 0;
  for (char d : digits) {
    int v = -1;
    if (d >= '0' && d <= '9') v = d - '0';
    else if (hex && (d | 0x20) >= 'a' && (d | 0x20) <= 'f') v = (d | 0x20) - 'a' + 10;
    if (v < 0) return -1;
    cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
  }
  return xml_char(cp) ? static_cast<long>(cp) : -1;
}

bool known_entity(std::string_view body) { return entity_code_point(body) >= 0; }

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void append_value(std::string& out, std::string_view raw, XmlPiece::Kind kind) {
  const bool references = kind == XmlPiece::text;
  if (references && raw.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
  if (raw.find_first_of(references ? "&\r" : "\r") == std::string_view::npos) {   // the common case
    out.append(raw);
    return;
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\r') {
      out += '\n';
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    } else if (c == '&' && references) {
      const std::size_t semi = raw.find(';', i);
      const long cp = semi == std::string_view::npos ? -1 : entity_code_point(raw.substr(i + 1, semi - i - 1));
      if (cp < 0) {   // the scanner refuses such a text: kept as written should one come through
        out += c;
        continue;
      }
      append_utf8(out, static_cast<unsigned long>(cp));
      i = semi;
    } else {
      out += c;
    }
  }
}

XmlScanner::XmlScanner(std::istream& in) : in_(in) {
  if (ensure(3) && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;   // a UTF-8 byte-order mark
}

bool XmlScanner::fill() {
  if (eof_) return false;
  const std::size_t drop = keep_;
  if (drop > 0) {
    std::memmove(buf_.data(), buf_.data() + drop, end_ - drop);
    end_ -= drop;
    pos_ -= drop;
    tag_at_ = tag_at_ >= drop ? tag_at_ - drop : 0;
    keep_ = 0;
  }
  if (buf_.size() < end_ + kRead) buf_.resize(end_ + kRead);
  in_.read(buf_.data() + end_, static_cast<std::streamsize>(kRead));
  const auto got = static_cast<std::size_t>(in_.gcount());
  end_ += got;
  if (got == 0) eof_ = true;
  return got > 0;
}

bool XmlScanner::ensure(std::size_t n) {
  while (end_ - pos_ < n)
    if (!fill()) return false;
  return true;
}

void XmlScanner::malformed(const std::string& message) const {
  throw XmlProblem{line_, "xml.malformed", "malformed XML: " + message};
}

// A byte below 0x20 or above 0x7F at `at`: a line end, a tab, or a UTF-8 sequence, which
// `at` is moved to the last byte of. Anything else XML forbids.
void XmlScanner::check_byte(std::size_t& at) {
  const auto c = static_cast<unsigned char>(buf_[at]);
  if (c == '\n') {
    ++line_;
  } else if (c == '\r') {
    if (at + 1 >= end_ || buf_[at + 1] != '\n') ++line_;   // a lone CR ends a line too
  } else if (c >= 0x80) {
    const std::size_t n = utf8_length(reinterpret_cast<const unsigned char*>(buf_.data()) + at, end_ - at);
    if (n == 0) malformed("invalid UTF-8 (the file says it is UTF-8; declare its encoding if it is not)");
    at += n - 1;
  } else if (c != '\t') {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", c);
    malformed(std::string("a control character (") + hex + ") is not allowed in XML");
  }
}

void XmlScanner::check_entity(std::size_t at) const {
  const std::size_t stop = std::min(end_, at + kLookahead);
  for (std::size_t i = at + 1; i < stop; ++i)
    if (buf_[i] == ';') {
      if (known_entity(std::string_view(buf_.data() + at + 1, i - at - 1))) return;
      break;
    }
  malformed("an '&' that starts no entity XML defines (a literal & is written &amp;)");
}

void XmlScanner::scan_text(bool outside_root) {
  std::size_t run = 0;
  for (;;) {
    ensure(kLookahead + 1);   // one byte more than the lookahead, so each pass moves on
    if (pos_ == end_) return;
    const std::size_t limit = eof_ ? end_ : end_ - kLookahead;
    const char* b = buf_.data();
    std::size_t at = pos_;
    for (; at < limit; ++at) {
      auto c = static_cast<unsigned char>(b[at]);
      while (!(kBytes.of[c] & special) && !outside_root && ++at < limit) c = static_cast<unsigned char>(b[at]);
      if (at == limit || c == '<') break;
      if (c == '&') check_entity(at);
      else if (c < 0x20 || c >= 0x80) check_byte(at);
      if (outside_root && !is_space(c)) malformed(c == '&' || c >= 0x20 ? "text outside the root element" : "not XML");
    }
    run += at - pos_;
    pos_ = at;
    if (run > kMaxText)
      throw XmlProblem{line_, "xml.size", "a value is longer than " + std::to_string(kMaxText) +
                                              " bytes; the file was refused"};
    if (at < limit || (eof_ && at == end_)) return;
  }
}

std::size_t XmlScanner::name_at(std::size_t at) const {
  std::size_t i = at;
  if (i >= end_ || !name_start(static_cast<unsigned char>(buf_[i]))) return 0;
  while (i < end_ && name_char(static_cast<unsigned char>(buf_[i]))) {
    if (static_cast<unsigned char>(buf_[i]) >= 0x80) {
      const std::size_t n = utf8_length(reinterpret_cast<const unsigned char*>(buf_.data()) + i, end_ - i);
      if (n == 0) return 0;
      i += n;
    } else {
      ++i;
    }
  }
  return i - at;
}

// From '<' at pos_: a tag, a comment, a processing instruction or a CDATA section.
XmlScanner::Token XmlScanner::scan_markup(std::size_t depth) {
  ensure(kMaxTag + kLookahead);
  const std::string_view rest(buf_.data() + pos_, end_ - pos_);
  if (rest.starts_with("<?")) return skip_until(2, "?>", "a processing instruction"), Token::other;
  if (rest.starts_with("<!--")) return skip_until(4, "-->", "a comment"), Token::other;
  if (rest.starts_with("<![CDATA[")) return skip_until(9, "]]>", "a CDATA section"), Token::cdata;
  if (rest.starts_with("<!DOCTYPE"))
    throw XmlProblem{line_, "xml.dtd", "a DOCTYPE is not allowed in a SEN2 return"};
  if (rest.starts_with("<!")) malformed("'<!' starts no comment or CDATA section");
  if (rest.starts_with("</")) return scan_end_tag(), Token::end_tag;
  scan_start_tag(depth);
  return Token::start_tag;
}

void XmlScanner::skip_until(std::size_t opener, std::string_view terminator, const char* what) {
  std::size_t run = 0;
  pos_ += opener;
  for (;;) {
    ensure(kLookahead + 1);   // one byte more than the lookahead, so each pass moves on
    const std::size_t limit = eof_ ? end_ : end_ - kLookahead;
    std::size_t at = pos_;
    for (; at < limit; ++at) {
      const auto c = static_cast<unsigned char>(buf_[at]);
      if (c == static_cast<unsigned char>(terminator[0]) &&
          std::string_view(buf_.data() + at, std::min(end_ - at, terminator.size())) == terminator) {
        pos_ = at + terminator.size();
        return;
      }
      if (c < 0x20 || c >= 0x80) check_byte(at);
    }
    run += at - pos_;
    pos_ = at;
    if (run > kMaxText)
      throw XmlProblem{line_, "xml.size", std::string(what) + " is longer than " + std::to_string(kMaxText) +
                                              " bytes; the file was refused"};
    if (eof_ && pos_ == end_) malformed(std::string("the file ends inside ") + what);
  }
}

void XmlScanner::scan_start_tag(std::size_t depth) {
  tag_at_ = pos_;
  tag_line_ = line_;
  name_len_ = name_at(pos_ + 1);
  if (name_len_ == 0) malformed("a '<' that starts no tag (a literal < is written &lt;)");
  const std::size_t limit = std::min(end_, pos_ + kMaxTag + 1);
  std::size_t i = pos_ + 1 + name_len_;
  auto too_long = [&] {
    if (i < limit) return;
    if (limit == end_ && eof_) malformed("the file ends inside a tag");
    throw XmlProblem{tag_line_, "xml.size", "a tag with its attributes is longer than " + std::to_string(kMaxTag) +
                                                " bytes (SEN2 has no attributes); the file was refused"};
  };
  auto spaces = [&] {
    const std::size_t from = i;
    for (; i < limit && is_space(static_cast<unsigned char>(buf_[i])); ++i)
      if (buf_[i] == '\n' || buf_[i] == '\r') check_byte(i);
    return i != from;
  };
  for (;;) {
    const bool spaced = spaces();
    too_long();
    if (buf_[i] == '>' || buf_[i] == '/') break;
    const std::size_t attr = spaced ? name_at(i) : 0;
    if (attr == 0) malformed("a tag that is not <Name> or <Name attribute=\"value\">");
    i += attr;
    spaces();
    too_long();
    if (buf_[i] != '=') malformed("an attribute without '=\"value\"'");
    ++i;
    spaces();
    too_long();
    const char quote = buf_[i];
    if (quote != '"' && quote != '\'') malformed("an attribute value without quotes");
    for (++i;; ++i) {
      too_long();
      const auto c = static_cast<unsigned char>(buf_[i]);
      if (c == static_cast<unsigned char>(quote)) break;
      if (c == '<') malformed("a '<' inside an attribute value");
      if (c == '&') check_entity(i);
      else if (c < 0x20 || c >= 0x80) check_byte(i);
    }
    ++i;
  }
  tag_empty_ = buf_[i] == '/';
  if (tag_empty_) {
    ++i;
    too_long();
    if (buf_[i] != '>') malformed("'/' in a tag not followed by '>'");
  }
  if (!tag_empty_ && depth + 1 > kMaxDepth)
    throw XmlProblem{tag_line_, "xml.depth", "elements nested deeper than " + std::to_string(kMaxDepth) + " levels"};
  pos_ = i + 1;
}

void XmlScanner::scan_end_tag() {
  tag_at_ = pos_ + 1;     // so that the name starts at tag_at_ + 1, as in a start tag
  tag_line_ = line_;
  name_len_ = name_at(pos_ + 2);
  if (name_len_ == 0) malformed("'</' not followed by an element name");
  std::size_t i = pos_ + 2 + name_len_;
  const std::size_t limit = std::min(end_, pos_ + kMaxTag + 1);
  for (; i < limit && is_space(static_cast<unsigned char>(buf_[i])); ++i)
    if (buf_[i] == '\n' || buf_[i] == '\r') check_byte(i);
  if (i >= limit) malformed("the file ends inside an end tag");
  if (buf_[i] != '>') malformed("an end tag with more than its name");
  pos_ = i + 1;
}

XmlTag XmlScanner::next() {
  for (;;) {
    keep_ = pos_;
    scan_text(open_.empty());
    if (!ensure(1)) {
      if (!open_.empty()) malformed("the file ends inside <" + open_.back() + ">: it may have been cut short");
      if (!root_seen_) malformed("no root element: the file is empty or not XML");
      return XmlTag{XmlTag::eof, {}, false, line_};
    }
    keep_ = pos_;
    const Token token = scan_markup(open_.size());
    const std::string_view name(buf_.data() + tag_at_ + 1, name_len_);
    if (token == Token::cdata && open_.empty()) malformed("a CDATA section outside the root element");
    if (token == Token::start_tag) {
      if (open_.empty() && root_seen_) malformed("a second root element after the first one ended");
      root_seen_ = true;
      if (!tag_empty_) open_.emplace_back(name);
      return XmlTag{XmlTag::start, name, tag_empty_, tag_line_};
    }
    if (token == Token::end_tag) {
      if (open_.empty()) malformed("</" + std::string(name) + "> closes no element");
      if (open_.back() != name) malformed("</" + std::string(name) + "> does not close <" + open_.back() + ">");
      open_.pop_back();
      return XmlTag{XmlTag::end, name, false, tag_line_};
    }
  }
}

// Offsets from the element's first byte, which stays at keep_ while the element is taken
// (a refill moves both).
void XmlScanner::add_piece(XmlPiece::Kind kind, std::size_t at, std::size_t size) {
  pieces_.push_back(XmlPiece{kind, static_cast<std::uint32_t>(at - keep_), static_cast<std::uint32_t>(size), tag_line_});
}

std::string_view XmlScanner::take_element() {
  keep_ = tag_at_;
  pieces_.clear();
  add_piece(XmlPiece::start, tag_at_ + 1, name_len_);
  if (tag_empty_) {
    add_piece(XmlPiece::end, tag_at_ + 1, name_len_);
    return {buf_.data() + keep_, pos_ - keep_};
  }
  const std::int64_t first_line = tag_line_;
  std::vector<std::string> inner{open_.back()};
  open_.pop_back();
  const std::size_t outside = open_.size();
  for (;;) {
    const std::size_t text_from = pos_ - keep_;
    scan_text(false);
    if (pos_ - keep_ > text_from) add_piece(XmlPiece::text, keep_ + text_from, pos_ - keep_ - text_from);
    if (pos_ - keep_ > kMaxElement)
      throw XmlProblem{first_line, "xml.size", "a <" + inner.front() + "> element is longer than " +
                                                   std::to_string(kMaxElement) + " bytes; the file was refused"};
    if (!ensure(1)) malformed("the file ends inside <" + inner.back() + ">: it may have been cut short");
    const std::size_t markup_from = pos_ - keep_;
    const Token token = scan_markup(outside + inner.size());
    const std::string_view name(buf_.data() + tag_at_ + 1, name_len_);
    if (token == Token::cdata) {   // <![CDATA[ ... ]]>
      add_piece(XmlPiece::cdata, keep_ + markup_from + 9, pos_ - keep_ - markup_from - 12);
      continue;
    }
    if (token == Token::start_tag) {
      add_piece(XmlPiece::start, tag_at_ + 1, name_len_);
      if (tag_empty_) add_piece(XmlPiece::end, tag_at_ + 1, name_len_);
      else inner.emplace_back(name);
    }
    if (token != Token::end_tag) continue;
    if (inner.back() != name) malformed("</" + std::string(name) + "> does not close <" + inner.back() + ">");
    add_piece(XmlPiece::end, tag_at_ + 1, name_len_);
    inner.pop_back();
    if (inner.empty()) return {buf_.data() + keep_, pos_ - keep_};
  }
}

}  // namespace sen2
