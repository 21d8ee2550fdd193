// The host's one SHA-256 (io/sha256.h) decides whether an input is the file read last time
// and whether a published output is still the hub's: a wrong digest silently skips a changed
// file. Checked against the standard's vectors and against sha256sum on files larger than
// the read block.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "io/sha256.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(io::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(io::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, PiecesGiveTheDigestOfTheWholeAndHexStartsAgain) {
  io::Sha256 sha;
  sha.update("a");
  sha.update("");
  sha.update("bc");
  EXPECT_EQ(sha.hex(), io::sha256_hex("abc"));
  EXPECT_EQ(sha.hex(), io::sha256_hex(""));  // the digest starts again empty
}

TEST(Sha256, AFileLargerThanTheReadBlockHashesAsSha256sumDoes) {
  TempDir dir;
  const std::string path = dir / "big.xml";
  std::string bytes;
  for (int i = 0; bytes.size() < (3u << 20) + 17; ++i) bytes += "<Person><UPN>" + std::to_string(i) + "</UPN></Person>\r\n";
  std::ofstream(path, std::ios::binary) << bytes;
  std::string hex;
  std::int64_t size = -1;
  ASSERT_TRUE(io::hash_file(path, hex, size));
  EXPECT_EQ(size, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(hex, io::sha256_hex(bytes));
  EXPECT_EQ(hex, test::run("sha256sum " + path).output.substr(0, 64));
}

TEST(Sha256, AFileThatCannotBeReadIsSaidSo) {
  TempDir dir;
  std::string hex = "unchanged";
  std::int64_t size = 7;
  EXPECT_FALSE(io::hash_file(dir / "missing.xml", hex, size));
  EXPECT_EQ(hex, "unchanged");
  EXPECT_FALSE(io::hash_file(dir.path(), hex, size));  // a folder opens but does not read
}

}  // namespace
}  // namespace sendhub
