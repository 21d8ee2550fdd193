// alerts_book.h: the alerts of one run, every recipient's, kept out of memory until their
// digests are written. A national run's lead receives every case (2 million alerts at
// 1,000,000 children), so the book is a private temporary database (plugins/support/temp_db.h):
// the alerts go in as the walk finds them; the first of the same (recipient, alert key) counts, as a
// digest holds an alert once; a digest comes back one section at a time, most urgent first.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "alerts_due.h"
#include "temp_db.h"

namespace kpi {

// One recipient's digest as its message states it before the lines.
struct DigestHead {
  std::string recipient;     // an address, or "webhook"
  std::int64_t alerts = 0;   // the digest's alerts (each once, whatever its sections)
  std::int64_t cases = 0;    // distinct case references among them
};

class AlertBook {
 public:
  AlertBook();   // throws sendhub::Error (rule io) when the temporary database cannot be made

  // sections: a bit per section of the message the alert is listed in (alerts_message.h).
  void add(const std::string& to, const Alert& a, unsigned sections);
  // After the last add: every recipient's head, recipients in byte order.
  std::vector<DigestHead> heads();
  // One section of a recipient's digest, most urgent first (then by alert key).
  void each_in_section(const std::string& to, unsigned section_bit, const std::function<void(const Alert&)>& visit);
  // Every alert of a recipient's digest once, in no promised order.
  void each_of(const std::string& to, const std::function<void(const Alert&)>& visit);

 private:
  void seal();
  void each_where(const char* sql, const std::string& to, unsigned bits, const std::function<void(const Alert&)>& visit);
  plugin_support::TempDb db_;
  plugin_support::TempDb::Stmt insert_;
  std::int64_t seq_ = 0;
  bool sealed_ = false;
};

}  // namespace kpi
