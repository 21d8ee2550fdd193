#include "pipeline/group_codec.h"

#include <cstdint>

namespace sendhub {
namespace {

void put_number(std::string& out, std::uint64_t n) {
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

// Signed numbers zig-zagged, so a small negative one stays one byte.
void put_signed(std::string& out, std::int64_t n) {
  put_number(out, (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63));
}

void put_text(std::string& out, const std::string& s) {
  put_number(out, s.size());
  out += s;
}

}  // namespace

struct GroupReader {
  const std::string& in;
  std::size_t at = 0;
  std::uint64_t number() {
    std::uint64_t n = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(in[at++]);
      n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return n;
    }
  }
  std::int64_t signed_number() {
    const std::uint64_t z = number();
    return static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
  }
  std::string text() {
    const auto n = static_cast<std::size_t>(number());
    std::string s = in.substr(at, n);
    at += n;
    return s;
  }
};

void GroupCodec::put_interned(std::string& out, const std::string& s) {
  auto [it, added] = index_.emplace(s, strings_.size());
  if (added) {
    strings_.push_back(s);
    interned_bytes_ += s.size() * 2 + 64;   // the copy, the map's key and node
  }
  put_number(out, it->second);
}

void GroupCodec::put_record(std::string& out, const Record& r) {
  put_number(out, static_cast<std::uint64_t>(r.kind()));
  for (std::size_t i = 0; i < r.size(); ++i) put_text(out, r.at(i));
  put_interned(out, r.origin.file);
  put_signed(out, r.origin.line);
  put_text(out, r.origin.path);
  put_signed(out, r.return_year);
  put_interned(out, r.source);
  put_signed(out, r.run_id);
  put_text(out, r.person_key);
  put_text(out, r.case_key);
  put_number(out, r.extras.size());
  for (const auto& [name, value] : r.extras) {
    put_interned(out, name);
    put_text(out, value);
  }
}

std::string GroupCodec::encode(const PersonGroup& group) {
  std::string out;
  put_text(out, group.person_key);
  for (const auto* list : {&group.records, &group.loaded}) {
    put_number(out, list->size());
    for (const auto& r : *list) put_record(out, r);
  }
  return out;
}

void GroupCodec::read_records(GroupReader& in, std::vector<Record>& list) const {
  const auto n = static_cast<std::size_t>(in.number());
  list.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    Record& r = list.emplace_back(static_cast<RecordKind>(in.number()));
    for (std::size_t i = 0; i < r.size(); ++i) r.set_at(i, in.text());
    r.origin.file = strings_[in.number()];
    r.origin.line = in.signed_number();
    r.origin.path = in.text();
    r.return_year = static_cast<int>(in.signed_number());
    r.source = strings_[in.number()];
    r.run_id = in.signed_number();
    r.person_key = in.text();
    r.case_key = in.text();
    const auto extras = in.number();
    for (std::uint64_t e = 0; e < extras; ++e) {
      const std::string& name = strings_[in.number()];
      r.extras[name] = in.text();
    }
  }
}

PersonGroup GroupCodec::decode(const std::string& bytes) const {
  GroupReader in{bytes};
  PersonGroup g;
  g.person_key = in.text();
  read_records(in, g.records);
  read_records(in, g.loaded);
  return g;
}

std::string GroupCodec::encode(const StoredGroup& group) {
  std::string out;
  put_text(out, group.key);
  put_number(out, group.person ? 1 : 0);
  if (group.person) {
    put_text(out, group.person->person_key);
    put_number(out, group.person->values.size());
    for (const auto& v : group.person->values) put_text(out, v);
    put_text(out, group.person->origins);
  }
  put_number(out, group.records.size());
  for (const auto& r : group.records) put_record(out, r);
  return out;
}

StoredGroup GroupCodec::decode_stored(const std::string& bytes) const {
  GroupReader in{bytes};
  StoredGroup g;
  g.key = in.text();
  if (in.number()) {
    LinkedPerson p;
    p.person_key = in.text();
    const auto n = in.number();
    for (std::uint64_t i = 0; i < n; ++i) p.values.push_back(in.text());
    p.origins = in.text();
    g.person = std::move(p);
  }
  read_records(in, g.records);
  return g;
}

}  // namespace sendhub
