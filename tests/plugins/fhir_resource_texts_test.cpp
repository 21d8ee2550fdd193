// Where each Bundle entry's resource stands in a page's text (plugins/fhir_advice/resource_texts.h):
// the text a quarantined Task is kept in, checked against what a JSON parser makes of the page.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "resource_texts.h"

namespace {

using fhir::resource_texts;
using Texts = std::vector<std::string_view>;

// A value written out by Poco, to compare a text found with what the parser read there.
std::string parsed_again(std::string_view text) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(Poco::JSON::Parser().parse(std::string(text)), out);
  return out.str();
}

TEST(FhirResourceTexts, EachEntrysResourceAsThePageWroteIt) {
  const std::string page = "{\n  \"resourceType\": \"Bundle\",\n  \"total\": 3, \"meta\": {\"tag\": [{\"code\": \"]}\"}]},\n"
                           "  \"entry\": [\n    {\"fullUrl\": \"urn:a\", \"resource\": {\"resourceType\": \"Task\",\n"
                           "      \"id\": \"a\", \"note\": [{\"text\": \"braces } ] { [ and a \\\"quote\\\" \\\\\"}]}},\n"
                           "    {\"search\": {\"mode\": \"include\"}},\n"
                           "    {\"resource\":{\"id\":\"b\",\"n\":-1.5e3,\"ok\":true,\"none\":null,\"list\":[[],{}]}, \"x\": false}\n"
                           "  ],\n  \"link\": [{\"relation\": \"self\", \"url\": \"Task?_count=3\"}]\n}\n";
  const Texts texts = resource_texts(page);
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[0], "{\"resourceType\": \"Task\",\n      \"id\": \"a\", \"note\": [{\"text\": \"braces } ] { [ and a "
                      "\\\"quote\\\" \\\\\"}]}");
  EXPECT_EQ(texts[1], "") << "an entry without a resource";
  EXPECT_EQ(texts[2], R"({"id":"b","n":-1.5e3,"ok":true,"none":null,"list":[[],{}]})");
  // What the parser read for each entry is what its text says.
  auto list = Poco::JSON::Parser().parse(page).extract<Poco::JSON::Object::Ptr>()->getArray("entry");
  for (unsigned i : {0u, 2u}) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(list->getObject(i)->getObject("resource"), out);
    EXPECT_EQ(parsed_again(texts[i]), out.str()) << i;
  }
}

TEST(FhirResourceTexts, AnEmptyEntryArrayAndAResourceThatIsNoObject) {
  EXPECT_EQ(resource_texts(R"({"resourceType":"Bundle","entry":[]})"), Texts{});
  const Texts texts = resource_texts(R"({"entry":[{"resource":"text"},{"resource":[1]},7,{"resource":{}}]})");
  EXPECT_EQ(texts, (Texts{"", "", "", "{}"}));
}

// Nothing where a parser may read the page otherwise than a byte compare: the caller then
// writes the parsed resources out.
TEST(FhirResourceTexts, NothingWhereThePageIsNotThePlainShape) {
  EXPECT_EQ(resource_texts(R"({"resourceType":"Bundle"})"), Texts{}) << "no entry array";
  EXPECT_EQ(resource_texts(R"({"entry":[{"resource":{}}],"entry":[]})"), Texts{}) << "entry twice";
  EXPECT_EQ(resource_texts(R"({"entry":[{"resource":{},"resource":{"id":"b"}}]})"), Texts{}) << "resource twice";
  EXPECT_EQ(resource_texts(R"({"\u0065ntry":[{"resource":{}}]})"), Texts{}) << "a key with an escape";
  EXPECT_EQ(resource_texts(R"({"entry":[{"\u0072esource":{}}]})"), Texts{}) << "a key with an escape";
  EXPECT_EQ(resource_texts(R"({"entry":null})"), Texts{});
  EXPECT_EQ(resource_texts(R"([{"entry":[]}])"), Texts{}) << "not an object";
}

TEST(FhirResourceTexts, TextCutShortFindsNothing) {
  const std::string page = R"({"entry":[{"resource":{"id":"a","t":"x\"y"}},{"resource":{"id":"b"}}],"link":[]})";
  for (std::size_t n = 0; n < page.size(); ++n)
    EXPECT_EQ(resource_texts(page.substr(0, n)), Texts{}) << "cut at " << n;
  EXPECT_EQ(resource_texts(page).size(), 2u);
}

}  // namespace
