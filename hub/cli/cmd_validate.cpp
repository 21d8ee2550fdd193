#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "io/private_file.h"
#include "pipeline/exit_codes.h"
#include "pipeline/validation_report.h"

namespace sendhub::cli {

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
  std::ostringstream checked_format;
  write_report(ValidationReport{}, format, checked_format);  // a bad --format fails before any work

  ValidationReport report = validate_files(inv.args, options);
  if (inv.has("report")) {
    std::ostringstream out;
    write_report(report, format, out);
    io::write_file_atomic(inv.get("report"), out.str());
    std::cerr << "sendhub: " << report.count("error") << " errors, " << report.count("query") << " queries; report "
              << inv.get("report") << "\n";
  } else {
    write_report(report, format, std::cout);
  }
  return report.issues.empty() ? exit_code::ok : exit_code::data_problems;
}

}  // namespace sendhub::cli
