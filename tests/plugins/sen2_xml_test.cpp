#include <gtest/gtest.h>
#include <algorithm>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "config/hub_config.h"
#include "pipeline/run.h"
#include "plugins/sen2_fixtures.h"
#include "store/store.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

int run_config(const std::string& config) { return run_pipeline(load_config(config), RunOptions{"2026-01-15"}); }

std::string source(const std::string& path) {
  return R"([{"name": "sen2", "connector": "sen2_xml", "path": ")" + path + R"("}])";
}
std::string sink(int year, const std::string& out) {
  return R"([{"name": "ret", "connector": "sen2_xml", "year": )" + std::to_string(year) + R"(, "out": ")" + out + R"("}])";
}

// The store's content without lineage: every record of every kind, in order. A return's
// file facts (software, serial number, time written) describe a file, and an export is
// another file, so they are left out.
std::vector<std::string> content(const std::string& db) {
  auto store = open_sqlite_store(db, SENDHUB_SOURCE_DIR "/schemas");
  std::vector<std::string> out;
  for (const auto& kind : kKinds)
    for (auto r : store->read(kind.kind, 0)) {
      if (kind.kind == RecordKind::la_return)
        for (auto fact : kFileFacts) r.set(fact, "");
      std::string row = std::string(kind.name) + "@" + std::to_string(r.return_year);
      for (std::size_t i = 0; i < r.size(); ++i) row += "|" + r.at(i);
      out.push_back(row);
    }
  return out;
}

std::vector<std::string> quarantine_rules(const std::string& db) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT rule || ' ' || COALESCE(field, '') || ' ' || line FROM quarantine ORDER BY id", -1, &st, nullptr);
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

std::string without_datetime(std::string xml) {
  auto a = xml.find("<DateTime>");
  auto b = xml.find("</DateTime>");
  return a == std::string::npos ? xml : xml.erase(a, b - a);
}

class Sen2RoundTrip : public ::testing::TestWithParam<int> {};

// Import a return, export it, import the export: the same store content. Export twice:
// the same bytes. For each year's layout.
TEST_P(Sen2RoundTrip, ImportExportImportKeepsTheStoreContent) {
  const int year = GetParam();
  TempDir a, b;
  const std::string input = a / ("sample/sen2/sen2_" + std::to_string(year) + ".xml");
  test::generate_sample(a / "sample", 120, false, "2023,2024,2025,2026");
  ASSERT_EQ(run_config(test::write_config(a, source(input), sink(year, "out/ret.xml"))), 0);
  ASSERT_EQ(run_config(test::write_config(b, source(a / "out/ret.xml"), sink(year, "out/ret.xml"))), 0);
  auto first = content(a / "store/sendhub.db");
  for (const auto& kind : kKinds) {  // every module and item kind of SEN2 made the trip
    if (kind.kind == RecordKind::advice || kind.kind == RecordKind::pupil) continue;   // no SEN2 module
    EXPECT_TRUE(std::any_of(first.begin(), first.end(), [&](const std::string& row) {
      return row.rfind(std::string(kind.name) + "@", 0) == 0;
    })) << kind.name;
  }
  EXPECT_EQ(first, content(b / "store/sendhub.db"));
  // The original and the export differ only in the file facts of the header.
  auto original = test::read_file(input);
  auto exported = test::read_file(a / "out/ret.xml");
  EXPECT_EQ(original.substr(original.find("<DMO>")), exported.substr(exported.find("<DMO>")));
  EXPECT_EQ(without_datetime(exported), without_datetime(test::read_file(b / "out/ret.xml")));
  // Exporting again from the same store gives the same bytes.
  auto again = test::sendhub("export sen2 --year " + std::to_string(year) + " --config " + (a / "hub.json") +
                             " --out " + (a / "again.xml"));
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_EQ(test::read_file(a / "again.xml"), exported);
}

// 2023: GenderCurrent, AttendancePattern and ActivePlans' Res and WBP make the trip too (issue 27).
INSTANTIATE_TEST_SUITE_P(EveryLayout, Sen2RoundTrip, ::testing::Values(2023, 2024, 2025, 2026));

TEST(Sen2Source, SecondRunOnTheSameInputChangesNothing) {
  TempDir dir;
  test::generate_sample(dir / "sample", 40);
  auto cfg = test::write_config(dir, source("sample/sen2/*.xml"), sink(2026, "out/ret.xml"));
  ASSERT_EQ(run_config(cfg), 0);
  auto before = test::read_file(dir / "out/ret.xml");
  ASSERT_EQ(run_config(cfg), 0);
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  auto runs = store->runs();
  ASSERT_EQ(runs.size(), 2u);
  const auto& c = runs[0].sources[0].counts;
  EXPECT_EQ(c.stored, 0);
  EXPECT_EQ(c.unchanged, c.read);
  EXPECT_EQ(test::read_file(dir / "out/ret.xml"), before);
}

TEST(Sen2Source, BadPersonsAreQuarantinedAndTheRestLoad) {
  TempDir dir;
  test::write_file(dir / "in/r.xml",
                   test::sen2_return({test::sen2_person("Good"), test::sen2_person("BadDate", "2014-02-30"),
                                      test::sen2_person("Odd", "2014-03-02", "<ShoeSize>9</ShoeSize>"),
                                      test::sen2_person("Also good")}));
  auto cfg = test::write_config(dir, source("in/*.xml"));
  EXPECT_EQ(run_config(cfg), 1);
  auto rules = quarantine_rules(dir / "store/sendhub.db");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0], "type.date birth_date 6");
  EXPECT_EQ(rules[1], "sen2.element ShoeSize 7");
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  EXPECT_EQ(store->read(RecordKind::person, 2026).size(), 2u);
  const auto c = store->runs()[0].sources[0].counts;  // a copy: runs() is a temporary
  EXPECT_EQ(c.read, c.stored + c.unchanged + c.quarantined);
}

// The reader walks the scanner's pieces of each Person (xml_scanner.h), not a parser's tree:
// each value as a conforming parser gives it. References replaced; CDATA kept as written;
// comments and processing instructions split a value without adding to it; a run of only
// whitespace between markup adds nothing; CR LF and a lone CR become LF, a &#13; stays CR.
// An element inside a value is refused on its own line, its Person quarantined.
TEST(Sen2Source, ValuesAreReadAsXmlGivesThem) {
  TempDir dir;
  test::write_file(dir / "in/r.xml",
                   test::sen2_return({test::sen2_person("O&apos;Sh&amp;y &#233;&#x41;&lt;&gt;&quot;"),
                                      test::sen2_person("<![CDATA[Ta&m]]> <!-- c --> x<?pi y?>z"),
                                      test::sen2_person("a<!--c--> <!--d-->b"),
                                      test::sen2_person("\n  one\r\ntwo\rthree&#13;four  \n"),
                                      test::sen2_person("<![CDATA[ c\r\nd ]]>"),
                                      test::sen2_person("Kept\n<b>bold</b>")}));
  auto cfg = test::write_config(dir, source("in/*.xml"));
  EXPECT_EQ(run_config(cfg), 1);
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  std::vector<std::string> surnames;
  for (const auto& r : store->read(RecordKind::person, 2026)) surnames.push_back(r.get("surname"));
  std::sort(surnames.begin(), surnames.end());
  EXPECT_EQ(surnames, (std::vector<std::string>{"O'Sh&y \xC3\xA9" "A<>\"", "Ta&m xz", "ab", "c\nd", "one\ntwo\nthree\rfour"}));
  // Person 6 starts on line 15 (a line each after four, and five line ends inside Persons 4
  // and 5: LF, CR LF, CR, LF; CR LF), its <b> on the next.
  EXPECT_EQ(quarantine_rules(dir / "store/sendhub.db"), (std::vector<std::string>{"sen2.element b 16"}));
}

TEST(Sen2Source, MalformedFileIsQuarantinedWithItsLineAndOtherFilesLoad) {
  TempDir dir;
  test::write_file(dir / "in/a.xml", test::sen2_return({test::sen2_person("Good")}));
  std::string broken = test::sen2_return({test::sen2_person("Cut")}, 2025);  // one file per year
  test::write_file(dir / "in/b.xml", broken.substr(0, broken.size() / 2) + "\n</Oops>");
  test::write_file(dir / "in/c.xml", test::sen2_return({test::sen2_person("Old")}, 2019));
  auto r = test::sendhub("run --config " + test::write_config(dir, source("in/*.xml")));
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("in/b.xml:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("malformed XML"), std::string::npos);
  auto rules = quarantine_rules(dir / "store/sendhub.db");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].rfind("xml.malformed", 0), 0u);
  EXPECT_EQ(rules[1].rfind("sen2.year", 0), 0u);
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  EXPECT_EQ(store->read(RecordKind::person, 0).size(), 1u);
}

TEST(Sen2Source, ErrorMessagesCarryNoPersonalValues) {
  TempDir dir;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("Zebedee", "2014-02-31")}));
  auto r = test::sendhub("run --config " + test::write_config(dir, source("in/*.xml")));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.output.find("Zebedee"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("2014-02-31"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("birth_date"), std::string::npos) << r.output;
}

TEST(Sen2Source, ACorrectedFileReplacesItsEarlierRecords) {
  TempDir dir;
  auto cfg = test::write_config(dir, source("in/r.xml"));
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A"), test::sen2_person("B")}));
  ASSERT_EQ(run_config(cfg), 0);
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A")}));
  ASSERT_EQ(run_config(cfg), 0);
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  EXPECT_EQ(store->read(RecordKind::person, 0).size(), 1u);
  EXPECT_EQ(store->read(RecordKind::request, 0).size(), 1u);
  EXPECT_GT(store->runs()[0].sources[0].counts.removed, 0);
}

TEST(Sen2Source, AFailingSourceLeavesTheStoreAsItWasAndExits3) {
  TempDir dir;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A")}));
  ASSERT_EQ(run_config(test::write_config(dir, source("in/r.xml"))), 0);
  auto before = content(dir / "store/sendhub.db");
  auto r = test::sendhub("run --config " + test::write_config(dir, source("in/missing-*.xml")));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_EQ(content(dir / "store/sendhub.db"), before);
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  EXPECT_EQ(store->runs()[0].sources[0].status, "failed");
}

TEST(Sen2Sink, OutputsArePrivateAndAppearWhole) {
  TempDir dir;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A")}));
  ASSERT_EQ(run_config(test::write_config(dir, source("in/r.xml"), sink(2026, "deep/out/ret.xml"))), 0);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "deep/out/ret.xml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  ASSERT_EQ(::stat((dir / "deep/out").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  for (const auto& e : std::filesystem::directory_iterator(dir / "deep/out"))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "no temporary file left";
}

TEST(Pipeline, ASecondRunWhileOneHoldsTheStoreExits4) {
  TempDir dir;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A")}));
  auto cfg = test::write_config(dir, source("in/r.xml"));
  std::filesystem::create_directories(dir / "store");
  int fd = ::open((dir / "store/sendhub.db.lock").c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto r = test::sendhub("run --config " + cfg);
  EXPECT_EQ(r.code, 4) << r.output;
  ::close(fd);
  EXPECT_EQ(test::sendhub("run --config " + cfg).code, 0);
}

}  // namespace
}  // namespace sendhub
