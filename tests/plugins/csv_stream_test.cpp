// The CSV reader reads a file a block at a time (cms_csv/text_reader.h): the records it gives,
// in every encoding and cut at every place, are those of the same file decoded and parsed
// whole; what the whole file decides (its encoding, CR-only lines) is decided before the first
// record; and what it holds does not grow with the file.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "csv_parser.h"
#include "sendhub/error.h"
#include "test_support.h"
#include "text_encoding.h"
#include "text_reader.h"

namespace {

using cms::CsvParser;
using cms::CsvProblem;
using cms::CsvRow;
using cms::TextReader;
using sendhub::test::TempDir;
using sendhub::test::write_file;

// Rows as one comparable text: line, fields, raw, problem.
std::string rows_of(CsvParser& parser) {
  std::string out;
  try {
    while (std::optional<CsvRow> row = parser.next()) {
      out += std::to_string(row->line) + ":";
      for (const auto& f : row->fields) out += "[" + f + "]";
      out += " raw[" + row->raw + "] " + row->problem_rule + "@" + std::to_string(row->problem_column) + "\n";
    }
  } catch (const CsvProblem& p) {
    out += "problem " + std::to_string(p.line) + ": " + p.message + "\n";
  }
  return out;
}

std::string whole(const std::string& bytes, const std::string& encoding, std::size_t max_field) {
  const cms::Decoded text = cms::decode(bytes, encoding);
  CsvParser parser(text.text, ',', max_field);
  return rows_of(parser);
}

std::string streamed(const std::string& file, const std::string& encoding, std::size_t block, std::size_t max_field,
                     std::string* found = nullptr) {
  TextReader reader(file, encoding, block);
  if (found) *found = reader.encoding();
  CsvParser parser(reader, ',', max_field);
  return rows_of(parser);
}

const std::string kRows =
    "id,name,note\r\n"
    "1,\"Smith, Jo\",\"said \"\"hi\"\"\"\r\n"
    "\r\n"
    "2,Ren\xC3\xA9\xF0\x9F\x98\x80,\"two\r\nlines\"\r\n"
    "3,stray\rcr,x\r\n"
    "4,a field far over the cap,\"\"\r\n"
    "5,last,\"\"\"\"";

TEST(CsvStream, GivesTheRecordsOfTheWholeTextCutAnywhereInEveryEncoding) {
  TempDir dir;
  struct Case {
    std::string name, bytes, encoding, found;
  };
  std::string cp1252 = kRows;
  cp1252.replace(cp1252.find("Ren\xC3\xA9\xF0\x9F\x98\x80"), 9, "Ren\xE9\x80");   // é and €
  const std::vector<Case> cases = {
      {"utf-8", kRows, "auto", "utf-8"},
      {"utf-8 with a byte-order mark", "\xEF\xBB\xBF" + kRows, "utf-8", "utf-8"},
      {"windows-1252 found", cp1252, "auto", "windows-1252"},
      {"windows-1252 asked", "\xEF\xBB\xBF" + kRows, "windows-1252", "windows-1252"},
      {"utf-16le", sendhub::test::utf16("id,n\r\n1,\"a\x01\"\r\n2,\x01\x01,x\r\n\r\n3,\"q\"\"\"", true), "auto", "utf-16le"},
      {"utf-16be", sendhub::test::utf16("id,n\n1,\x01\n2,\"\x01\n\"\n", false), "auto", "utf-16be"},
      {"CR alone", "id,n\r1,a\r\r2,\"b\rc\"\r", "auto", "utf-8"},
      {"an unclosed quote", "id,n\n1,\"open\n2,x\n", "auto", "utf-8"},
      {"empty", "", "auto", "utf-8"},
  };
  for (const auto& c : cases) {
    const std::string file = dir / "in.csv";
    write_file(file, c.bytes);
    const std::string expected = whole(c.bytes, c.encoding, 16);
    ASSERT_FALSE(c.bytes.size() > 2 && expected.empty()) << c.name;
    for (const std::size_t block : {1, 2, 3, 4, 5, 7, 11, 64, 65536}) {
      std::string found;
      EXPECT_EQ(streamed(file, c.encoding, block, 16, &found), expected) << c.name << ", blocks of " << block;
      EXPECT_EQ(found, c.found) << c.name;
    }
  }
}

TEST(CsvStream, DecidesTheEncodingFromTheWholeFileBeforeTheFirstRecord) {
  TempDir dir;
  const std::string file = dir / "in.csv";
  std::string body = "id,n\n";
  for (int i = 0; i < 20000; ++i) body += std::to_string(i) + ",name\n";
  // One Windows-1252 byte at the very end makes the whole file Windows-1252 (as decode() does),
  // though every block before it is UTF-8.
  write_file(file, body + "x,Zo\xEB\n");
  std::string found;
  const std::string rows = streamed(file, "auto", 4096, 1024, &found);
  EXPECT_EQ(found, "windows-1252");
  EXPECT_NE(rows.find("[Zo\xC3\xAB]"), std::string::npos);
  // A profile that says utf-8 refuses the file before a record is read, as a BOM that lies does.
  EXPECT_THROW(TextReader(file, "utf-8", 4096), std::runtime_error);
  write_file(file, "\xEF\xBB\xBF" + body + "x,Zo\xEB\n");
  try {
    TextReader reader(file, "auto", 4096);
    ADD_FAILURE() << "a byte-order mark on bytes that are not UTF-8 was read";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "the file has a UTF-8 byte-order mark but is not valid UTF-8");
  }
  // A character cut short by the end of the file is not UTF-8 either.
  write_file(file, body + "x,\xF0\x9F\x98");
  EXPECT_THROW(TextReader(file, "utf-8", 7), std::runtime_error);
  EXPECT_EQ(TextReader(file, "auto", 7).encoding(), "windows-1252");
}

TEST(CsvStream, HoldsTheRecordBeingReadAndABlockNotTheFile) {
  TempDir dir;
  const std::string file = dir / "in.csv";
  std::string body = "id,name,note\n";
  while (body.size() < std::size_t{8} * 1024 * 1024) body += std::to_string(body.size()) + ",\"Surname, Forename\",a note\n";
  write_file(file, body);
  TextReader reader(file, "auto", 4096);
  CsvParser parser(reader, ',');
  std::size_t rows = 0, held = 0;
  while (parser.next()) {
    ++rows;
    held = std::max(held, parser.held());
  }
  EXPECT_GT(rows, 200000U);
  EXPECT_LE(held, std::size_t{8} * 4096) << "the parser held " << held << " bytes of an 8 MB file";
}

TEST(CsvStream, UnreadableFileIsNamed) {
  try {
    TextReader reader("/nonexistent/in.csv", "auto");
    ADD_FAILURE() << "a missing file was read";
  } catch (const sendhub::Error& e) {
    EXPECT_EQ(e.rule(), "input.read");
    EXPECT_EQ(e.where().file, "/nonexistent/in.csv");
  }
}

}  // namespace

// A census file's head (census_order.cpp) is cut after its last line break: in UTF-16 after a
// whole unit "\n" on a unit's boundary, never after a 0x0A byte of another character (U+010A
// is 0A 01 little-endian, U+0A00 is 0A 00 big-endian... and 00 0A little-endian).
TEST(CsvStream, AHeadIsCutAfterItsLastLineBreakAndInUtf16AfterAWholeUnit) {
  EXPECT_EQ(cms::after_last_line_break("a,b\nc,d\ne,", "auto"), 8u);
  EXPECT_EQ(cms::after_last_line_break("a,b", "auto"), 0u);
  const std::string le = std::string("\xFF\xFE", 2) + std::string("a\0\n\0\x0A\x01\x00\x0A", 8);
  EXPECT_EQ(cms::after_last_line_break(le, "auto"), 6u) << "after a\\n, not inside U+010A or U+0A00";
  EXPECT_EQ(cms::after_last_line_break(le + std::string("\n", 1), "auto"), 6u) << "an odd byte at the end is no unit";
  const std::string be = std::string("\xFE\xFF", 2) + std::string("\0a\0\n\x01\x0A\x0A\x00", 8);
  EXPECT_EQ(cms::after_last_line_break(be, "auto"), 6u);
  EXPECT_EQ(cms::after_last_line_break(std::string("\xFF\xFE", 2) + std::string("a\0b\0", 4), "auto"), 0u);
  EXPECT_EQ(cms::after_last_line_break(std::string("\xFF\xFE", 2), "auto"), 0u);
}
