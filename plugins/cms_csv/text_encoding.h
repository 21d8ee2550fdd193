// text_encoding.h: CSV exports arrive as UTF-8 (with or without a BOM), UTF-16 with a
// BOM, or Windows-1252 (what Excel writes on Windows). Everything becomes UTF-8.
#pragma once

#include <cstddef>
#include <string>

namespace cms {

struct Decoded {
  std::string text;       // UTF-8, without BOM
  std::string encoding;   // what it was read as: utf-8, utf-16le, utf-16be, windows-1252
};

// encoding: "auto" (BOM, then strict UTF-8, then Windows-1252), "utf-8" (strict: invalid
// bytes are an error) or "windows-1252". Throws std::runtime_error on invalid UTF-8 when
// utf-8 was asked for.
Decoded decode(const std::string& bytes, const std::string& encoding);

// The whole file's bytes; throws sendhub::Error (input.read) naming it when it cannot be read.
std::string read_bytes(const std::string& file);

// The file's first bytes, at most limit of them; whole is set when that is the entire file.
// Throws as read_bytes does.
std::string read_head(const std::string& file, std::size_t limit, bool& whole);

}  // namespace cms
