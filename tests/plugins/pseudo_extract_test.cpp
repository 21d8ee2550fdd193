// The pseudonymised extract (privacy.md §6): names, identifiers and free text never leave,
// birth dates leave as the first of their month and postcodes as their sector, and a field
// the table does not classify stops the extract instead of being published.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "pseudonymiser.h"
#include "test_support.h"

namespace sendhub {
namespace {

TEST(Pseudonymise, BirthDatesGoToTheMonthAndPostcodesToTheSector) {
  EXPECT_EQ(pseudo::first_of_month("2014-03-27"), "2014-03-01");
  EXPECT_EQ(pseudo::first_of_month("27/03/2014"), "") << "only canonical dates; nothing else passes through";
  EXPECT_EQ(pseudo::first_of_month(""), "");
  for (const auto& [in, out] : std::vector<std::pair<std::string, std::string>>{
           {"SW1A 1AA", "SW1A 1"}, {"sw1a1aa", "SW1A 1"}, {"BL9 4HL", "BL9 4"}, {"m26 8wa", "M26 8"},
           {"M1 1AE", "M1 1"}, {"B33 8TH", "B33 8"}, {"CR2 6XH", "CR2 6"}, {"DN55 1PT", "DN55 1"},
           {"", ""}, {"not a postcode", ""}, {"12345", ""}, {"BL9 4H", ""}, {"BL9 ZHL", ""}, {"SW1A1AAX", ""}})
    EXPECT_EQ(pseudo::postcode_sector(in), out) << in;
}

TEST(Pseudonymise, NoColumnHoldsANameOrAnIdentifier) {
  const pseudo::Pseudonymiser table(SENDHUB_SOURCE_DIR "/schemas");
  for (const auto& spec : kKinds) {
    if (!pseudo::Pseudonymiser::extracted(spec.kind)) continue;
    for (const auto& c : table.columns(spec.kind))
      for (const char* personal : {"surname", "forename", "upn", "uln", "nhs_number", "person_ref", "request_ref",
                                   "advice_ref", "sen_setting_other"})
        EXPECT_NE(c.name, personal) << spec.name;
  }
  Record person(RecordKind::person);
  person.set("person_ref", "P1").set("surname", "Holloway").set("birth_date", "2007-11-27").set("postcode", "bl9 4hl");
  person.set("upn", "H351753007576").set("sex", "M");
  person.person_key = "0123456789abcdef";
  EXPECT_EQ(table.row(person, ""), (std::vector<std::string>{"0123456789abcdef", "", "2007-11-01", "M", "", "BL9 4", ""}));
}

TEST(Pseudonymise, AFieldTheTableDoesNotClassifyStopsTheExtract) {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "privacy");
  std::string table = test::read_file(SENDHUB_SOURCE_DIR "/schemas/privacy/pseudonymise.json");
  table.replace(table.find("\"forename\": \"drop\", "), 20, "");
  test::write_file(dir / "privacy/pseudonymise.json", table);
  try {
    pseudo::Pseudonymiser unused(dir.path());
    FAIL() << "an unclassified field was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "person.forename");
    EXPECT_NE(std::string(e.what()).find("does not say how to treat"), std::string::npos) << e.what();
  }
}

// The demo's nightly run writes the extract: private files, no value of a name, UPN or
// postcode from the inputs anywhere in it, birth dates on the 1st, unlinked cases numbered.
TEST(Pseudonymise, TheDemoExtractCarriesNoNameIdentifierOrFullPostcode) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 150);
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + config);
  ASSERT_LE(r.code, 1) << r.output;
  const auto pool = std::filesystem::path(dir.path()) / "var/out/pool";
  std::string all;
  for (const char* kind : {"person", "request", "assessment", "plan", "plan_detail", "placement", "need", "review", "advice"}) {
    const auto file = pool / (std::string(kind) + ".csv");
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0) << file;
    EXPECT_EQ(st.st_mode & 0777, 0600U) << file;
    all += test::read_file(file);
  }
  const std::string people = test::read_file(pool / "person.csv");
  EXPECT_EQ(people.substr(0, people.find('\r')), "person_key,case_key,birth_date,sex,ethnicity,postcode,upn_unknown");
  std::istringstream rows(people);
  std::string row;
  std::getline(rows, row);
  const std::regex person_row(R"(^[0-9a-f]{16},,(\d{4}-\d{2}-01)?,[^,]*,[^,]*,([A-Z]{1,2}[0-9][A-Z0-9]? [0-9])?,[^,]*\r$)");
  int n = 0;
  while (std::getline(rows, row)) {
    ++n;
    EXPECT_TRUE(std::regex_match(row, person_row)) << row;
  }
  EXPECT_GT(n, 100);
  // Every surname, UPN and full postcode of the case-management export, as written there.
  std::istringstream cms(test::read_file(dir / "var/sample/cms/people.csv"));
  std::getline(cms, row);
  int checked = 0;
  while (std::getline(cms, row)) {
    std::vector<std::string> cells;
    std::stringstream line(row);
    for (std::string cell; std::getline(line, cell, ',');) cells.push_back(cell);
    if (cells.size() < 8) continue;
    for (std::size_t i : {1U, 7U}) {   // Surname, UPN
      if (cells[i].size() > 3) {
        EXPECT_EQ(all.find(cells[i]), std::string::npos) << "column " << i << " leaked";
      }
    }
    std::string postcode = cells[6];
    for (auto& c : postcode) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (postcode.size() > 5) {
      EXPECT_EQ(all.find(postcode), std::string::npos) << "a full postcode leaked";
    }
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

// Referrals whose children no source holds: each case is linked to no person, and its key
// (which names the source's reference) is replaced by a number.
TEST(Pseudonymise, UnlinkedCasesAreNumberedNotNamedByTheirSourceReference) {
  test::TempDir dir;
  test::generate_sample(dir / "sample", 40);
  const auto config = test::write_config(
      dir, R"([{"name": "cms-referrals", "connector": "cms_csv", "path": "sample/cms/referrals.csv", "profile": ")"
           SENDHUB_SOURCE_DIR R"(/config/profiles/example-referrals.json"}])",
      R"([{"name": "pool", "connector": "pseudonymised_extract", "out": "pool"}])");
  auto r = test::sendhub("run --config " + config);
  ASSERT_LE(r.code, 1) << r.output;
  std::istringstream rows(test::read_file(dir / "pool/request.csv"));
  std::string row;
  std::getline(rows, row);
  int n = 0;
  while (std::getline(rows, row)) {
    ++n;
    EXPECT_EQ(row.rfind(",unlinked-" + std::to_string(n) + ",", 0), 0U) << row;
    EXPECT_EQ(row.find("R-20"), std::string::npos) << "a referral reference leaked: " << row;
  }
  EXPECT_GT(n, 5);
}

}  // namespace
}  // namespace sendhub
