// pipeline/input_archive.h: raw input is kept. Every file a source reads is copied,
// 0600, into the archive under its SHA-256, so the same file read every night is
// stored once; copies not read again within the retention period are deleted.
#pragma once

#include <string>

#include "store/store.h"

namespace sendhub {

InputFile archive_input(const std::string& file, const std::string& archive_dir);

// Deletes archived files last read more than `days` days ago; returns how many.
int prune_archive(const std::string& archive_dir, int days);

}  // namespace sendhub
