#include "link/packed_record.h"


namespace sendhub {
namespace {

// Each value is its length (a varint: 7 bits a byte, high bit = more) then its bytes, so any
// byte, a separator included, is kept as it was.
void append(std::string& out, std::string_view value) {
  std::size_t n = value.size();
  do {
    out += static_cast<char>((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>= 7;
  } while (n > 0);
  out.append(value);
}

// The length at `at`, moving `at` past it.
std::size_t length_at(const std::string& packed, std::size_t& at) {
  std::size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(packed[at++]);
    n |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return n;
  }
}

std::size_t index_of(RecordKind kind, std::string_view field) {
  const int i = field_index(kind, field);
  if (i < 0) throw Error(Where{}, std::string(field), "record.field", "no such field in a " + std::string(spec(kind).name) + " record");
  return static_cast<std::size_t>(i);
}

}  // namespace

PackedRecord::PackedRecord(const Record& r) : source(r.source), return_year(r.return_year), kind_(r.kind()) {
  for (std::size_t i = 0; i < r.size(); ++i) append(packed_, r.at(i));
  packed_.shrink_to_fit();
}

std::string_view PackedRecord::at(std::size_t i) const {
  std::size_t at = 0;
  for (; i > 0; --i) at += length_at(packed_, at);
  const std::size_t n = length_at(packed_, at);
  return std::string_view(packed_).substr(at, n);
}

std::string PackedRecord::get(std::string_view field) const { return std::string(at(index_of(kind_, field))); }

PackedRecord& PackedRecord::set(std::string_view field, std::string_view value) {
  const std::size_t n = spec(kind_).fields.size(), target = index_of(kind_, field);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) append(out, i == target ? value : at(i));
  packed_ = std::move(out);
  return *this;
}

std::string PackedRecord::key() const {
  std::string out;
  for (std::size_t i = 0; i < spec(kind_).key_fields; ++i) {
    if (i) out += '|';
    out += at(i);
  }
  return out;
}

}  // namespace sendhub
