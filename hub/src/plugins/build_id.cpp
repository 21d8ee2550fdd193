#include "plugins/build_id.h"

#include <Poco/DigestEngine.h>
#include <elf.h>
#include <link.h>

#include <cstdint>
#include <cstring>

namespace sendhub {
namespace {

struct Search {
  std::uintptr_t address;
  std::string id;
};

bool holds(const dl_phdr_info& object, std::uintptr_t address) {
  for (ElfW(Half) i = 0; i < object.dlpi_phnum; ++i) {
    const ElfW(Phdr)& p = object.dlpi_phdr[i];
    const std::uintptr_t start = object.dlpi_addr + p.p_vaddr;
    if (p.p_type == PT_LOAD && address >= start && address - start < p.p_memsz) return true;
  }
  return false;
}

// The GNU build-id among one PT_NOTE segment's notes. Each note is a header, its name and its
// description, each padded to the segment's alignment (4, or 8 for some notes).
std::string build_id_in(const char* notes, std::size_t size, std::size_t align) {
  const auto padded = [align](std::size_t n) { return (n + align - 1) / align * align; };
  std::size_t at = 0;
  while (at + sizeof(ElfW(Nhdr)) <= size) {
    ElfW(Nhdr) note;
    std::memcpy(&note, notes + at, sizeof note);
    const std::size_t name = at + sizeof note, desc = name + padded(note.n_namesz);
    if (desc + note.n_descsz > size) break;
    if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(notes + name, "GNU", 4) == 0) {
      const auto* id = reinterpret_cast<const unsigned char*>(notes + desc);
      return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(id, id + note.n_descsz));
    }
    at = desc + padded(note.n_descsz);
  }
  return "";
}

int visit(dl_phdr_info* object, std::size_t /*size*/, void* data) {
  auto& search = *static_cast<Search*>(data);
  if (!holds(*object, search.address)) return 0;
  for (ElfW(Half) i = 0; i < object->dlpi_phnum && search.id.empty(); ++i) {
    const ElfW(Phdr)& p = object->dlpi_phdr[i];
    if (p.p_type != PT_NOTE) continue;
    // The loader gives the object's base as an integer.
    const auto* notes = reinterpret_cast<const char*>(object->dlpi_addr + p.p_vaddr);  // NOLINT(performance-no-int-to-ptr)
    search.id = build_id_in(notes, p.p_memsz, p.p_align == 8 ? 8 : 4);
  }
  return 1;   // found the object: stop
}

}  // namespace

std::string loaded_build_id(const void* address) {
  Search search{reinterpret_cast<std::uintptr_t>(address), ""};
  ::dl_iterate_phdr(visit, &search);
  return search.id;
}

}  // namespace sendhub
