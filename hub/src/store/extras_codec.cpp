#include "store/extras_codec.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace sendhub {

namespace {

// A JSON string as Poco::JSON's stringify writes it (tests/unit/extras_codec_test.cpp holds the
// two byte for byte): quote and backslash escaped, the control characters as \b \f \n \r \t or
// \u00XX (upper-case hex), every other byte as it is (UTF-8 or not), '/' unescaped.
void json_string(std::string& out, const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '"';
  std::size_t plain = 0;   // the start of the bytes not yet appended, which need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(s, plain, std::string::npos);
  out += '"';
}

}  // namespace

// Written by hand, not through Poco::JSON::Object: every CMS row stored or compared is hashed
// with its extras (store::row_hash), and building an Object and a stream per row was most of
// the hash (a sixth of a night's CMS people at 100,000 children). Per row of three extras: the
// Object 4.2 us, Poco::toJSON on each string 1.7 us, this 0.4 us. The text is the same, so
// every stored row_hash holds.
std::string encode_extras(const std::map<std::string, std::string>& extras) {
  if (extras.empty()) return "";
  std::string out = "{";
  std::size_t size = 2;
  for (const auto& [name, value] : extras) size += name.size() + value.size() + 6;
  out.reserve(size);   // one allocation where escapes are few
  for (const auto& [name, value] : extras) {  // std::map: sorted, so stable
    if (out.size() > 1) out += ',';
    json_string(out, name);
    out += ':';
    json_string(out, value);
  }
  out += '}';
  return out;
}

std::map<std::string, std::string> decode_extras(const std::string& text) {
  std::map<std::string, std::string> out;
  if (text.empty()) return out;
  const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(text);
  const auto& o = parsed.extract<Poco::JSON::Object::Ptr>();  // `parsed` outlives it
  for (const auto& [name, value] : *o) out[name] = value.toString();
  return out;
}

}  // namespace sendhub
