// cli/main.cpp: the sendhub command. Poco::Util::Application parses the options; the
// first plain argument names the subcommand (cli/commands.cpp).
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <sys/stat.h>

#include <iostream>

#include "cli/commands.h"
#include "pipeline/exit_codes.h"
#include "pipeline/log.h"

namespace sendhub::cli {
namespace {

using Poco::Util::Option;

class SendhubApp final : public Poco::Util::Application {
 public:
  SendhubApp() { setUnixOptions(true); }

 protected:
  void defineOptions(Poco::Util::OptionSet& set) override {
    auto flag = [&](const char* name, const char* help) {
      set.addOption(Option(name, "", help).required(false).repeatable(false));
    };
    auto valued = [&](const char* name, const char* arg, const char* help) {
      set.addOption(Option(name, "", help).required(false).repeatable(false).argument(arg));
    };
    flag("help", "show help (also: sendhub COMMAND --help)");
    flag("version", "show the version");
    flag("verbose", "print debug lines");
    flag("json", "machine-readable output");
    valued("config", "FILE", "hub configuration (default sendhub.json or $SENDHUB_CONFIG)");
    valued("db", "FILE", "store file (default: the configuration's store)");
    valued("as-at", "DATE", "report as at this date (YYYY-MM-DD; default today)");
    valued("year", "YYYY", "SEN2 return year");
    valued("out", "FILE", "output file");
    valued("plugins-dir", "DIR", "folder of connector libraries");
    valued("format", "FORMAT", "report format: text, json, csv or html");
    valued("report", "FILE", "write the report to FILE (0600) instead of standard output");
    flag("force", "export even when the return has validation errors");
    valued("profile", "FILE", "CSV mapping profile (validate case-management exports)");
    valued("kind", "KIND", "a record kind (fields)");
    valued("from", "DATE", "period start (YYYY-MM-DD)");
    valued("to", "DATE", "period end (YYYY-MM-DD)");
    flag("show-personal", "explain: show personal values (only at a terminal)");
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
      if (inv_.has("help")) {
        std::cout << "usage: sendhub " << c.usage << "\n  " << c.summary << "\n";
        return exit_code::ok;
      }
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
