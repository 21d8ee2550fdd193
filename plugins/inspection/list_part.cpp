#include "list_part.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "part_bytes.h"

namespace inspection {
namespace {

const std::vector<std::string>& headings_of(int list, const Codes& codes) { return list == 1 ? codes.list1 : codes.list2; }

}  // namespace

// The row: its list, the birth date, the records its cells came from (source and file, once
// each: a row's thirty cells come from a handful), then each cell.
std::string encode_row(const std::optional<ListRow>& row, const Codes& codes) {
  plugin_support::PartWriter out;
  if (!row) return out.number(0).take();
  const auto& headings = headings_of(row->list, codes);
  std::vector<std::pair<std::string_view, std::string_view>> files;
  auto file_of = [&](const CellOrigin& o) {
    const auto at = std::find(files.begin(), files.end(), std::pair<std::string_view, std::string_view>(o.source, o.file));
    if (at != files.end()) return static_cast<std::uint64_t>(at - files.begin());
    files.emplace_back(o.source, o.file);
    return static_cast<std::uint64_t>(files.size() - 1);
  };
  for (const auto& [heading, cell] : row->cells)
    if (cell.from) file_of(*cell.from);
  out.number(static_cast<std::uint64_t>(row->list)).text(row->birth_iso).number(files.size());
  for (const auto& [source, file] : files) out.text(source).text(file);
  out.number(row->cells.size());
  for (const auto& [heading, cell] : row->cells) {
    const auto at = std::find(headings.begin(), headings.end(), heading);
    if (at == headings.end()) out.number(0).text(heading);
    else out.number(static_cast<std::uint64_t>(at - headings.begin()) + 1);
    out.text(cell.value).text(cell.iso);
    if (!cell.from) out.number(0);
    else out.number(file_of(*cell.from) + 1).number(static_cast<std::uint64_t>(cell.from->line));
  }
  return out.take();
}

std::optional<ListRow> decode_row(std::string_view part, const Codes& codes) {
  plugin_support::PartReader in(part);
  const std::uint64_t list = in.number();
  if (list == 0) return std::nullopt;
  ListRow row;
  row.list = static_cast<int>(list);
  const auto& headings = headings_of(row.list, codes);
  row.birth_iso = in.text();
  std::vector<std::pair<std::string_view, std::string_view>> files(in.count());
  for (auto& [source, file] : files) {
    source = in.text();
    file = in.text();
  }
  for (std::size_t n = in.count(); n > 0; --n) {
    const std::uint64_t place = in.number();
    if (place > headings.size()) in.fail("names a heading the list lacks");
    Cell& cell = row.cells[place ? std::string_view(headings[place - 1]) : in.text()];
    cell.value = in.text();
    cell.iso = in.text();
    const std::uint64_t file = in.number();
    if (file > files.size()) in.fail("names a file it lacks");
    if (file) cell.from = CellOrigin{files[file - 1].first, files[file - 1].second, static_cast<long>(in.number())};
  }
  return row;
}

}  // namespace inspection
