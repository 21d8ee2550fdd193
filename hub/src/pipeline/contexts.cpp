#include "pipeline/contexts.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "io/private_file.h"
#include "pipeline/bindings.h"
#include "rules/return_years.h"
#include "rules/validator.h"
#include "pipeline/fingerprint.h"
#include "pipeline/input_archive.h"
#include "pipeline/resolved_dataset.h"
#include "pipeline/log.h"
#include "records/record_check.h"
#include "text/dates.h"
#include "text/identifiers.h"

namespace sendhub {
namespace {
// Beyond this many, quarantined records of one source are counted, not each printed.
constexpr std::int64_t kReportLimit = 20;
}

HostServices host_services(const HubConfig& cfg, Binding& b) {
  return HostServices{b.config->name, std::move(b.settings), cfg.schemas_dir, cfg.la_code};
}

template <class Base>
void HostImpl<Base>::log(LogLevel level, std::string_view message) {
  log_line(level, host_.name, message);
}

template <class Base>
std::optional<std::string> HostImpl<Base>::parse_date(std::string_view text,
                                                      const std::vector<std::string>& formats) const {
  auto d = text::parse_any(text, formats);
  if (!d) return std::nullopt;
  return text::to_iso(*d);
}

template <class Base>
std::string HostImpl<Base>::identifier_problem(std::string_view algorithm, std::string_view value) const {
  return text::identifier_problem(algorithm, value);
}

template <class Base>
std::optional<long> HostImpl<Base>::day_number(std::string_view iso_date) const {
  auto d = text::parse_iso(iso_date);
  if (!d) return std::nullopt;
  return text::to_days(*d);
}

template <class Base>
std::string HostImpl<Base>::from_day_number(long day) const {
  return text::to_iso(text::from_days(day));
}

template <class Base>
std::string HostImpl<Base>::add_months(std::string_view iso_date, int months) const {
  auto d = text::parse_iso(iso_date);
  return d ? text::to_iso(text::add_months(*d, months)) : "";
}

template <class Base>
std::string HostImpl<Base>::census_day(int year) const {
  return sendhub::census_day(host_.schemas_dir, year);
}

template <class Base>
ReturnYear HostImpl<Base>::return_year(int year) const {
  ReturnYear out;
  out.year = year;
  out.reference_date = sendhub::census_day(host_.schemas_dir, year);
  if (auto y = sendhub::return_year(host_.schemas_dir, year)) {
    out.period_start = y->period_start;
    out.period_end = y->period_end;
    out.deadline = y->deadline;
  }
  return out;
}

template class HostImpl<SourceContext>;
template class HostImpl<SinkContext>;

SourceContextImpl::SourceContextImpl(HostServices host, Store& store, std::int64_t run, std::string archive_dir,
                                     const CodeCheck* codes, std::string config_mark)
    : HostImpl(std::move(host)), store_(store), run_(run), archive_dir_(std::move(archive_dir)), codes_(codes),
      config_mark_(std::move(config_mark)) {}

bool SourceContextImpl::begin_files(const std::vector<std::string>& files) {
  if (files.empty()) throw Error(Where{}, "", "source.files", "no file to read");
  std::string hashes;
  std::int64_t size = 0;
  for (const auto& f : files) {   // every part is hashed before any is read; copied beside the reading
    io::require_regular_file(f);
    // A file whose stat is what it was when last hashed is not read again to be hashed.
    const std::string stat = input_stat(f);
    InputFile input = archive_input(f, archive_dir_, store_.known_input(host_.name, f, stat), &archive_copies_);
    if (input_stat(f) != stat) input.stat.clear();   // it changed while read: hash it next time
    else input.stat = stat;
    store_.note_input(host_.name, input, run_);
    hashes += input.sha256 + " ";
    size += input.size;
  }
  const std::string& file = files.front();
  // Read whole before, and neither the files nor the source's configuration (nor this build)
  // changed since: its records stand as they are, and what it quarantined is quarantined again.
  const std::string mark = config_mark_.empty() ? "" : hashes + config_mark_;
  if (!mark.empty() && stands(files, mark)) {
    counts_.files_skipped += static_cast<std::int64_t>(files.size());
    log(LogLevel::debug, file + (files.size() > 1 ? " and the files read with it" : "") +
                             ": unchanged since last read whole; not read again");
    return false;
  }
  file_ = file;
  files_ = files;
  file_mark_ = mark;
  file_quarantined_ = counts_.quarantined;
  file_size_ = size;
  file_bytes_ = 0;
  file_started_ = std::chrono::steady_clock::now();
  store_.begin_file(host_.name, file);
  return true;
}

// The read mark of a file read whole: its mark, and what it quarantined (how many, in which run).
std::string SourceContextImpl::read_mark(const std::string& mark, std::int64_t quarantined) const {
  if (mark.empty() || quarantined == 0) return mark;
  return mark + "\nquarantined " + std::to_string(quarantined) + " in run " + std::to_string(run_);
}

// Whether the files stand as last read whole under this mark. A file with quarantined records
// is not read again either (issue 30: a census with a few bad rows was most of an unchanged
// rerun): its records are quarantined again from the store, reported and counted (read and
// quarantined, the exit code with them) as a reading would, until it is fixed. When they are
// no longer all in the store (retention), the file is read again.
bool SourceContextImpl::stands(const std::vector<std::string>& files, const std::string& mark) {
  const std::string kept = store_.read_mark(host_.name, files.front());
  if (kept == mark) return true;
  const std::string head = mark + "\nquarantined ";
  if (kept.compare(0, head.size(), head) != 0) return false;
  long long quarantined = 0, run = 0;
  if (std::sscanf(kept.c_str() + head.size(), "%lld in run %lld", &quarantined, &run) != 2) return false;
  if (!store_.carry_quarantine(host_.name, files, run, run_, quarantined, [&](const Error& why) { report(why); }))
    return false;
  counts_.read += quarantined;
  counts_.quarantined += quarantined;
  store_.set_read_mark(host_.name, files.front(), read_mark(mark, quarantined));
  return true;
}

void SourceContextImpl::end_file() {
  counts_.removed += store_.end_file(host_.name, files_);
  store_.set_read_mark(host_.name, file_, read_mark(file_mark_, counts_.quarantined - file_quarantined_));
  file_.clear();
  files_.clear();
}

void SourceContextImpl::retire_file(const std::string& file) {
  counts_.removed += store_.remove_file(host_.name, file);
}

// Progress on a terminal only (cron logs stay clean): records read and the rate, each
// second, and how far through the file with an ETA (the raw text of what was read, against
// the file's size).
void SourceContextImpl::progress() {
  static const bool terminal = ::isatty(STDERR_FILENO) != 0;
  if (!terminal) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - shown_ < std::chrono::seconds(1)) return;
  shown_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double file_seconds = std::chrono::duration<double>(now - file_started_).count();
  std::string where;
  if (file_size_ > 0 && file_bytes_ > 0) {
    const double done = std::min(1.0, static_cast<double>(file_bytes_) / static_cast<double>(file_size_));
    char text[64];
    std::snprintf(text, sizeof text, ", %.0f%% of the file, ETA %.0f s", 100 * done,
                  done > 0 ? file_seconds * (1 - done) / done : 0.0);
    where = text;
  }
  std::fprintf(stderr, "\rsendhub: %s: %lld records read (%.0f/s)%s\033[K", host_.name.c_str(),
               static_cast<long long>(counts_.read), static_cast<double>(counts_.read) / seconds, where.c_str());
  showing_ = true;
}

SourceContextImpl::~SourceContextImpl() {
  if (showing_) std::fprintf(stderr, "\r\033[K");
}

bool SourceContextImpl::write(std::vector<Record>& group, std::string_view raw) {
  file_bytes_ += static_cast<std::int64_t>(raw.size()) + 1;
  progress();
  counts_.read += static_cast<std::int64_t>(group.size());
  // Of files read as one, the one read first gives a key (the connector reads the latest
  // first); a later file's copy is replaced by it, not a duplicate.
  given_by_other_.assign(group.size(), 0);   // a member: no allocation per row
  try {
    for (auto& r : group) {
      if (r.origin.file.empty()) r.origin.file = file_;
      check_record(r);
      if (codes_) codes_->check(r);  // whichever plugin wrote it (issue 12.10)
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      const Record& r = group[i];
      if (store_.keep(r)) continue;
      if (files_.size() > 1 && store_.kept_by(r) != r.origin.file) {
        given_by_other_[i] = 1;
        continue;
      }
      throw Error(r.origin, std::string(r.kind_spec().fields[0].name), "record.duplicate",
                  "this file already gave a " + std::string(r.kind_spec().name) +
                      " with the same reference (an earlier row); the first is kept, this one quarantined");
    }
  } catch (const Error& why) {
    counts_.read -= static_cast<std::int64_t>(group.size());
    quarantine(group, why, raw);
    return false;
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (given_by_other_[i] != 0) ++counts_.replaced;
    else store_.write(group[i], host_.name, run_);
  }
  return true;
}

void SourceContextImpl::quarantine(const Error& why, std::string_view raw) {
  ++counts_.read;
  ++counts_.quarantined;
  store_.quarantine(run_, host_.name, why, raw);
  report(why);
}

void SourceContextImpl::quarantine(std::vector<Record>& group, const Error& why, std::string_view raw) {
  const auto n = static_cast<std::int64_t>(std::max<std::size_t>(group.size(), 1));
  counts_.read += n;
  counts_.quarantined += n;
  for (const auto& r : group) store_.keep(r);
  store_.quarantine(run_, host_.name, why, raw);
  report(why);
}

bool DryRunContext::write(std::vector<Record>& group, std::string_view) {
  for (const auto& r : group) {
    try {
      check_record(r);
    } catch (const Error&) {
      return false;
    }
  }
  return true;
}

void SourceContextImpl::query(const Error& what) {
  if (++queried_ <= kReportLimit)
    log(LogLevel::warning, "query: " + what.describe());
  else if (queried_ == kReportLimit + 1)
    log(LogLevel::warning, "more queries; sendhub validate lists every one");
}

void SourceContextImpl::report(const Error& why) {
  if (++reported_ <= kReportLimit)
    log(LogLevel::warning, "quarantined: " + why.describe());
  else if (reported_ == kReportLimit + 1)
    log(LogLevel::warning, "more records quarantined; every one is in the store's quarantine table");
}

std::string SourceContextImpl::state(std::string_view key) const {
  return store_.state(host_.name, std::string(key));
}

void SourceContextImpl::set_state(std::string_view key, std::string value) {
  store_.set_state(host_.name, std::string(key), value);
}

SinkContextImpl::SinkContextImpl(HostServices host, Store& store, std::string as_at, const HubConfig& cfg, std::int64_t run)
    : HostImpl(std::move(host)), store_(store), as_at_(std::move(as_at)), cfg_(cfg), run_(run) {}

std::vector<MeasureRow> SinkContextImpl::measure_history() {
  const auto held = store_held();
  std::vector<MeasureRow> out;
  for (auto& [sink, row] : store_.measure_history(host_.name)) out.push_back(std::move(row));
  return out;
}

void SinkContextImpl::each_person(const PersonQuery& query, const std::function<void(PersonGroup&)>& visit) {
  if (cache_) return cache_->each(cfg_, store_, query, visit);
  each_person_group(cfg_, store_, query, visit);
}

// Parts kept by the store where it can; else every person derived as each_person gives them.
void SinkContextImpl::each_person_part(const PersonQuery& query, std::string_view mark,
                                       const std::function<std::string(PersonGroup&)>& derive,
                                       const std::function<void(std::string_view part)>& use) {
  std::int64_t derived = 0, used = 0;
  std::unique_lock<StoreGate> store_use;
  using Clock = std::chrono::steady_clock;
  Clock::duration using_parts{};
  auto count_use = [&](std::string_view part) {
    ++used;
    // The store gives the parts with no statement open: another sink may use it meanwhile.
    const StoreGate::Released free(store_use);
    const Clock::time_point began = Clock::now();
    use(part);
    using_parts += Clock::now() - began;
  };
  if (!parts_mark_.empty()) {
    std::string years;
    for (const int y : query.loaded_years) years += " " + std::to_string(y);
    const std::string full = sha256_hex(parts_mark_ + " loaded" + years + " sink " + std::string(mark));
    const PersonGroups groups(cfg_);
    CopyScratch scratch;
    bool kept = false, copy_damaged = false;
    store_use = store_held();
    const Clock::time_point began = Clock::now();
    try {
      auto held = [&](const std::string& key) -> std::optional<std::string> {
        std::optional<PersonGroup> g = cache_ ? cache_->find(key, query.loaded_years) : std::nullopt;
        if (!g) return std::nullopt;
        ++derived;
        return derive(*g);
      };
      auto read = [&](std::string_view copy) {
        ++derived;
        PersonGroup* g = nullptr;
        try {
          g = &group_from_copy(copy, query.loaded_years, scratch);
        } catch (const Error&) {
          copy_damaged = true;
          throw;
        }
        return derive(*g);
      };
      kept = store_.each_part(host_.name, full, query.order_year, groups.copies(), held, read, count_use);
    } catch (const Error& e) {
      if (e.rule() != "store.copy") throw;
      // Damaged: the next run derives every person again (from copies made again).
      if (copy_damaged) store_.drop_copies();
      else store_.drop_parts(host_.name);
      throw Error(e.where(), e.field(), e.rule(),
                  e.message() + (copy_damaged ? "; the store's copies and parts are deleted" : "; this sink's kept parts are deleted"));
    }
    if (store_use.owns_lock()) store_use.unlock();
    if (kept) {
      parts_work_.seconds += std::chrono::duration<double>(Clock::now() - began - using_parts).count();
      parts_work_.derived += derived;
      parts_work_.used += used;
      log_line(LogLevel::info, host_.name,
               derived == used ? "derived all " + std::to_string(used) + " people and kept their parts"
                               : "derived " + std::to_string(derived) + " of " + std::to_string(used) +
                                     " people again (the others' parts were kept)");
      return;
    }
  }
  each_person(query, [&](PersonGroup& g) {
    const std::string part = derive(g);
    use(part);
  });
}

struct SinkContextImpl::Checker {
  explicit Checker(const std::string& schemas_dir) : catalogue(schemas_dir), names(schemas_dir) {}
  RuleCatalogue catalogue;
  ElementNames names;
  std::map<int, Validator> by_year;
};

SinkContextImpl::~SinkContextImpl() = default;

std::vector<ReturnIssue> SinkContextImpl::check_return(int year, const std::vector<Record>& group) {
  if (!checker_) checker_ = std::make_unique<Checker>(host_.schemas_dir);
  if (!checker_->catalogue.has_year(year))
    throw Error(Where{}, "year", "rules.year", "no validation rules for return year " + std::to_string(year));
  auto it = checker_->by_year.find(year);
  if (it == checker_->by_year.end())
    it = checker_->by_year.emplace(std::piecewise_construct, std::forward_as_tuple(year),
                                   std::forward_as_tuple(checker_->catalogue, checker_->names, year,
                                                         year_facts(host_.schemas_dir, year, host_.la_code)))
             .first;
  std::vector<Issue> found;
  it->second.check(group, found);
  std::vector<ReturnIssue> out;
  out.reserve(found.size());
  for (auto& i : found)
    out.push_back({i.rule, i.severity, i.field, i.message, i.source, Where{i.file, i.line, i.path}, i.person, i.reference});
  return out;
}

std::unique_ptr<OutputFile> SinkContextImpl::create_output(const std::string& path) {
  return outputs_.create(path);
}

}  // namespace sendhub
