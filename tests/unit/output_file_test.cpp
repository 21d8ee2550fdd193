// Outputs are buffered and hashed as written (issue 30: a write(2) per person in the return
// cost more than its bytes, and remembering a sink read every output back to hash it). What
// reaches the disk, and the hash given with it, must still be exactly what the sink wrote.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "io/private_file.h"
#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// Pieces of every size about the buffer's (64 KiB): many small, one that fills it past
// the edge, one larger than the buffer itself, then small again.
std::string written_in_pieces(OutputFile& out) {
  std::string all;
  auto put = [&](const std::string& piece) {
    out.write(piece);
    all += piece;
  };
  for (int i = 0; i < 5000; ++i) put("<Person>" + std::to_string(i) + "</Person>\n");
  put(std::string(70000, 'x'));
  put(std::string((1 << 16) - 3, 'y'));
  put(std::string(200000, 'z'));
  for (int i = 0; i < 10; ++i) put("tail " + std::to_string(i) + "\n");
  return all;
}

TEST(OutputFile, WhatIsPublishedIsWhatWasWrittenAndItsHash) {
  TempDir dir;
  const std::string path = dir / "out/ret.xml";
  io::OutputBatch batch;
  auto out = batch.create(path);
  const std::string expected = written_in_pieces(*out);
  out->commit();
  EXPECT_FALSE(fs::exists(path)) << "a committed file appears only when the batch publishes";
  const auto published = batch.publish();
  ASSERT_EQ(published.size(), 1U);
  EXPECT_EQ(published[0].path, path);
  EXPECT_EQ(test::read_file(path), expected);
  EXPECT_EQ(published[0].sha256, test::sha256sum(path));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
}

TEST(OutputFile, AnEmptyOutputHasTheEmptyHash) {
  TempDir dir;
  io::OutputBatch batch;
  batch.create(dir / "empty.csv")->commit();
  const auto published = batch.publish();
  ASSERT_EQ(published.size(), 1U);
  EXPECT_EQ(published[0].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(OutputFile, UncommittedLeavesNothingEvenWithBufferedBytes) {
  TempDir dir;
  test::write_file(dir / "ret.xml", "the previous return");
  {
    io::OutputBatch batch;
    auto out = batch.create(dir / "ret.xml");
    out->write("half a person");   // still in the buffer
    written_in_pieces(*out);       // and some of it on disk under the temporary name
  }
  EXPECT_EQ(test::read_file(dir / "ret.xml"), "the previous return");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1U) << "no temporary file is left behind";
}

TEST(OutputFile, WriteFileAtomicFlushesTheBuffer) {
  TempDir dir;
  io::write_file_atomic(dir / "small.txt", "a few bytes, never a full buffer");
  EXPECT_EQ(test::read_file(dir / "small.txt"), "a few bytes, never a full buffer");
}

}  // namespace
}  // namespace sendhub
