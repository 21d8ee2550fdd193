// store/sqlite/sqlite_inputs.h: the input files a file store's sources read (source_files: each
// file's SHA-256, stat and archive copy, and the mark of its last whole read) and the archive
// copies the hub wrote (archive_manifest: the only files retention may delete).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace sendhub::sqlite {

void note_input(Db& db, const std::string& source, const InputFile& in, std::int64_t run);
// What was noted for the file when its stat was `stat` (nothing for an empty stat).
std::optional<InputFile> known_input(Db& db, const std::string& source, const std::string& file, const std::string& stat);
std::string read_mark(Db& db, const std::string& source, const std::string& file);
void set_read_mark(Db& db, const std::string& source, const std::string& file, const std::string& mark);
std::vector<std::string> archived_files(Db& db);
void forget_archived(Db& db, const std::string& path);

}  // namespace sendhub::sqlite
