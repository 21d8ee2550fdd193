// io/private_file.h: files and folders sendhub creates hold children's data, so they are
// created 0600 / 0700 whatever the umask (privacy.md §2), and an output appears whole or
// not at all (write to a temporary file beside it, fsync, rename).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sendhub/plugin.h"

namespace sendhub::io {

// Throws Error (rule input.not_regular) unless the path is a regular file (after links):
// a FIFO, device or folder matching an input glob would hang or mislead a reader.
void require_regular_file(const std::string& path);

// Creates the folder and its missing parents with mode 0700.
void make_private_dirs(const std::string& dir);

// An OutputFile that becomes `path` on commit(). Throws Error when it cannot be created.
std::unique_ptr<OutputFile> create_output(const std::string& path);

// A file published, and the SHA-256 of what was written to it (hex).
struct PublishedFile {
  std::string path, sha256;
};

// The outputs of one sink, published together: each file is written and flushed under a
// temporary name; publish() renames every committed one onto its target, and only then.
// Destroyed before publish() (the sink failed), it leaves the previous outputs as they were.
class OutputBatch {
 public:
  OutputBatch();
  ~OutputBatch();
  OutputBatch(const OutputBatch&) = delete;
  OutputBatch& operator=(const OutputBatch&) = delete;
  std::unique_ptr<OutputFile> create(const std::string& path);
  std::vector<PublishedFile> publish();   // the files renamed into place

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes the whole content atomically (create_output + write + commit).
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace sendhub::io
