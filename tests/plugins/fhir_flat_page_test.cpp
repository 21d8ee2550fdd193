// A Bundle page read flat (plugins/fhir_advice/flat_page.h) against the same page parsed into
// Poco's objects (dom_page): wherever the flat reader says it is sure, both read the same
// fields, entries and links; where the parsed objects could read otherwise, it says it is not.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <random>
#include <string>
#include <vector>

#include "flat_page.h"
#include "page_view.h"

namespace {

using fhir::FlatPage;
using fhir::PageView;
using fhir::TaskField;

std::unique_ptr<PageView> parsed(const std::string& text) {
  return fhir::dom_page(Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>());
}

// Both readers read the same of the page (what the source asks of it).
void expect_same(const PageView& flat, const PageView& dom, const std::string& page) {
  EXPECT_EQ(flat.resource_type(), dom.resource_type()) << page;
  ASSERT_EQ(flat.entries(), dom.entries()) << page;
  for (std::size_t i = 0; i < dom.entries(); ++i) {
    ASSERT_EQ(flat.resource(i) == nullptr, dom.resource(i) == nullptr) << page << " entry " << i;
    if (!dom.resource(i)) continue;
    for (std::size_t f = 0; f < fhir::kTaskFields; ++f)
      EXPECT_EQ(flat.resource(i)->text(static_cast<TaskField>(f)), dom.resource(i)->text(static_cast<TaskField>(f)))
          << page << " entry " << i << " field " << f;
  }
  EXPECT_EQ(flat.links(), dom.links()) << page;
}

const std::string kTask =
    R"({"resourceType":"Task","id":"t1","meta":{"versionId":"3","lastUpdated":"2025-05-01T10:00:00Z"},)"
    R"("identifier":[{"system":"s","value":"ADV-1"},{"value":"ADV-2"}],"focus":{"identifier":{"value":"REQ-1"}},)"
    R"("for":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"},"reference":"Patient/p1"},)"
    R"("code":{"coding":[{"code":"EP"},{"code":"HE"}]},"authoredOn":"2025-03-01","restriction":{"period":{"end":"2025-04-12"}},)"
    R"("status":"completed","executionPeriod":{"start":"2025-03-02","end":"2025-04-01"},)"
    R"("statusReason":{"coding":[{"code":"absent_4_weeks"}]},"note":[{"text":"} ] { ["}]})";

TEST(FhirFlatPage, ReadsEveryFieldEntryAndLinkAsTheParsedObjects) {
  const std::string page = R"({"resourceType":"Bundle","type":"searchset","entry":[{"fullUrl":"a","resource":)" + kTask +
                           R"(},{"search":{"mode":"include"}},7,{"resource":{"resourceType":"Patient","id":"p1"}},)"
                           R"({"resource":"text"},{"resource":[{"id":"x"}]}],"link":[{"relation":"self","url":"Task?a"},)"
                           R"("x",{"relation":"next","url":"Task?b"},{"url":"Task?c"}]})";
  const FlatPage flat(page);
  ASSERT_TRUE(flat.object());
  ASSERT_TRUE(flat.sure());
  expect_same(flat, *parsed(page), page);
  ASSERT_EQ(flat.entries(), 6u);
  EXPECT_EQ(flat.resource(0)->text(TaskField::identifier), "ADV-1") << "the first identifier";
  EXPECT_EQ(flat.resource(0)->text(TaskField::code), "EP");
  EXPECT_EQ(flat.resource(0)->text(TaskField::provided), "2025-04-01");
  EXPECT_EQ(flat.resource(1), nullptr) << "an entry without a resource";
  EXPECT_EQ(flat.resource(2), nullptr) << "an entry that is no object";
  EXPECT_EQ(flat.resource(3)->text(TaskField::resource_type), "Patient");
  EXPECT_EQ(flat.resource(4), nullptr) << "a resource that is text";
  EXPECT_EQ(flat.resource(5), nullptr) << "a resource that is an array";
  EXPECT_EQ(flat.links().size(), 3u) << "the link elements that are objects";
}

TEST(FhirFlatPage, NumbersAndBooleansReadAsPocoWritesThem) {
  const std::string page = R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Task","id":12,)"
                           R"("status":true,"authoredOn":1.5,"meta":{"versionId":-7,"lastUpdated":18446744073709551615},)"
                           R"("focus":{"identifier":{"value":4294967295}},"code":{"coding":[{"code":2.5e3}]}}}]})";
  const FlatPage flat(page);
  ASSERT_TRUE(flat.sure());
  expect_same(flat, *parsed(page), page);
  EXPECT_EQ(flat.resource(0)->text(TaskField::id), "12");
  EXPECT_EQ(flat.resource(0)->text(TaskField::status), "true");
}

TEST(FhirFlatPage, PathsOfAnotherShapeLeadNowhereInBoth) {
  const std::string page = R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Task","meta":"x",)"
                           R"("identifier":{"value":"not an array"},"focus":[{"identifier":{"value":"r"}}],)"
                           R"("for":{"identifier":[{"value":"n"}]},"code":{"coding":["x",{"code":"second"}]},)"
                           R"("restriction":{"period":[]},"statusReason":{"coding":{}}}}],"link":{"relation":"next"}})";
  const FlatPage flat(page);
  ASSERT_TRUE(flat.sure());
  expect_same(flat, *parsed(page), page);
  for (std::size_t f = 1; f < fhir::kTaskFields; ++f)
    EXPECT_EQ(flat.resource(0)->text(static_cast<TaskField>(f)), "") << f;
  EXPECT_TRUE(flat.links().empty()) << "link is not an array";
}

TEST(FhirFlatPage, IsNotSureWhereTheParsedObjectsMayReadOtherwise) {
  const std::string task_head = R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Task",)";
  for (const std::string& odd : {
           task_head + R"("status":"ready","status":"completed"}}]})",        // a key written twice: the last wins
           task_head + R"("meta":{"versionId":"1"},"meta":{"versionId":"2"}}}]})",
           task_head + R"("status":null}}]})",                                  // null where text is read
           task_head + R"("status":{"code":"ready"}}}]})",                      // an object where text is read
           task_head + R"("id":["a"]}}]})",                                     // an array where text is read
           std::string(R"({"resourceType":"Bundle","entry":[],"entry":[]})"),
           std::string(R"({"entry":[{"resource":{},"resource":{"id":"b"}}]})"),
           std::string(R"({"resourceType":null,"entry":[]})"),
           std::string(R"({"resourceType":"Bundle","link":[{"relation":"next","relation":"self"}]})"),
       }) {
    const FlatPage flat(odd);
    EXPECT_FALSE(flat.sure()) << odd;
  }
  // Keys off the paths read may repeat: nobody reads them.
  EXPECT_TRUE(FlatPage(task_head + R"("note":1,"note":2,"input":null,"x":{"x":{}}}}]})").sure());
}

TEST(FhirFlatPage, SaysWhenThePageIsNoObjectAndThrowsAsTheParserDoes) {
  EXPECT_FALSE(FlatPage(R"([{"resourceType":"Bundle"}])").object());
  EXPECT_FALSE(FlatPage("\"Bundle\"").object());
  EXPECT_TRUE(FlatPage("{}").object());
  EXPECT_EQ(FlatPage("{}").entries(), 0u);
  for (const std::string& bad : {std::string(R"({"entry":[)"), std::string(""), std::string(R"({"a":1,})"), std::string("{} x")})
    EXPECT_ANY_THROW(FlatPage flat(bad)) << bad;
}

// Pages made at random from the shapes a feed may send: wherever the flat reader is sure it reads
// what the parsed objects read, and it is sure of every page with no key twice, null or
// container where text is read.
TEST(FhirFlatPage, RandomPagesReadAsTheParsedObjectsWhereSure) {
  std::mt19937 random(20261208);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const std::vector<std::string> kValues = {R"("a")", R"("2025-01-02")", "0", "-3", "1.25", "true", "false",
                                            R"("\u00e9\n")", "4294967296"};
  const std::vector<std::string> kOdd = {"null", "{}", "[]", R"({"value":"x"})", R"(["x"])"};
  int sure = 0, plain = 0;
  for (int round = 0; round < 400; ++round) {
    bool odd = false;
    // A leaf: mostly a value; sometimes absent, sometimes what the flat reader is unsure of.
    auto leaf = [&](const std::string& key) -> std::string {
      const int r = pick(40);
      if (r < 6) return "";
      if (r == 6) {
        odd = true;
        return "\"" + key + "\":" + kOdd[static_cast<std::size_t>(pick(static_cast<int>(kOdd.size())))] + ",";
      }
      std::string out = "\"" + key + "\":" + kValues[static_cast<std::size_t>(pick(static_cast<int>(kValues.size())))] + ",";
      if (r == 7) {
        odd = true;
        out += out;   // written twice
      }
      return out;
    };
    auto object = [](const std::string& members) { return "{" + (members.empty() ? members : members.substr(0, members.size() - 1)) + "}"; };
    auto container = [&](const std::string& key, const std::string& inner, bool array) -> std::string {
      switch (pick(5)) {
        case 0: return "";
        case 1: return "\"" + key + "\":" + (array ? object(inner) : "[" + object(inner) + "]") + ",";   // the other kind
        case 2: return "\"" + key + "\":" + R"("text")" + ",";
        default: return "\"" + key + "\":" + (array ? "[" + object(inner) + "," + object(inner) + "]" : object(inner)) + ",";
      }
    };
    std::string entries;
    const int n = pick(4);
    for (int e = 0; e < n; ++e) {
      const std::string task =
          object(leaf("resourceType") + leaf("id") + container("meta", leaf("versionId") + leaf("lastUpdated"), false) +
                 container("identifier", leaf("value"), true) +
                 container("focus", container("identifier", leaf("value"), false), false) +
                 container("for", container("identifier", leaf("system") + leaf("value"), false) + leaf("reference"), false) +
                 container("code", container("coding", leaf("code"), true), false) + leaf("authoredOn") +
                 container("restriction", container("period", leaf("end"), false), false) + leaf("status") +
                 container("executionPeriod", leaf("end"), false) +
                 container("statusReason", container("coding", leaf("code"), true), false) + leaf("note"));
      entries += std::string(e ? "," : "") + (pick(6) == 0 ? "3" : R"({"resource":)" + task + "}");
    }
    const std::string page = R"({"resourceType":"Bundle","entry":[)" + entries + R"(],"link":[)" +
                             object(leaf("relation") + leaf("url")) + "]}";
    const FlatPage flat(page);
    if (!odd) {
      ++plain;
      EXPECT_TRUE(flat.sure()) << page;
    }
    if (!flat.sure()) continue;
    ++sure;
    expect_same(flat, *parsed(page), page);
  }
  EXPECT_GT(plain, 20);
  EXPECT_GT(sure, plain / 2);
}

}  // namespace
