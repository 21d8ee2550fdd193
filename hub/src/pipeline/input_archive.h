// pipeline/input_archive.h: raw input is kept. Every file a source reads is copied,
// 0600, into the archive under its SHA-256, so the same file read every night is
// stored once; copies not read again within the retention period are deleted. The
// archive folder must be the hub's own (not group- or world-writable), copies are
// created O_EXCL|O_NOFOLLOW, and retention deletes only what the store's manifest lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/store.h"

namespace sendhub {

// Hashes the file and keeps its copy, unless `known` (what the store noted for it when its stat
// was what it is now) gives its hash: then the file is not read, and only its copy is made sure
// of (copied again if retention deleted it).
InputFile archive_input(const std::string& file, const std::string& archive_dir,
                        const std::optional<InputFile>& known = std::nullopt);

// The file's size, modification and change times (ns), device and inode, as one string; "" when
// it changed within the last two seconds, or is dated ahead of the clock: a file system's clock
// may be that coarse, and a write in the same tick would leave the stat as it was. As git does
// with its index ("racy" entries): trusted only once it is older than any write that could hide.
// `now` is the clock's time in seconds (tests move it).
std::string input_stat(const std::string& file, std::int64_t now = -1);

// Deletes the hub's archived copies (the manifest) last read more than `days` days ago;
// returns how many. Nothing else in the folder is touched.
int prune_archive(Store& store, int days);

}  // namespace sendhub
