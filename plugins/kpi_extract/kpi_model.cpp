#include "kpi_model.h"

#include <algorithm>

#include "case_fields.h"

namespace kpi {

using sendhub::RecordKind;

namespace {

using namespace case_fields;   // the fields every snapshot asks of every case

const std::string& primary_need_of(const Case& c) {
  static const std::string kUnknown = "UNKNOWN";
  for (const Record* n : c.needs)
    if (kRank.of(*n) == "1" && !kSenType.of(*n).empty()) return kSenType.of(*n);
  return kUnknown;
}

}  // namespace

Model::Model(const sendhub::HostContext& ctx, const sendhub::PersonGroup& group) : ctx_(ctx) {
  const Record* person = nullptr;
  std::map<std::string, std::size_t> by_case;   // case_key -> index
  for (const auto& r : group.records)
    if (r.kind() == RecordKind::person) person = &r;
    else if (r.kind() == RecordKind::request) {
      Case c;
      c.request = &r;
      c.person = person;
      by_case[r.case_key] = cases_.size();
      index_[r.get("request_ref")] = cases_.size();
      cases_.push_back(std::move(c));
    }
  for (const auto& r : group.records) {
    if (r.kind() == RecordKind::advice) advice_.push_back(&r);
    auto it = by_case.find(r.case_key);
    if (it == by_case.end() || r.case_key.empty()) continue;
    Case& c = cases_[it->second];
    switch (r.kind()) {
      case RecordKind::assessment: c.assessment = &r; break;
      case RecordKind::plan: c.plan = &r; break;
      case RecordKind::review: c.reviews.push_back(&r); break;
      case RecordKind::placement: c.placements.push_back(&r); break;
      case RecordKind::need: c.needs.push_back(&r); break;
      case RecordKind::advice: c.advice.push_back(&r); break;
      default: break;
    }
  }
  for (auto& c : cases_) {
    std::stable_sort(c.reviews.begin(), c.reviews.end(), [](const Record* a, const Record* b) {
      return kMeeting.of(*a) < kMeeting.of(*b);
    });
    c.primary_need_ = &primary_need_of(c);
    c.historical_ = (c.request && kRequestOutcome.of(*c.request) == "H") ||
                    (c.assessment && kAssessmentOutcome.of(*c.assessment) == "H");
  }
}

const Case* Model::case_of(const std::string& request_ref) const {
  auto it = index_.find(request_ref);
  return it == index_.end() ? nullptr : &cases_[it->second];
}

std::optional<long> Model::elapsed(const std::string& from, const std::string& to) const {
  auto a = day(from), b = day(to);
  if (!a || !b || *b < *a) return std::nullopt;  // missing or out of order: excluded
  return *b - *a;
}

std::string Model::plus_days(const std::string& iso, long days) const {
  auto d = day(iso);
  return d ? ctx_.from_day_number(*d + days) : "";
}

std::string Model::year_after(const std::string& iso) const {
  for (const auto& [from, to] : year_after_)
    if (from == iso) return to;
  year_after_.emplace_back(iso, ctx_.add_months(iso, 12));
  return year_after_.back().second;
}

std::optional<int> Model::age(const std::string& birth, const std::string& at) const {
  if (!day(birth) || !day(at)) return std::nullopt;   // both YYYY-MM-DD from here on
  const auto year = [](const std::string& iso) {
    return ((iso[0] - '0') * 1000) + ((iso[1] - '0') * 100) + ((iso[2] - '0') * 10) + (iso[3] - '0');
  };
  int years = year(at) - year(birth);
  if (at.compare(5, std::string::npos, birth, 5, std::string::npos) < 0) --years;
  return years;
}

// measures.md §1: start_date <= D and no cease_date <= D.
bool Model::active_at(const Case& c, const std::string& d) const {
  if (!c.plan || kStart.of(*c.plan).empty() || kStart.of(*c.plan) > d) return false;
  const std::string& cease = kCease.of(*c.plan);
  return cease.empty() || cease > d;
}

const Record* latest_review_by(const Case& c, const std::string& d) {
  const Record* out = nullptr;
  for (const Record* r : c.reviews)
    if (!kMeeting.of(*r).empty() && kMeeting.of(*r) <= d) out = r;
  return out;
}

bool has_review_by(const Case& c, const std::string& d) { return latest_review_by(c, d) != nullptr; }

bool reviewed_after(const Case& c, const std::string& d) {
  return !has_review_by(c, d) && std::any_of(c.reviews.begin(), c.reviews.end(), [&](const Record* r) {
           return kMeeting.of(*r) > d;
         });
}

std::string age_band(int age) {
  if (age <= 4) return "0-4";
  if (age <= 10) return "5-10";
  if (age <= 15) return "11-15";
  if (age <= 19) return "16-19";
  return "20-25";
}

std::optional<ReviewDue> review_due(const Model& m, const Case& c, const std::string& d) {
  if (reviewed_after(c, d)) return std::nullopt;
  ReviewDue r;
  r.last = has_review_by(c, d) ? kMeeting.of(*latest_review_by(c, d)) : kStart.of(*c.plan);
  r.due = m.year_after(r.last);
  return r;
}

}  // namespace kpi
