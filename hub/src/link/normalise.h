// link/normalise.h: values as linking compares them. Names fold case, spaces, hyphens,
// apostrophes and accents ("O'Neil-Brontë" and "oneil bronte" are the same); identifiers
// lose spaces and take upper case; postcodes compare without spaces.
#pragma once

#include <string>
#include <string_view>

namespace sendhub {

std::string fold_name(std::string_view utf8);
std::string fold_identifier(std::string_view value);

}  // namespace sendhub
