#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sendhub::text
