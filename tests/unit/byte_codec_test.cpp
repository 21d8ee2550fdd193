// The one byte codec (io/byte_codec.h) that group copies and spilled issues share: numbers at
// every width's edge and texts of any bytes come back as written; bytes cut short anywhere, a
// varint that never ends or bytes that run on are an Error under the caller's rule, never a
// read past the end; and the varint is the format stores already keep (a migration otherwise).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "io/byte_codec.h"
#include "sendhub/error.h"

namespace sendhub::io {
namespace {

const std::vector<std::uint64_t> kNumbers = {0, 1, 127, 128, 16383, 16384, 1ULL << 35, std::numeric_limits<std::uint64_t>::max()};
const std::vector<std::int64_t> kSigned = {0, -1, 1, -64, 63, -65, std::numeric_limits<std::int64_t>::min(),
                                           std::numeric_limits<std::int64_t>::max()};
const std::string kText("a \0 NUL, \xff\xfe bytes\n", 18);

std::string written() {
  std::string out;
  for (auto n : kNumbers) put_number(out, n);
  for (auto n : kSigned) put_signed(out, n);
  put_text(out, kText);
  put_text(out, "");
  return out;
}

void read_all(ByteReader& in) {
  for (auto n : kNumbers) EXPECT_EQ(in.number(), n);
  for (auto n : kSigned) EXPECT_EQ(in.signed_number(), n);
  EXPECT_EQ(in.text(), kText);
  EXPECT_EQ(in.view(), "");
}

TEST(ByteCodec, NumbersAtEveryEdgeAndTextsOfAnyBytesComeBackAsWritten) {
  const std::string bytes = written();
  ByteReader in(bytes, "test.rule", "the test's bytes");
  read_all(in);
  EXPECT_EQ(in.left(), 0U);
  EXPECT_NO_THROW(in.finish());
}

TEST(ByteCodec, TheVarintIsTheFormatStoresKeep) {
  std::string out;
  put_number(out, 300);     // 0b1_0010_1100: low seven bits first, the top bit set while more follow
  put_signed(out, -2);      // zig-zag: 3
  put_text(out, "ab");
  EXPECT_EQ(out, std::string("\xac\x02\x03\x02" "ab"));
}

TEST(ByteCodec, BytesCutShortAnywhereAreAnErrorUnderTheCallersRule) {
  const std::string bytes = written();
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    ByteReader in(std::string_view(bytes).substr(0, cut), "test.rule", "the test's bytes");
    try {
      read_all(in);
      ADD_FAILURE() << "read past a cut at " << cut;
    } catch (const Error& e) {
      EXPECT_EQ(e.rule(), "test.rule") << cut;
      EXPECT_NE(std::string(e.what()).find("the test's bytes end too soon"), std::string::npos) << e.what();
    }
  }
}

TEST(ByteCodec, AVarintThatNeverEndsACountPastTheBytesAndBytesThatRunOnAreErrors) {
  const std::string endless(11, '\xff');
  ByteReader a(endless, "r", "s");
  EXPECT_THROW(a.number(), Error);
  std::string many;
  put_number(many, 5);
  many += "abcd";   // five things promised, four bytes left
  ByteReader b(many, "r", "s");
  EXPECT_THROW(b.count(), Error);
  ByteReader c(many, "r", "s");
  EXPECT_EQ(c.number(), 5U);
  EXPECT_THROW(c.finish(), Error);
}

}  // namespace
}  // namespace sendhub::io
