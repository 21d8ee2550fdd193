#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "io/output_stream.h"
#include "io/private_file.h"
#include "pipeline/exit_codes.h"
#include "pipeline/validation_report.h"

namespace sendhub::cli {
namespace {

// Validates the files with the report written as the issues are found: memory stays
// flat however many there are. Returns the totals.
ValidationReport validate_into(const Invocation& inv, const ValidateOptions& options, const std::string& format,
                               std::ostream& out) {
  auto writer = ReportWriter::make(format, out);   // a bad --format fails before any work
  const FileValidator validator(options);
  ValidationReport totals = validator.validate(inv.args, writer.get());
  writer->end(totals);
  out.flush();
  return totals;
}

}  // namespace

int cmd_validate(const Invocation& inv) {
  if (inv.args.empty()) throw ConfigError(Where{}, "", "usage", "usage: sendhub validate FILE... [--year YYYY | --profile FILE] [--format F] [--report FILE]");
  ValidateOptions options;
  if (config_named(inv)) {
    HubConfig cfg = config_for(inv);
    options = {cfg.plugins_dir, cfg.schemas_dir, cfg.la_code, 0, ""};
  } else {
    options = {plugins_dir_for(inv), default_schemas_dir(), "", 0, ""};
  }
  options.year = year_option(inv, false);
  if (inv.has("profile")) options.profile = std::filesystem::absolute(inv.get("profile")).string();
  const std::string format = inv.get("format", "text");

  ValidationReport totals;
  if (inv.has("report")) {   // written under a temporary name, and in place only when whole
    auto file = io::create_output(inv.get("report"));
    io::OutputStream out(*file);
    totals = validate_into(inv, options, format, out);
    file->commit();
    std::cerr << "sendhub: " << totals.errors << " errors, " << totals.queries << " queries; report "
              << inv.get("report") << "\n";
  } else {
    totals = validate_into(inv, options, format, std::cout);
  }
  return totals.errors + totals.queries == 0 ? exit_code::ok : exit_code::data_problems;
}

}  // namespace sendhub::cli
