// pipeline/input_archive.h: raw input is kept. Every file a source reads is copied,
// 0600, into the archive under its SHA-256, so the same file read every night is
// stored once; copies not read again within the retention period are deleted. The
// archive folder must be the hub's own (not group- or world-writable), copies are
// created O_EXCL|O_NOFOLLOW, and retention deletes only what the store's manifest lists.
#pragma once

#include <string>

#include "store/store.h"

namespace sendhub {

InputFile archive_input(const std::string& file, const std::string& archive_dir);

// Deletes the hub's archived copies (the manifest) last read more than `days` days ago;
// returns how many. Nothing else in the folder is touched.
int prune_archive(Store& store, int days);

}  // namespace sendhub
