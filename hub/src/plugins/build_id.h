// plugins/build_id.h: which build a loaded library is. The linker writes a GNU build-id note (a
// digest of everything it linked) into each library; Debian's toolchain always does. A sink's
// kept parts are kept under it (pipeline/sink_reuse.h): the library's stat changed with anything
// that touched its inode (a hard link, a copy of the same build, `perf record` linking it into
// its cache), and every person was derived again for nothing.
#pragma once

#include <string>

namespace sendhub {

// The build-id, in hex, of the loaded object (the program or a library) whose code or data holds
// `address`; "" when no loaded object holds it or the object has no build-id.
std::string loaded_build_id(const void* address);

}  // namespace sendhub
