#include "sheet.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <tuple>

#include "text.h"

namespace kpi {
namespace {

std::size_t hash_of(std::string_view measure, std::string_view breakdown, std::string_view value) {
  const std::hash<std::string_view> h;
  constexpr std::size_t kMix = 0x9E3779B97F4A7C15ULL;
  return ((h(measure) * kMix ^ h(breakdown)) * kMix) ^ h(value);
}

}  // namespace

std::string Row::value() const {
  if (!denominator) return std::to_string(numerator);
  if (*denominator == 0) return "";
  return plugin_support::fixed(
      std::round(10.0 * scale * static_cast<double>(numerator) / static_cast<double>(*denominator)) / 10.0, 1);
}

std::int64_t Sheet::find(std::string_view measure, std::string_view breakdown, std::string_view value,
                         std::size_t hash) const {
  return index_.find(hash, [&](std::uint32_t at) {
    const Row& r = rows_[at];
    return r.measure == measure && r.breakdown == breakdown && r.breakdown_value == value;
  });
}

Row& Sheet::row(std::string_view measure, std::string_view breakdown, std::string_view value, bool is_rate) {
  const std::size_t hash = hash_of(measure, breakdown, value);
  const std::int64_t found = find(measure, breakdown, value, hash);
  if (found >= 0) return rows_[static_cast<std::size_t>(found)];
  Row r{std::string(measure), std::string(breakdown), std::string(value), 0, std::nullopt};
  if (is_rate) r.denominator = 0;
  index_.add(hash, static_cast<std::uint32_t>(rows_.size()));
  rows_.push_back(std::move(r));
  return rows_.back();
}

void Sheet::ensure(std::string_view measure, bool is_rate) { row(measure, "", "", is_rate); }

void Sheet::fill(std::string_view measure, std::string_view breakdown, const std::vector<std::string>& values) {
  const std::int64_t total = find(measure, "", "", hash_of(measure, "", ""));
  if (total < 0) return;   // a measure left out (no population file)
  const bool is_rate = rows_[static_cast<std::size_t>(total)].denominator.has_value();
  for (const auto& v : values) row(measure, breakdown, v, is_rate);
}

void Sheet::set(std::string_view measure, long numerator, long denominator) {
  set_by(measure, "", "", numerator, denominator, 100);
}

void Sheet::set_by(std::string_view measure, std::string_view breakdown, std::string_view value, long numerator,
                   long denominator, int scale) {
  Row& r = row(measure, breakdown, value, true);
  r.numerator = numerator;
  r.denominator = denominator;
  r.scale = scale;
}

void Sheet::count(std::string_view measure, long n) { row(measure, "", "", false).numerator += n; }

void Sheet::count_by(std::string_view measure, std::string_view breakdown, std::string_view value, long n) {
  row(measure, breakdown, value, false).numerator += n;
}

void Sheet::rate(std::string_view measure, std::string_view breakdown, std::string_view value, bool in_time) {
  Row& r = row(measure, breakdown, value, true);
  *r.denominator += 1;
  r.numerator += in_time ? 1 : 0;
}

std::vector<Row> Sheet::rows(const std::vector<std::string>& order) const {
  std::vector<Row> out = rows_;
  auto pos = [&](const std::string& measure) {
    std::string base = measure.rfind("excluded_", 0) == 0 ? measure.substr(9) : measure;
    auto it = std::find(order.begin(), order.end(), base);
    return std::make_pair(static_cast<long>(it - order.begin()), measure != base);
  };
  // Age bands in age order; other breakdown values as text.
  auto value_key = [](const Row& r) {
    static const std::vector<std::string> kBands = {"0-4", "5-10", "11-15", "16-19", "20-25"};
    auto band = std::find(kBands.begin(), kBands.end(), r.breakdown_value);
    return r.breakdown == "age_band" && band != kBands.end() ? std::string(1, static_cast<char>('0' + (band - kBands.begin())))
                                                             : r.breakdown_value;
  };
  std::stable_sort(out.begin(), out.end(), [&](const Row& a, const Row& b) {
    return std::make_tuple(pos(a.measure), a.breakdown, value_key(a)) < std::make_tuple(pos(b.measure), b.breakdown, value_key(b));
  });
  return out;
}

}  // namespace kpi
