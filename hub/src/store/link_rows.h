// store/link_rows.h: the link scratch's loops over its ordered rows, one for both backends
// (sqlite::Stmt and pg::Cursor step and give columns alike), so that the two scratches differ
// only in their SQL.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sendhub/records.h"
#include "store/link_scratch.h"

namespace sendhub::link_rows {

// Rows (idx, tie, key) in key order: each run of two or more records with one key.
template <typename Rows>
void buckets(Rows& s, const std::function<void(std::vector<std::pair<std::uint32_t, std::string>>&)>& visit) {
  std::vector<std::pair<std::uint32_t, std::string>> run;
  std::string key;
  auto flush = [&] {
    if (run.size() > 1) visit(run);   // a record alone matches nobody
    run.clear();
  };
  while (s.step()) {
    if (s.text(2) != key) flush(), key = s.text(2);
    run.emplace_back(static_cast<std::uint32_t>(s.integer(0)), s.text(1));
  }
  flush();
}

// Rows (person_key, source, request_ref, received_date, plan_start) in person_key order: each
// person's requests together. Unlinked requests (key "") are each their own case: one at a time.
template <typename Rows>
void case_requests(Rows& s, const std::function<void(const std::string&, std::vector<CaseRequest>&)>& visit) {
  std::vector<CaseRequest> group;
  std::string key;
  auto flush = [&] {
    if (!group.empty()) visit(key, group);
    group.clear();
  };
  while (s.step()) {
    if (s.text(0) != key || key.empty()) flush(), key = s.text(0);
    group.push_back({s.text(1), s.text(2), s.text(3), s.text(4)});
  }
  flush();
}

// The advice record a cluster gets, from columns (source, advice_ref, return_year, nhs) at `at`.
template <typename Rows>
Record linked_advice(const Rows& s, int at) {
  Record a(RecordKind::advice);
  a.source = s.text(at);
  a.set("advice_ref", s.text(at + 1)).set("nhs_number", s.text(at + 3));
  a.return_year = static_cast<int>(s.integer(at + 2));
  return a;
}

}  // namespace sendhub::link_rows
