// text/identifiers.h: the one place each identifier is checked (shared/spec/sen2.md §3.3,
// sources-and-measures-notes.md §3.6). Each returns what is wrong, or "" when valid, in
// words that never repeat the value.
#pragma once

#include <string>
#include <string_view>

namespace sendhub::text {

// UPN: 13 characters; the check letter at character 1 (school census 1510).
std::string upn_check_letter_problem(std::string_view upn);
// The check letter a 13-character UPN should start with ('\0' if it cannot have one).
char upn_check_letter(std::string_view upn);
// UPN characters 5-12 all digits (1540) and character 13 a digit or a check-table letter (1550).
std::string upn_shape_problem(std::string_view upn);
// ULN: 10 digits, first non-zero, mod-11 check digit (school census 1575).
std::string uln_problem(std::string_view uln);
// NHS number: 10 digits, Modulus 11 check digit.
std::string nhs_number_problem(std::string_view nhs);
// UK postcode shape, with or without the space.
std::string postcode_problem(std::string_view postcode);

// By name: upn_check_letter, upn_shape, uln, nhs_number, postcode. An unknown name is
// reported as a problem, so a misspelt check never passes silently.
std::string identifier_problem(std::string_view algorithm, std::string_view value);

}  // namespace sendhub::text
