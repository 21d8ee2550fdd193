#include "records/code_check.h"

#include <algorithm>

namespace sendhub {

CodeCheck::CodeCheck(const std::string& schemas_dir) : catalogue_(schemas_dir), year_(catalogue_.years().back()) {
  for (const auto& r : catalogue_.rules(year_))
    if (r.kind == RuleKind::codes)
      for (const auto& f : r.fields) lists_[{r.record, f}] = r.lists;
  for (const auto& [at, lists] : lists_) {
    const int i = field_index(at.first, at.second);
    if (i < 0) continue;
    auto& fields = by_field_[static_cast<std::size_t>(at.first)];
    fields.resize(spec(at.first).fields.size(), nullptr);
    fields[static_cast<std::size_t>(i)] = &lists;
  }
}

void CodeCheck::check(const Record& r) const {
  if (r.return_year != 0) return;
  const auto& fields = by_field_[static_cast<std::size_t>(r.kind())];
  for (std::size_t i = 0; i < r.size() && i < fields.size(); ++i) {
    const std::string& v = r.at(i);
    if (v.empty() || fields[i] == nullptr) continue;
    const auto& lists = *fields[i];
    if (std::any_of(lists.begin(), lists.end(), [&](const std::string& l) { return catalogue_.codes().contains(l, year_, v); }))
      continue;
    const std::string field(r.kind_spec().fields[i].name);
    std::string names;
    for (const auto& l : lists) names += (names.empty() ? "" : ", ") + l;
    Where where = r.origin;
    where.line = r.line_of(field);
    throw Error(where, field, "record.code", "not a code of the " + names + " list (sendhub fields --kind " +
                                                 std::string(r.kind_spec().name) + ")");
  }
}

}  // namespace sendhub
