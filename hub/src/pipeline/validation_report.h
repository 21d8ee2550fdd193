// pipeline/validation_report.h: the validation report of interfaces.md §6 as text, json,
// csv or a self-contained html page a caseworker can sort and filter. Issues carry rule,
// place and field, never a value, so reports hold no personal data beyond record refs.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "pipeline/validate_files.h"

namespace sendhub {

// Writes a report as its issues arrive, so a return of any size and its issues are
// reported in flat memory: add() each issue as validation finds it, then end() with the
// totals. Text and csv go straight out. Json and html open with the totals, so their
// issues wait in an unnamed temporary file (0600, gone when closed) until end().
class ReportWriter : public IssueSink {
 public:
  // Throws ConfigError for an unknown format.
  static std::unique_ptr<ReportWriter> make(const std::string& format, std::ostream& out);
  virtual void end(const ValidationReport& totals) = 0;
};

// A report whose issues are all in hand (`report.issues`).
void write_report(const ValidationReport& report, const std::string& format, std::ostream& out);

}  // namespace sendhub
