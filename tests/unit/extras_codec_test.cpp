// A record's extras as the store keeps them (store/extras_codec.h): the text encode_extras
// writes by hand is Poco::JSON's, byte for byte (every stored row_hash was made from Poco's),
// for every byte in a value or a name and for maps of random bytes; and it reads back.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>

#include <map>
#include <random>
#include <sstream>
#include <string>

#include "store/extras_codec.h"

namespace sendhub {
namespace {

std::string poco(const std::map<std::string, std::string>& extras) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, value] : extras) o.set(name, value);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

TEST(ExtrasCodec, EveryByteIsWrittenAsPocoWritesIt) {
  for (int c = 0; c < 256; ++c) {
    const std::string s = std::string("a") + static_cast<char>(c) + "/b";
    const std::map<std::string, std::string> extras{{s, s}, {"plain", "x"}};
    EXPECT_EQ(encode_extras(extras), poco(extras)) << "byte " << c;
    // Poco's parser reads back what a CSV field can hold: no NUL, UTF-8 (checked on reading).
    if (c > 0 && c < 0x80) {
      EXPECT_EQ(decode_extras(encode_extras(extras)), extras) << "byte " << c;
    }
  }
}

TEST(ExtrasCodec, RandomBytesAreWrittenAsPocoWritesThem) {
  std::mt19937 rng(30);
  auto bytes = [&](unsigned most) {
    std::string s(rng() % most, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 256);
    return s;
  };
  for (int i = 0; i < 20000; ++i) {
    std::map<std::string, std::string> extras;
    for (unsigned n = rng() % 4; n > 0; --n) extras[bytes(6)] = bytes(14);
    ASSERT_EQ(encode_extras(extras), extras.empty() ? "" : poco(extras)) << "map " << i;
  }
}

}  // namespace
}  // namespace sendhub
