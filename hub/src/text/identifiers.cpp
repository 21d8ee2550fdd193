#include "text/identifiers.h"

#include <cctype>

namespace sendhub::text {
namespace {

constexpr std::string_view kUpnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";  // no I, O, S

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

// A temporary UPN ends in a letter, valued by its place in the check table.
int upn_char_value(char c) {
  if (is_digit(c)) return c - '0';
  auto pos = kUpnLetters.find(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

char upn_check_letter(std::string_view upn) {
  if (upn.size() != 13) return '\0';
  int sum = 0;
  for (std::size_t i = 1; i < 13; ++i) {
    int v = upn_char_value(upn[i]);
    if (v < 0 || (i < 12 && !is_digit(upn[i]))) return '\0';
    sum += v * static_cast<int>(i + 1);
  }
  return kUpnLetters[static_cast<std::size_t>(sum % 23)];
}

std::string upn_check_letter_problem(std::string_view upn) {
  if (upn.size() != 13) return "a UPN has 13 characters";
  char expected = upn_check_letter(upn);
  if (expected == '\0') return "";  // the shape rule reports it
  if (std::toupper(static_cast<unsigned char>(upn[0])) != expected)
    return std::string("wrong check letter at character 1: should be ") + expected;
  return "";
}

std::string upn_shape_problem(std::string_view upn) {
  if (upn.size() != 13) return "a UPN has 13 characters";
  if (!all_digits(upn.substr(4, 8))) return "characters 5-12 of a UPN must be digits";
  if (upn_char_value(upn[12]) < 0) return "character 13 of a UPN must be a digit or a check-table letter";
  return "";
}

std::string uln_problem(std::string_view uln) {
  if (uln.size() != 10 || !all_digits(uln)) return "a ULN is 10 digits";
  if (uln[0] == '0') return "a ULN does not start with 0";
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) sum += (uln[i] - '0') * static_cast<int>(10 - i);
  int r = sum % 11;
  if (r == 0 || uln[9] - '0' != 10 - r) return "ULN check digit is wrong";
  return "";
}

std::string nhs_number_problem(std::string_view nhs) {
  if (nhs.size() != 10 || !all_digits(nhs)) return "an NHS number is 10 digits";
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) sum += (nhs[i] - '0') * static_cast<int>(10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10 || nhs[9] - '0' != check) return "NHS number check digit is wrong";
  return "";
}

namespace {

// The shape ^(GIR ?0AA|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2})$, any case, read directly:
// every person record's postcode passes here, and std::regex took microseconds for each
// (tests/unit/identifiers_test.cpp compares the two on every short string of a few letters).
bool postcode_shape(std::string_view p) {
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (p.size() < 5) return false;
  const std::string_view in = p.substr(p.size() - 3);   // the inward code: a digit, two letters
  std::string_view out = p.substr(0, p.size() - 3);
  if (out.back() == ' ') out.remove_suffix(1);
  if (!digit(in[0]) || !letter(in[1]) || !letter(in[2])) return false;
  auto upper = [](std::string_view s) {
    std::string u(s);
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  };
  if (out.size() == 3 && upper(out) == "GIR") return upper(in) == "0AA";
  std::size_t i = 0;   // one or two letters, a digit, then a digit or letter or nothing
  while (i < out.size() && i < 2 && letter(out[i])) ++i;
  if (i == 0 || i >= out.size() || !digit(out[i])) return false;
  return out.size() == i + 1 || (out.size() == i + 2 && (digit(out[i + 1]) || letter(out[i + 1])));
}

}  // namespace

std::string postcode_problem(std::string_view postcode) { return postcode_shape(postcode) ? "" : "not a UK postcode"; }

std::string identifier_problem(std::string_view algorithm, std::string_view value) {
  if (algorithm == "upn_check_letter") return upn_check_letter_problem(value);
  if (algorithm == "upn_shape") return upn_shape_problem(value);
  if (algorithm == "uln") return uln_problem(value);
  if (algorithm == "nhs_number") return nhs_number_problem(value);
  if (algorithm == "postcode") return postcode_problem(value);
  return "no identifier check named " + std::string(algorithm);
}

}  // namespace sendhub::text
