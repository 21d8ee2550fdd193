// link/clusters.h: union-find over person records, each cluster carrying its valid strong
// identifiers, in flat arrays: a few bytes per record (parent, first joining rule, one
// 64-bit hash per strong identifier), so a million children's records fit in about 100 MB.
//
// A cluster holds at most one value per strong identifier: records start with at most one,
// and two clusters join only when every identifier both hold is the same. So each root keeps
// one hash per identifier instead of a set of strings. (Two different identifiers with the
// same 64-bit hash would let two clusters join that should not: with a million children the
// chance is about one in ten million, and a join also needs a match rule to agree.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sendhub {

class Clusters {
 public:
  explicit Clusters(std::size_t strong_fields) : fields_(strong_fields) {}

  // Room for n records at once: growing a vector would hold its old and new arrays together.
  void reserve(std::size_t n);
  // Adds a record (the next node number) with its valid strong values ("" = none).
  void add(const std::vector<std::string>& strong);
  std::size_t size() const { return parent_.size(); }

  std::uint32_t root(std::uint32_t node);
  // Whether the two records' clusters may be one person: no strong identifier both hold
  // disagrees.
  bool compatible(std::uint32_t a, std::uint32_t b);
  // Joins the two clusters (the smaller node number stays root); `rule` (1-based) is noted
  // on each record not joined before.
  void join(std::uint32_t a, std::uint32_t b, std::uint8_t rule);
  // The rule that first joined the record (1-based), 0 when it stands alone.
  std::uint8_t rule(std::uint32_t node) const { return rule_[node]; }

 private:
  std::uint64_t* ids(std::uint32_t node) { return &strong_[std::size_t{node} * fields_]; }

  std::size_t fields_;
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint64_t> strong_;   // fields_ hashes per node; only roots' are current
  std::vector<std::uint8_t> rule_;
};

}  // namespace sendhub
