#include "xlsx_reader.h"

#include <pugixml.hpp>

#include "sendhub/error.h"
#include "zip_reader.h"

namespace plugin_support {
namespace {

using sendhub::Error;
using sendhub::Where;

pugi::xml_document parse(const ZipReader& zip, const std::string& path, const std::string& part) {
  pugi::xml_document doc;
  const std::string bytes = zip.read(part, std::size_t{128} << 20);
  if (!doc.load_buffer(bytes.data(), bytes.size()))
    throw Error(Where{path, 0, part}, "", "xlsx.format", "the workbook part is not well-formed XML");
  return doc;
}

// "xl/worksheets/sheet1.xml" for the sheet's relation id, by xl/_rels/workbook.xml.rels.
std::string sheet_part(const ZipReader& zip, const std::string& path, const std::string& sheet) {
  const auto book = parse(zip, path, "xl/workbook.xml");
  std::string id, found;
  for (auto s : book.child("workbook").child("sheets").children("sheet")) {
    found += (found.empty() ? "" : ", ") + std::string(s.attribute("name").value());
    if (id.empty() && (sheet.empty() || sheet == s.attribute("name").value())) id = s.attribute("r:id").value();
  }
  if (id.empty())
    throw Error(Where{path, 0, "xl/workbook.xml"}, sheet, "xlsx.sheet",
                "the workbook has no sheet \"" + sheet + "\" (it has: " + found + ")");
  const auto rels = parse(zip, path, "xl/_rels/workbook.xml.rels");
  for (auto r : rels.child("Relationships").children("Relationship"))
    if (id == r.attribute("Id").value()) {
      std::string target = r.attribute("Target").value();
      if (target.rfind("/xl/", 0) == 0) return target.substr(1);
      return "xl/" + target;
    }
  throw Error(Where{path, 0, "xl/_rels/workbook.xml.rels"}, sheet, "xlsx.format", "the sheet's part is not named");
}

std::vector<std::string> shared_strings(const ZipReader& zip, const std::string& path) {
  std::vector<std::string> out;
  if (!zip.has("xl/sharedStrings.xml")) return out;
  const auto doc = parse(zip, path, "xl/sharedStrings.xml");
  for (auto si : doc.child("sst").children("si")) {
    std::string text = si.child("t").text().get();
    for (auto run : si.children("r")) text += run.child("t").text().get();   // rich text: its runs
    out.push_back(std::move(text));
  }
  return out;
}

// "BC12" -> 54 (0-based column), from the cell reference's letters.
std::size_t column_of(const char* ref) {
  std::size_t col = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref) col = col * 26 + static_cast<std::size_t>(*ref - 'A' + 1);
  return col == 0 ? 0 : col - 1;
}

}  // namespace

std::vector<SheetRow> read_sheet(const std::string& path, const std::string& sheet) {
  const ZipReader zip(path);
  if (!zip.has("xl/workbook.xml"))
    throw Error(Where{path, 0, ""}, "", "xlsx.format", "not an .xlsx workbook (no xl/workbook.xml in it)");
  const auto strings = shared_strings(zip, path);
  const auto doc = parse(zip, path, sheet_part(zip, path, sheet));
  std::vector<SheetRow> rows;
  for (auto row : doc.child("worksheet").child("sheetData").children("row")) {
    SheetRow out;
    out.line = row.attribute("r").as_llong(static_cast<long long>(rows.size()) + 1);
    for (auto c : row.children("c")) {
      const std::size_t col = c.attribute("r") ? column_of(c.attribute("r").value()) : out.cells.size();
      if (col >= out.cells.size()) out.cells.resize(col + 1);
      const std::string type = c.attribute("t").value();
      std::string value = type == "inlineStr" ? c.child("is").child("t").text().get() : c.child("v").text().get();
      if (type == "s") {
        const auto i = static_cast<std::size_t>(std::stoul(value.empty() ? "0" : value));
        if (i >= strings.size())
          throw Error(Where{path, out.line, c.attribute("r").value()}, "", "xlsx.format", "a shared string the workbook lacks");
        value = strings[i];
      }
      out.cells[col] = std::move(value);
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

}  // namespace plugin_support
