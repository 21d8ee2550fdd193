#include "store/pg/libpq.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "sendhub/error.h"

namespace sendhub::pg {
namespace {

std::atomic<bool> g_loaded{false};

// The soname libpq-dev links against, unless SENDHUB_LIBPQ names another (a libpq elsewhere).
std::string library() {
  const char* named = std::getenv("SENDHUB_LIBPQ");
  return named && *named ? named : "libpq.so.5";
}

Error unusable(const std::string& library, const std::string& why) {
  return Error(Where{library, 0, ""}, "store", "store.libpq",
               "the PostgreSQL store needs libpq: " + why + " (install the libpq5 package)");
}

Libpq load() {
  const std::string path = library();
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    throw unusable(path, why ? why : "it cannot be loaded");
  }
  Libpq lib;
  // Never closed: libpq stays for the process, as it did when linked in.
#define SENDHUB_LIBPQ_RESOLVE(name)                                                           \
  lib.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name));                     \
  if (!lib.name) throw unusable(path, std::string("it has no ") + #name + " (a libpq older than 10?)");
  SENDHUB_LIBPQ_FUNCTIONS(SENDHUB_LIBPQ_RESOLVE)
#undef SENDHUB_LIBPQ_RESOLVE
  g_loaded = true;
  return lib;
}

}  // namespace

// A function-local static: loaded once, by whichever thread comes first; a failed load
// throws and is tried again by the next caller.
const Libpq& libpq() {
  static const Libpq lib = load();
  return lib;
}

bool libpq_loaded() { return g_loaded; }

}  // namespace sendhub::pg
