#include <gtest/gtest.h>
#include <sys/stat.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "plugins/sen2_fixtures.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

TEST(ValidateCli, ACleanGeneratedReturnGivesExit0AndNoIssues) {
  TempDir dir;
  test::generate_sample(dir.path(), 150, true);
  for (int year : {2024, 2025, 2026}) {
    auto r = test::sendhub("validate " + (dir / ("sen2/sen2_" + std::to_string(year) + ".xml")));
    EXPECT_EQ(r.code, 0) << r.output.substr(0, 2000);
    EXPECT_NE(r.output.find(": 0 errors, 0 queries"), std::string::npos) << r.output.substr(0, 2000);
  }
}

TEST(ValidateCli, ReportsInEveryFormat) {
  TempDir dir;
  test::write_file(dir / "r.xml", test::sen2_return({test::sen2_person("A"), test::sen2_person("B", "2014-03-02",
                                                                                                "<UPN>X123456789875</UPN>")}));
  auto json = test::run(std::string(SENDHUB_BINARY) + " validate --format json " + (dir / "r.xml") + " 2>/dev/null");
  EXPECT_EQ(json.code, 1);
  auto root = Poco::JSON::Parser().parse(json.output).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<int>("year"), 2026);
  auto summary = root->getObject("summary");
  EXPECT_GT(summary->getValue<int>("errors"), 0);
  auto issues = root->getArray("issues");
  ASSERT_GT(issues->size(), 0u);
  auto first = issues->getObject(0);
  for (const char* key : {"rule", "severity", "file", "line", "path", "field", "message"}) EXPECT_TRUE(first->has(key)) << key;

  auto csv = test::sendhub("validate --format csv " + (dir / "r.xml"));
  EXPECT_EQ(csv.output.rfind("rule,severity,file,line,path,field,message,person\r\n", 0), 0u) << csv.output;

  auto html = test::sendhub("validate --format html --report " + (dir / "out/report.html") + " " + (dir / "r.xml"));
  EXPECT_EQ(html.code, 1);
  std::string page = test::read_file(dir / "out/report.html");
  EXPECT_NE(page.find("<table id=\"issues\">"), std::string::npos);
  EXPECT_NE(page.find("SEN2-P08"), std::string::npos);
  EXPECT_EQ(page.find("X123456789875"), std::string::npos) << "no identifier values in the report";
  EXPECT_EQ(page.find("http"), std::string::npos) << "the page needs no network";
  struct stat st {};
  ASSERT_EQ(::stat((dir / "out/report.html").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  EXPECT_EQ(test::sendhub("validate --format pdf " + (dir / "r.xml")).code, 2);
  EXPECT_EQ(test::sendhub("validate").code, 2);
}

TEST(ValidateCli, RulesListsTheCatalogue) {
  auto r = test::run(std::string(SENDHUB_BINARY) + " rules --json --year 2024 2>/dev/null");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.output.find("SEN2-R03"), std::string::npos);  // RequestSource mandatory only from 2026
  EXPECT_NE(r.output.find("\"id\":\"SEN2-P08\""), std::string::npos);
  r = test::sendhub("rules");
  EXPECT_NE(r.output.find("SEN2-R03  error  2026  [U]"), std::string::npos) << r.output.substr(0, 500);
  EXPECT_EQ(test::sendhub("rules --year 2019").code, 3);
}

TEST(ValidateCli, RunAndExportRefuseAReturnWithErrorsUnlessForced) {
  TempDir dir;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A"), test::sen2_person("B", "2014-03-02",
                                                                                                   "<UPN>X123456789875</UPN>")}));
  auto cfg = test::write_config(dir, R"([{"name": "s", "connector": "sen2_xml", "path": "in/r.xml"}])",
                                R"([{"name": "ret", "connector": "sen2_xml", "year": 2026, "out": "out/ret.xml"}])");
  auto r = test::sendhub("run --config " + cfg);
  EXPECT_EQ(r.code, 3) << r.output;  // the sink refused
  EXPECT_NE(r.output.find("errors block the upload"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out/ret.xml"));
  // What blocks it is published even so, pointing at the source file and line.
  const std::string readiness = test::read_file(dir / "out/return_readiness_2026.csv");
  EXPECT_NE(readiness.find("SEN2-P"), std::string::npos) << readiness;
  EXPECT_NE(readiness.find(dir / "in/r.xml"), std::string::npos) << readiness;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/return_readiness_2026.html"));
  r = test::sendhub("export sen2 --year 2026 --config " + cfg + " --out " + (dir / "x.xml"));
  EXPECT_EQ(r.code, 3) << r.output;
  r = test::sendhub("export sen2 --year 2026 --force --config " + cfg + " --out " + (dir / "x.xml"));
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "x.xml"));
}

}  // namespace
}  // namespace sendhub
