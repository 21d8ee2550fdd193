// Issue 15.14: the archive of raw inputs is the hub's own folder, written without
// following links, and retention deletes only the copies the hub wrote.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>
#include <ctime>
#include <filesystem>

#include "pipeline/input_archive.h"
#include "store/store.h"
#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// A link to dir/victim where the archive's copy of in.csv would be written first (its .part);
// returns the archive's folder for that copy.
fs::path plant_link(const TempDir& dir, const std::string& sha) {
  fs::path sub = fs::path(dir / "archive") / sha.substr(0, 2);
  fs::create_directories(sub);
  ::chmod((dir / "archive").c_str(), 0700);
  ::chmod(sub.c_str(), 0700);
  fs::create_symlink(dir / "victim", sub / (sha + ".csv.part"));
  return sub;
}

TEST(InputArchive, RefusesAFolderOthersCanWrite) {
  TempDir dir;
  test::write_file(dir / "in.csv", "a,b\n");
  fs::create_directories(dir / "archive");
  ::chmod((dir / "archive").c_str(), 0777);
  try {
    archive_input(dir / "in.csv", dir / "archive");
    FAIL() << "a world-writable archive was used";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("writable by group or others"), std::string::npos) << e.message();
  }
}

TEST(InputArchive, NeverWritesThroughAPlantedLink) {
  TempDir dir;
  test::write_file(dir / "in.csv", "a,b\n");
  test::write_file(dir / "victim", "precious");
  const std::string sha = test::sha256sum(dir / "in.csv");
  const fs::path sub = plant_link(dir, sha);
  InputFile f = archive_input(dir / "in.csv", dir / "archive");
  EXPECT_EQ(test::read_file(dir / "victim"), "precious");
  EXPECT_EQ(test::read_file(f.archived), "a,b\n");
  EXPECT_FALSE(fs::is_symlink(f.archived));
}

// A copy made beside the reading (ArchiveCopies): once waited for, the same private copy as one
// made at once, never through a planted link; the same file twice is copied once.
TEST(InputArchive, ACopyMadeBesideTheReadingIsTheSameOnceWaitedFor) {
  TempDir dir;
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "row " + std::to_string(i) + ",x\n";
  test::write_file(dir / "in.csv", big);
  test::write_file(dir / "victim", "precious");
  const std::string sha = test::sha256sum(dir / "in.csv");
  const fs::path sub = plant_link(dir, sha);
  ArchiveCopies beside;
  const InputFile f = archive_input(dir / "in.csv", dir / "archive", std::nullopt, &beside);
  const InputFile again = archive_input(dir / "in.csv", dir / "archive", std::nullopt, &beside);
  EXPECT_EQ(f.archived, sub / (sha + ".csv"));
  EXPECT_EQ(again.archived, f.archived);
  beside.wait();
  EXPECT_EQ(test::read_file(f.archived), big);
  EXPECT_EQ(test::read_file(dir / "victim"), "precious");
  EXPECT_FALSE(fs::exists(sub / (sha + ".csv.part")));
  struct stat st {};
  ASSERT_EQ(::stat(f.archived.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(f.sha256, sha);
}

// The copy is kept under its content's name only: a file that is not what was hashed (written
// to while the run read it; here a stale hash) fails the source, and no copy is left.
TEST(InputArchive, AFileThatIsNotWhatWasHashedIsNotKeptUnderThatName) {
  TempDir dir;
  test::write_file(dir / "in.csv", "a,b\n");
  InputFile stale{dir / "in.csv", std::string(64, '0'), "", 4, ""};
  ArchiveCopies beside;
  const InputFile f = archive_input(dir / "in.csv", dir / "archive", stale, &beside);
  try {
    beside.wait();
    FAIL() << "a copy that is not what was hashed was kept";
  } catch (const Error& e) {
    EXPECT_EQ(e.rule(), "input.changed");
    EXPECT_NE(e.message().find("changed while the run read it"), std::string::npos) << e.message();
  }
  EXPECT_FALSE(fs::exists(f.archived));
  EXPECT_FALSE(fs::exists(f.archived + ".part"));
}

TEST(InputArchive, ACopyThatFailedBesideTheReadingFailsTheWait) {
  ArchiveCopies beside;
  beside.start("a", [] { throw Error(Where{"a", 0, ""}, "archive.dir", "input.archive", "cannot write the archive copy: disk full"); });
  beside.start("b", [] {});
  try {
    beside.wait();
    FAIL() << "a failed copy was waited for as if made";
  } catch (const Error& e) {
    EXPECT_EQ(e.rule(), "input.archive");
  }
  EXPECT_NO_THROW(beside.wait()) << "what failed was told once";
}

// A national FHIR feed read from files starts a copy for each of its 27,946 pages: they are made
// one at a time, in order, and no more than kQueued wait, whatever the number started.
TEST(InputArchive, CopiesBesideTheReadingAreMadeOneAtATimeInOrder) {
  ArchiveCopies beside;
  std::atomic<int> running{0}, most{0};
  std::mutex order_mutex;
  std::vector<int> order;
  const int n = static_cast<int>(ArchiveCopies::kQueued) * 4;
  for (int i = 0; i < n; ++i)
    beside.start("copy " + std::to_string(i), [&, i] {
      most = std::max(most.load(), ++running);
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      {
        const std::lock_guard<std::mutex> lock(order_mutex);
        order.push_back(i);
      }
      --running;
    });
  beside.start("copy 3", [] { ADD_FAILURE() << "a second copy to one name was made"; });
  beside.wait();
  EXPECT_EQ(most.load(), 1) << "copies ran side by side";
  ASSERT_EQ(order.size(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
}

// A source that failed does not wait for the copies it had not begun.
TEST(InputArchive, CopiesNotBegunAreDroppedWithTheSource) {
  std::atomic<int> made{0};
  std::promise<void> go, began;
  std::shared_future<void> gate = go.get_future().share();
  std::thread opener;
  {
    ArchiveCopies beside;
    beside.start("first", [&] {
      began.set_value();
      gate.wait();
      ++made;
    });
    for (int i = 0; i < 10; ++i) beside.start("later " + std::to_string(i), [&] { ++made; });
    began.get_future().wait();   // the first is under way, the others wait
    opener = std::thread([&go] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      go.set_value();
    });
  }   // no wait(): the source failed
  opener.join();
  EXPECT_EQ(made.load(), 1) << "the copy under way ends; those not begun are dropped";
}

TEST(InputArchive, ComesBeforeReadingAFifo) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "pipe.csv").c_str(), 0600), 0);
  EXPECT_THROW(archive_input(dir / "pipe.csv", dir / "archive"), Error) << "a FIFO would block for ever";
}

TEST(InputArchive, RetentionDeletesOnlyTheHubsOwnCopies) {
  TempDir dir;
  auto store = open_sqlite_store(dir / "store.db", SENDHUB_SOURCE_DIR "/schemas");
  test::write_file(dir / "in.csv", "a,b\n");
  InputFile f = archive_input(dir / "in.csv", dir / "archive");
  store->note_input("cms", f, 1);
  test::write_file(dir / "archive/minutes.pdf", "%PDF council's own file");
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(24 * 400);
  fs::last_write_time(f.archived, old);
  fs::last_write_time(dir / "archive/minutes.pdf", old);
  EXPECT_EQ(prune_archive(*store, 365), 1);
  EXPECT_FALSE(fs::exists(f.archived));
  EXPECT_TRUE(fs::exists(dir / "archive/minutes.pdf"));
  EXPECT_TRUE(store->archived_files().empty());
}

// Issue 30: a rerun does not read every input through to learn that nothing changed. A file
// whose size, times and inode are what they were when it was hashed is not hashed again; any
// write changes its stat, and a file written in the last two seconds is never trusted.
TEST(InputArchive, AFileWhoseStatIsUnchangedIsNotHashedAgain) {
  TempDir dir;
  auto store = open_sqlite_store(dir / "store.db", SENDHUB_SOURCE_DIR "/schemas");
  const std::string file = dir / "in.csv";
  test::write_file(file, "a,b\n1,2\n");
  EXPECT_EQ(input_stat(file), "") << "just written: it may change again within its clock's tick";
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(file, now - std::chrono::seconds(100));
  const std::int64_t later = std::time(nullptr) + 10;   // as if ten seconds had passed
  const std::string stat = input_stat(file, later);
  ASSERT_NE(stat, "");
  InputFile first = archive_input(file, dir / "archive");
  EXPECT_EQ(first.sha256, test::sha256sum(file));
  first.stat = stat;
  store->note_input("cms", first, 1);
  EXPECT_FALSE(store->known_input("cms", file, "").has_value());
  EXPECT_FALSE(store->known_input("other", file, stat).has_value());
  auto known = store->known_input("cms", file, stat);
  ASSERT_TRUE(known.has_value());
  EXPECT_EQ(known->sha256, first.sha256);
  EXPECT_EQ(known->size, 8);

  // Retention deleted the copy: it is made again from the file, under the same hash.
  fs::remove(first.archived);
  const InputFile again = archive_input(file, dir / "archive", known);
  EXPECT_EQ(again.sha256, first.sha256);
  EXPECT_EQ(test::read_file(again.archived), "a,b\n1,2\n");

  // Other bytes of the same size: another stat, so hashed again.
  test::write_file(file, "a,b\n3,4\n");
  fs::last_write_time(file, now - std::chrono::seconds(50));
  const std::string changed = input_stat(file, later);
  EXPECT_NE(changed, stat);
  EXPECT_FALSE(store->known_input("cms", file, changed).has_value());
  InputFile second = archive_input(file, dir / "archive", store->known_input("cms", file, changed));
  EXPECT_EQ(second.sha256, test::sha256sum(file));
  EXPECT_NE(second.sha256, first.sha256);
  second.stat = changed;
  store->note_input("cms", second, 2);
  EXPECT_FALSE(store->known_input("cms", file, stat).has_value()) << "the old stat is forgotten";
  EXPECT_EQ(store->known_input("cms", file, changed)->sha256, second.sha256);
}

}  // namespace
}  // namespace sendhub
