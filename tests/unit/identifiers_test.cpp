#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

#include "text/identifiers.h"

namespace sendhub::text {
namespace {

TEST(Upn, CheckLetterMatchesTheVerifiedExamples) {
  EXPECT_EQ(upn_check_letter_problem("A950000178301"), "");
  EXPECT_EQ(upn_check_letter_problem("H243278544154"), "");
  EXPECT_EQ(upn_check_letter("B207000016049"), 'P');  // sum 266, remainder 13
  EXPECT_EQ(upn_check_letter_problem("B207000016049"), "wrong check letter at character 1: should be P");
  EXPECT_NE(upn_check_letter_problem("X123456789875"), "");  // the public mock-up UPN fails
}

TEST(Upn, ShapeRules) {
  EXPECT_EQ(upn_shape_problem("A950000178301"), "");
  EXPECT_NE(upn_shape_problem("A9500001783"), "");
  EXPECT_NE(upn_shape_problem("A9500X0178301"), "");
  EXPECT_EQ(upn_shape_problem("A95000017830A"), "");  // temporary UPN ends in a letter
  EXPECT_NE(upn_shape_problem("A95000017830I"), "");  // I is not in the table
}

TEST(Uln, Mod11) {
  EXPECT_EQ(uln_problem("9276308686"), "");
  EXPECT_EQ(uln_problem("1234567890"), "ULN check digit is wrong");  // should end 9
  EXPECT_EQ(uln_problem("1234567899"), "");
  EXPECT_NE(uln_problem("0276308686"), "");
  EXPECT_NE(uln_problem("92763086"), "");
}

TEST(NhsNumber, Modulus11) {
  EXPECT_EQ(nhs_number_problem("9434765919"), "");
  EXPECT_NE(nhs_number_problem("9434765918"), "");
  EXPECT_NE(nhs_number_problem("943476591"), "");
}

TEST(Postcode, UkShapes) {
  for (const char* ok : {"BL9 0AB", "SW1A 1AA", "M1 1AE", "AA11AA", "gir 0aa"}) EXPECT_EQ(postcode_problem(ok), "") << ok;
  for (const char* bad : {"12345", "BL9", "BL9 0A", "B L9 0AB"}) EXPECT_NE(postcode_problem(bad), "") << bad;
}

// The shape is read by hand; it must say what the pattern it replaced says, on every string of
// up to six characters over letters of both cases, digits, a space and another character, and on
// a hundred thousand longer ones.
TEST(Postcode, SaysWhatThePatternSaysOfEveryShortString) {
  const std::regex pattern("^(GIR ?0AA|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2})$", std::regex::icase);
  auto same = [&](const std::string& s) {
    ASSERT_EQ(postcode_problem(s).empty(), std::regex_match(s, pattern)) << "'" << s << "'";
  };
  const std::string short_letters = "Ab09 -G";
  std::vector<std::string> level = {""};
  int accepted = 0;
  for (int length = 0; length <= 6; ++length) {
    std::vector<std::string> next;
    for (const auto& s : level) {
      same(s);
      accepted += postcode_problem(s).empty() ? 1 : 0;
      if (length < 6)
        for (char c : short_letters) next.push_back(s + c);
    }
    level.swap(next);
  }
  EXPECT_GT(accepted, 1000) << "the strings include many postcodes";
  std::mt19937 random(42);
  const std::string letters = "AbGgIiRr0129 -";
  for (int n = 0; n < 100000; ++n) {
    std::string s(7 + random() % 2, ' ');
    for (char& c : s) c = letters[random() % letters.size()];
    same(s);
  }
  for (const char* s : {"GIR 0AA", "GIR0AA", "gIr 0aA", "GIR 0AB", "GIR  0AA", "EC1A 1BB", "W1A 0AX", "CR2 6XH", "DN55 1PT"}) same(s);
}

}  // namespace
}  // namespace sendhub::text
