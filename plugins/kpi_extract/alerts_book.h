// alerts_book.h: the alerts of one run, every recipient's, until their digests are written. A
// council's book is held in memory; past a budget (the sink's memory_mb) it moves to a private
// temporary database (plugins/support/temp_db.h), since a national run's lead receives every case
// (2 million alerts at 1,000,000 children). Either way the first of the same (recipient, alert key)
// counts, as a digest holds an alert once, and a digest comes back one section at a time, most
// urgent first, in the same order: the two are one book (tests/plugins/alerts_test.cpp runs both).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "alert.h"
#include "slot_index.h"
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
  // memory_bytes: what the book may hold before it moves to a temporary file (0: from the
  // start). Throws sendhub::Error (rule io) when that file cannot be made.
  explicit AlertBook(std::size_t memory_bytes);
  ~AlertBook();
  AlertBook(const AlertBook&) = delete;
  AlertBook& operator=(const AlertBook&) = delete;

  // sections: a bit per section of the message the alert is listed in (alerts_message.h).
  void add(const std::string& to, const Alert& a, unsigned sections);
  // After the last add: every recipient's head, recipients in byte order.
  std::vector<DigestHead> heads();
  // One section of a recipient's digest, most urgent first (then by alert key).
  void each_in_section(const std::string& to, unsigned section_bit, const std::function<void(const Alert&)>& visit);
  // Every alert of a recipient's digest once, in no promised order.
  void each_of(const std::string& to, const std::function<void(const Alert&)>& visit);
  // Whether the book moved to its temporary file (for the tests).
  bool in_file() const { return file_ != nullptr; }

 private:
  struct Entry {
    std::string recipient, key, case_ref;
    long days_left = 0;
    unsigned sections = 0;
    std::string row;   // Alert::serialise, as the file keeps it
  };
  // An entry held in memory: its recipient by number (a digest's recipients are few, its
  // alerts up to millions), its key, case reference and line in one string (three strings were
  // up to three allocations an alert, made and freed again).
  struct Held {
    std::uint32_t to = 0;   // into recipients_
    std::uint32_t key_size = 0, case_size = 0;
    long days_left = 0;
    unsigned sections = 0;
    std::string text;   // key, case reference, line
    std::string_view key() const { return std::string_view(text).substr(0, key_size); }
    std::string_view case_ref() const { return std::string_view(text).substr(key_size, case_size); }
    std::string_view row() const { return std::string_view(text).substr(key_size + case_size); }
  };
  class File;
  void seal();
  std::vector<std::uint32_t> sort_recipients();
  void move_to_file();
  // The held entries of one recipient (sealed: in digest order).
  std::pair<std::size_t, std::size_t> range_of(const std::string& to) const;
  std::vector<std::string> recipients_;   // sealed: in byte order
  std::unordered_map<std::string, std::uint32_t> recipient_ids_;   // until sealed
  // A deque: a night's 204,555 entries grew a vector by doubling, each time moving every entry
  // into fresh pages (a tenth of the alerts sink, most of it the kernel clearing those pages).
  std::deque<Held> held_;
  // The held entries by (recipient, key), so a later same alert is never held: the first
  // counts, as in the file, and sealing sorts only what a digest lists.
  plugin_support::SlotIndex first_;
  std::size_t held_bytes_ = 0, budget_ = 0;
  std::unique_ptr<File> file_;
  bool sealed_ = false;
};

}  // namespace kpi
