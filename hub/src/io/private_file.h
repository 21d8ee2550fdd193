// io/private_file.h: files and folders sendhub creates hold children's data, so they are
// created 0600 / 0700 whatever the umask (privacy.md §2), and an output appears whole or
// not at all (write to a temporary file beside it, fsync, rename).
#pragma once

#include <memory>
#include <string>

#include "sendhub/plugin.h"

namespace sendhub::io {

// Creates the folder and its missing parents with mode 0700.
void make_private_dirs(const std::string& dir);

// An OutputFile that becomes `path` on commit(). Throws Error when it cannot be created.
std::unique_ptr<OutputFile> create_output(const std::string& path);

// Writes the whole content atomically (create_output + write + commit).
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace sendhub::io
