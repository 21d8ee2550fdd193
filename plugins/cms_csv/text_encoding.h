// text_encoding.h: CSV exports arrive as UTF-8 (with or without a BOM), UTF-16 with a
// BOM, or Windows-1252 (what Excel writes on Windows). Everything becomes UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cms {

struct Decoded {
  std::string text;       // UTF-8, without BOM
  std::string encoding;   // what it was read as: utf-8, utf-16le, utf-16be, windows-1252
};

// encoding: "auto" (BOM, then strict UTF-8, then Windows-1252), "utf-8" (strict: invalid
// bytes are an error) or "windows-1252". Throws std::runtime_error on invalid UTF-8 when
// utf-8 was asked for.
Decoded decode(const std::string& bytes, const std::string& encoding);

// How a text's bytes become UTF-8, for decode() and for a file read a block at a time
// (text_reader.h): its form, the byte-order mark's bytes to skip, and whether the rest must
// be checked as UTF-8; when that check fails, `invalid` is the error, or (nullptr) the whole
// text is Windows-1252.
enum class Form { utf8, utf16le, utf16be, cp1252 };
struct Reading {
  Form form;
  std::size_t skip;
  bool check_utf8;
  const char* invalid;
};
// From the text's first bytes (three are enough) and the profile's encoding.
Reading reading_of(std::string_view head, const std::string& encoding);
const char* name_of(Form form);   // utf-8, utf-16le, utf-16be, windows-1252
// Appends bytes of the form (UTF-16: whole units) to out as UTF-8.
void append_utf8(Form form, std::string_view bytes, std::string& out);

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF) as far as the bytes go:
// 0 when they are whole UTF-8; kInvalidUtf8 when they are not; else how many bytes at their
// end begin a character the bytes after them would end (a block of a file cut mid-character).
inline constexpr std::size_t kInvalidUtf8 = static_cast<std::size_t>(-1);
std::size_t utf8_open_tail(std::string_view bytes);

// The whole file's bytes; throws sendhub::Error (input.read) naming it when it cannot be read.
std::string read_bytes(const std::string& file);

// The file's first bytes, at most limit of them; whole is set when that is the entire file.
// Throws as read_bytes does.
std::string read_head(const std::string& file, std::size_t limit, bool& whole);

// Where such a head ends after its last line break (0: it holds none): after the byte for
// UTF-8 and Windows-1252, after a whole two-byte unit for UTF-16 (units start at even offsets
// after the byte-order mark), so the cut is never inside a character. The encoding is decided
// as decode() decides it (reading_of), from the head and the profile's encoding.
std::size_t after_last_line_break(std::string_view head, const std::string& encoding);

}  // namespace cms
