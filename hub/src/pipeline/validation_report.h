// pipeline/validation_report.h: the validation report of interfaces.md §6 as text, json,
// csv or a self-contained html page a caseworker can sort and filter. Issues carry rule,
// place and field, never a value, so reports hold no personal data beyond record refs.
#pragma once

#include <ostream>
#include <string>

#include "pipeline/validate_files.h"

namespace sendhub {

// Throws ConfigError for an unknown format.
void write_report(const ValidationReport& report, const std::string& format, std::ostream& out);

}  // namespace sendhub
