#include "link/clusters.h"

#include <stdexcept>
#include <utility>

namespace sendhub {
namespace {

// FNV-1a, never 0 (0 means "no value").
std::uint64_t hash_value(const std::string& v) {
  if (v.empty()) return 0;
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : v) h = (h ^ c) * 1099511628211ULL;
  return h == 0 ? 1 : h;
}

}  // namespace

void Clusters::reserve(std::size_t n) {
  parent_.reserve(n);
  rule_.reserve(n);
  strong_.reserve(n * fields_);
}

void Clusters::add(const std::vector<std::string>& strong) {
  if (parent_.size() >= UINT32_MAX) throw std::length_error("more person records than linking can number");
  parent_.push_back(static_cast<std::uint32_t>(parent_.size()));
  rule_.push_back(0);
  for (std::size_t f = 0; f < fields_; ++f) strong_.push_back(f < strong.size() ? hash_value(strong[f]) : 0);
}

std::uint32_t Clusters::root(std::uint32_t node) {
  while (parent_[node] != node) node = parent_[node] = parent_[parent_[node]];
  return node;
}

bool Clusters::compatible(std::uint32_t a, std::uint32_t b) {
  const std::uint32_t ra = root(a), rb = root(b);
  if (ra == rb) return true;
  const std::uint64_t *x = ids(ra), *y = ids(rb);
  for (std::size_t f = 0; f < fields_; ++f)
    if (x[f] != 0 && y[f] != 0 && x[f] != y[f]) return false;
  return true;
}

void Clusters::join(std::uint32_t a, std::uint32_t b, std::uint8_t rule) {
  std::uint32_t ra = root(a), rb = root(b);
  if (ra == rb) return;
  if (rb < ra) std::swap(ra, rb);
  parent_[rb] = ra;
  std::uint64_t *x = ids(ra), *y = ids(rb);
  for (std::size_t f = 0; f < fields_; ++f)
    if (x[f] == 0) x[f] = y[f];
  for (std::uint32_t n : {a, b})
    if (rule_[n] == 0) rule_[n] = rule;
}

}  // namespace sendhub
