// list_part.h: one child's row of the lists (or none) as the bytes the sink keeps between runs
// (SinkContext::each_person_part): built from the person's records once, read back every run
// after until the person changes. A cell's heading is its place among the list's headings (a
// heading of no list, which a rule may still read, is written out).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "list_row.h"

namespace inspection {

std::string encode_row(const std::optional<ListRow>& row, const Codes& codes);
// Throws sendhub::Error (rule store.copy) on bytes cut short.
std::optional<ListRow> decode_row(std::string_view part, const Codes& codes);

}  // namespace inspection
