// cli/main.cpp: the sendhub command. Poco::Util::Application parses the options; the
// first plain argument names the subcommand (cli/commands.cpp).
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <sys/stat.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "pipeline/exit_codes.h"
#include "pipeline/log.h"

namespace sendhub::cli {
namespace {

using Poco::Util::Option;

// Every option sendhub takes, once: the parser and each command's --help read this table.
struct OptionSpec {
  const char* name;
  const char* argument;   // nullptr: a flag
  const char* help;
  const char* fallback;   // the default, "" when there is none
};

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> kOptions = {
      {"help", nullptr, "show help (also: sendhub COMMAND --help)", ""},
      {"version", nullptr, "show the version", ""},
      {"verbose", nullptr, "print debug lines", "off"},
      {"json", nullptr, "machine-readable output", "text"},
      {"config", "FILE", "hub configuration", "sendhub.json, or $SENDHUB_CONFIG"},
      {"db", "FILE", "store file", "the configuration's store"},
      {"as-at", "DATE", "report as at this date, YYYY-MM-DD", "today"},
      {"year", "YYYY", "SEN2 return year", ""},
      {"out", "FILE", "output file or folder", "per command: ./sen2-YYYY.xml, ./kpis"},
      {"plugins-dir", "DIR", "folder of connector libraries", "the configuration's, else this build's"},
      {"format", "FORMAT", "report format: text, json, csv or html", "text"},
      {"report", "FILE", "write the report to FILE (0600) instead of standard output", "standard output"},
      {"force", nullptr, "export even when the return has validation errors", "off"},
      {"profile", "FILE", "CSV mapping profile (validate case-management exports)", ""},
      {"kind", "KIND", "a record kind (fields)", "every kind"},
      {"from", "DATE", "period start, YYYY-MM-DD", ""},
      {"to", "DATE", "period end, YYYY-MM-DD", ""},
      {"record", "KIND", "profile suggest: the record kind of the file", "guessed from the headers"},
      {"rekey", nullptr, "run: accept a changed salt that re-keys every person", "refused"},
      {"show-personal", nullptr, "explain: show personal values (only at a terminal)", "masked"},
      {"history", "FILE", "kpis: write every kept KPI snapshot as one long CSV to FILE (0600) and stop", ""},
      {"pool", nullptr, "kpis: every council's and the regional pool's KPIs, computed on the pool's server (a pool reader)", "off"},
      {"snapshots", "KIND", "kpis: back-fill history with month_end or quarter_end snapshots of the two years before", "none"},
  };
  return kOptions;
}

class SendhubApp final : public Poco::Util::Application {
 public:
  SendhubApp() { setUnixOptions(true); }

 protected:
  void defineOptions(Poco::Util::OptionSet& set) override {
    for (const auto& o : option_table()) {
      Option option(o.name, "", o.help);
      option.required(false).repeatable(false);
      if (o.argument) option.argument(o.argument);
      set.addOption(option);
    }
  }

  void handleOption(const std::string& name, const std::string& value) override {
    Application::handleOption(name, value);
    inv_.options[name] = value;
  }

  int main(const std::vector<std::string>& args) override {
    if (inv_.has("version")) {
      std::cout << "sendhub " << SENDHUB_VERSION << "\n";
      return exit_code::ok;
    }
    set_log_verbose(inv_.has("verbose"));
    if (args.empty()) return usage(inv_.has("help") ? exit_code::ok : exit_code::usage);
    for (const auto& c : commands()) {
      if (c.name != args[0]) continue;
      if (inv_.has("help")) return command_help(c);
      for (const auto& [opt, value] : inv_.options)
        if (!c.options.count(opt) && opt != "verbose") {
          std::cerr << "sendhub: option --" << opt << " does not apply to '" << c.name << "'\n";
          return exit_code::usage;
        }
      inv_.args.assign(args.begin() + 1, args.end());
      return guarded(c);
    }
    std::cerr << "sendhub: unknown command '" << args[0] << "' (see sendhub --help)\n";
    return exit_code::usage;
  }

 private:
  // Poco's Application::run swallows exceptions into a log line; errors must instead
  // become the exit codes of interfaces.md §1.
  int guarded(const Command& c) {
    try {
      return c.fn(inv_);
    } catch (const ConfigError& e) {
      std::cerr << "sendhub: " << e.describe() << "\n";
      return exit_code::usage;
    } catch (const Error& e) {
      std::cerr << "sendhub: " << e.describe() << "\n";
      return exit_code::failed;
    } catch (const Poco::Exception& e) {
      std::cerr << "sendhub: internal error (a bug, please report it): " << e.displayText() << "\n";
    } catch (const std::exception& e) {
      std::cerr << "sendhub: internal error (a bug, please report it): " << e.what() << "\n";
    }
    return exit_code::internal;
  }

  // One command's help, from the one option table: every option it takes, with its default.
  static int command_help(const Command& c) {
    std::cout << "usage: sendhub " << c.usage << "\n  " << c.summary << "\n\noptions:\n";
    for (const auto& o : option_table()) {
      if (!c.options.count(o.name) && std::string(o.name) != "verbose" && std::string(o.name) != "help") continue;
      std::string left = std::string("  --") + o.name + (o.argument ? std::string(" ") + o.argument : "");
      left.resize(std::max<std::size_t>(left.size() + 2, 22), ' ');
      std::cout << left << o.help << (o.fallback[0] ? std::string(" (default: ") + o.fallback + ")" : "") << "\n";
    }
    return exit_code::ok;
  }

  int usage(int code) const {
    std::ostream& out = code == exit_code::ok ? std::cout : std::cerr;
    out << "usage: sendhub COMMAND [options]\n\ncommands:\n";
    for (const auto& c : commands()) out << "  " << c.usage << "\n      " << c.summary << "\n";
    out << "\nexit codes: 0 ok, 1 data problems, 2 usage or configuration, 3 a source or sink "
           "failed, 4 store locked, 70 internal error\n";
    return code;
  }

  Invocation inv_;
};

}  // namespace
}  // namespace sendhub::cli

int main(int argc, char** argv) {
  ::umask(077);  // everything sendhub creates holds children's data: 0600 files, 0700 folders
  using namespace sendhub;
  cli::SendhubApp app;
  try {
    app.init(argc, argv);
  } catch (const Poco::Exception& e) {
    std::cerr << "sendhub: " << e.displayText() << " (see sendhub --help)\n";
    return exit_code::usage;
  }
  return app.run();
}
