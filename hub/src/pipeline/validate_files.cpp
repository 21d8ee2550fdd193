#include "pipeline/validate_files.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "config/connector_settings.h"
#include "io/private_file.h"
#include "pipeline/contexts.h"
#include "plugins/plugin_loader.h"
#include "records/record_check.h"

namespace sendhub {
namespace {

Issue from_error(const Error& e, const std::string& person = "") {
  return Issue{e.rule(), "error", e.where().file, e.where().line, e.where().path, e.field(), e.message(), person, "", ""};
}

// A SourceContext that validates instead of storing.
class ValidationContext final : public HostImpl<SourceContext> {
 public:
  ValidationContext(HostServices host, const RuleCatalogue& catalogue, const ElementNames& names,
                    const ValidateOptions& options, ValidationReport& report)
      : HostImpl(std::move(host)), catalogue_(catalogue), names_(names), options_(options), report_(report) {}

  bool begin_file(const std::string& file) override {
    io::require_regular_file(file);
    validator_.reset();
    return true;
  }
  bool begin_files(const std::vector<std::string>& files) override {
    for (const auto& f : files) io::require_regular_file(f);
    validator_.reset();
    return true;
  }
  void end_file() override {}
  void retire_file(const std::string&) override {}
  std::string state(std::string_view) const override { return ""; }
  void set_state(std::string_view, std::string) override {}

  bool write(std::vector<Record>& group, std::string_view) override {
    check(group);
    return true;
  }
  void quarantine(const Error& why, std::string_view) override {
    ++report_.records;
    report_.add(from_error(why));
  }
  void replaced() override {}   // validate reads files whole: no copy of a record supersedes another
  void unmapped(std::string_view field, std::string_view value) override {
    ++report_.unmapped[{std::string(field), std::string(value)}];
  }
  void query(const Error& what) override {
    Issue i = from_error(what);
    i.severity = "query";
    report_.add(std::move(i));
  }
  void quarantine(std::vector<Record>& group, const Error& why, std::string_view) override {
    report_.add(from_error(why, person_of(group)));
    check(group);
  }

 private:
  static std::string person_of(const std::vector<Record>& group) {
    for (const auto& r : group)
      if (r.kind() == RecordKind::person) return r.get("person_ref");
    return "";
  }

  void check(const std::vector<Record>& group) {
    report_.records += static_cast<std::int64_t>(group.size());
    for (const auto& r : group) {
      try {
        check_record(r);
      } catch (const Error& e) {
        report_.add(from_error(e, person_of(group)));
      }
    }
    if (!group.empty() && group.front().kind() == RecordKind::la_return) start(group.front());
    if (!validator_) return;
    validator_->check(group, found_);
    for (auto& i : found_) report_.add(std::move(i));
    found_.clear();
  }

  // The header says which year's rules apply, unless --year said so.
  void start(const Record& header) {
    int year = options_.year ? options_.year : std::atoi(header.get("year").c_str());
    if (!catalogue_.has_year(year)) {
      report_.add(Issue{"rules.year", "error", header.origin.file, header.line_of("year"),
                                     header.origin.path, "Year",
                                     "no rules for return year " + std::to_string(year), "", "", ""});
      return;
    }
    report_.year = year;
    validator_.emplace(catalogue_, names_, year, year_facts(host_.schemas_dir, year, options_.la_code));
  }

  const RuleCatalogue& catalogue_;
  const ElementNames& names_;
  const ValidateOptions& options_;
  ValidationReport& report_;
  std::optional<Validator> validator_;
  std::vector<Issue> found_;   // one group's, on their way to the report
};

}  // namespace

void ValidationReport::add(Issue issue) {
  (issue.severity == "query" ? queries : errors) += 1;
  if (sink) return sink->add(issue);
  issues.push_back(std::move(issue));
}

struct FileValidator::Loaded {
  explicit Loaded(const ValidateOptions& o)
      : scan(load_plugins(o.plugins_dir)), catalogue(o.schemas_dir), names(o.schemas_dir) {}
  PluginScan scan;
  RuleCatalogue catalogue;
  ElementNames names;
};

FileValidator::FileValidator(ValidateOptions options)
    : options_(std::move(options)), loaded_(std::make_unique<Loaded>(options_)) {
  const std::string name = options_.profile.empty() ? "sen2_xml" : "cms_csv";
  source_ = loaded_->scan.find(name);
  if (!source_ || !source_->info.make_source)
    throw ConfigError(Where{options_.plugins_dir, 0, ""}, "", "plugins", "no " + name + " source connector found");
}

FileValidator::~FileValidator() = default;

ValidationReport FileValidator::validate(const std::vector<std::string>& files, IssueSink* sink) const {
  ValidationReport report;
  report.sink = sink;
  HubConfig hub;
  hub.file = "command line";
  hub.dir = ".";
  for (const auto& file : files) {
    auto obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    obj->set("name", "validate");
    obj->set("connector", source_->info.name);
    obj->set("path", file);
    if (options_.year) obj->set("year", options_.year);
    if (!options_.profile.empty()) obj->set("profile", options_.profile);
    ConnectorConfig config{"validate", source_->info.name, "validate", obj};
    HostServices host{"validate", make_settings(hub, config, source_->info.source_keys), options_.schemas_dir,
                      options_.la_code};
    ValidationContext ctx(std::move(host), loaded_->catalogue, loaded_->names, options_, report);
    auto reader = source_->info.make_source();
    try {
      reader->check(ctx.settings());
    } catch (const Error& e) {  // a bad profile is a usage mistake (exit 2), not a data problem
      throw ConfigError(e.where(), e.field().empty() ? "--profile" : e.field(), e.rule(), e.message());
    }
    try {
      reader->read(ctx);
    } catch (const Error& e) {
      report.add(from_error(e));
    }
    report.files.push_back(file);
  }
  report.sink = nullptr;
  return report;
}

ValidationReport validate_files(const std::vector<std::string>& files, const ValidateOptions& options) {
  return FileValidator(options).validate(files);
}

}  // namespace sendhub
