// text_fold.h: how a header or a code value from an export is compared with the profile:
// case (ASCII), surrounding white space, runs of white space (a no-break space counts),
// dashes (en dash, em dash, minus sign: "-") and curly quotes (straight ones) are folded, so
// "Agreed – Plan" and "agreed  - plan" are the same value. A profile key written /.../ is a
// regular expression (ECMAScript, case-insensitive) matched against the folded text.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace cms {

std::string fold(std::string_view text);

// The pattern of a key written /.../; nothing for a plain key. Throws std::regex_error.
std::optional<std::regex> pattern_of(const std::string& key);

}  // namespace cms
