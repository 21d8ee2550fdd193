#include "fhir_source.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <sys/stat.h>

#include <array>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include "fhir_fetcher.h"
#include "page_view.h"
#include "resource_texts.h"
#include "seen_map.h"
#include "task_mapper.h"

namespace fhir {
namespace {

using Poco::JSON::Object;
using sendhub::Error;
using sendhub::Where;

bool is_file(const std::string& url) { return url.rfind("file://", 0) == 0; }

// The base URL without a trailing slash; a relative file:// path against the config's folder.
std::string base_url(const sendhub::Settings& s) {
  std::string base = s.text("base_url");
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (is_file(base) && base.size() > 7 && base[7] != '/') base = "file://" + s.resolve(base.substr(7));
  return base;
}

std::optional<Poco::Timestamp> instant(const std::string& text) {
  try {
    int tz = 0;
    return Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, tz).timestamp();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A page file's size, times, device and inode, which any write changes, as the host tells its
// own inputs (pipeline/input_archive.cpp): "" for a file written in the last two seconds (a file
// system's clock may be that coarse) or gone, which is read again.
std::string page_stat(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return "";
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  const auto settled = [&](const struct timespec& t) { return static_cast<std::int64_t>(t.tv_sec) + 2 < now; };
  if (!settled(st.st_mtim) || !settled(st.st_ctim)) return "";
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) +
         ":" + std::to_string(st.st_ctim.tv_sec) + "." + std::to_string(st.st_ctim.tv_nsec) + ":" +
         std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

std::string iso(const Poco::Timestamp& t) { return Poco::DateTimeFormatter::format(t, Poco::DateTimeFormat::ISO8601_FORMAT); }

std::map<std::string, std::string> advice_types(const sendhub::Settings& s) {
  static const std::set<std::string> kTypes = {"health", "educational_psychology", "social_care", "other"};
  std::map<std::string, std::string> types;
  for (const auto& t : kTypes) types[t] = t;
  if (!s.has("advice_types")) return types;
  // The parsed value owns the object: held here, not iterated out of a temporary (the
  // SIGSEGV of issue 15.8).
  const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(s.json("advice_types"));
  const Object::Ptr map = parsed.type() == typeid(Object::Ptr) ? parsed.extract<Object::Ptr>() : nullptr;
  if (!map) throw Error(Where{}, "advice_types", "config", "must be an object of code -> advice type");
  for (const auto& [code, type] : *map) {
    if (!type.isString() || !kTypes.count(type.extract<std::string>()))
      throw Error(Where{}, "advice_types." + code, "config",
                  "must be health, educational_psychology, social_care or other");
    types[code] = type.extract<std::string>();
  }
  return types;
}

bool loopback(const Poco::URI& uri) {
  return uri.getHost() == "localhost" || uri.getHost() == "127.0.0.1" || uri.getHost() == "::1";
}

// Plain http would carry children's data, or a client secret, in clear.
void require_tls(const sendhub::Settings& s, const char* key) {
  const Poco::URI uri(s.text(key));
  if (uri.getScheme() == "http" && !loopback(uri) && !s.boolean("allow_plain_http"))
    throw Error(Where{}, key, "config",
                std::string("plain http would send ") + (std::string(key) == "token_url" ? "the client secret" : "children's data") +
                    " unencrypted; use https (or set allow_plain_http)");
}

// The copy of a Task the run holds as current: when it was last updated, and its version
// where that is a whole number (the only versions that order two copies).
struct TaskCopy {
  std::optional<Poco::Timestamp> updated;
  std::optional<long long> version;
};

std::optional<long long> whole_number(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(s);
}

// Whether `later`, read after `current` in this run, is the Task's current copy (issue 26):
// the later meta.lastUpdated wins, and on a tie the copy read later. A versionId is opaque
// (FHIR R4; a random UUID on some servers), so it orders two copies only when both are whole
// numbers and their instants tie; otherwise equal ids only say the copy is unchanged.
bool supersedes(const TaskCopy& later, const TaskCopy& current) {
  if (later.updated && current.updated && *later.updated != *current.updated) return *later.updated > *current.updated;
  return !(later.version && current.version) || *later.version >= *current.version;
}

// A TaskCopy as the run keeps it for each Task read (a SeenMap's fixed-width value): which
// parts it has, the instant in microseconds, the version.
constexpr std::size_t kCopyBytes = 1 + 2 * sizeof(long long);

// On the stack: a Task read is one insert, with no allocation for its copy.
using PackedCopy = std::array<char, kCopyBytes>;

PackedCopy packed(const TaskCopy& c) {
  PackedCopy bytes{};
  bytes[0] = static_cast<char>((c.updated ? 1 : 0) | (c.version ? 2 : 0));
  const long long parts[2] = {c.updated ? c.updated->epochMicroseconds() : 0, c.version.value_or(0)};
  std::memcpy(bytes.data() + 1, parts, sizeof parts);
  return bytes;
}

std::string_view view(const PackedCopy& bytes) { return {bytes.data(), bytes.size()}; }

TaskCopy unpacked(const std::string& bytes) {
  long long parts[2] = {0, 0};
  std::memcpy(parts, bytes.data() + 1, sizeof parts);
  TaskCopy c;
  if (bytes[0] & 1) c.updated = Poco::Timestamp(parts[0]);
  if (bytes[0] & 2) c.version = parts[1];
  return c;
}

// The Task as its page holds it, else (a page of another shape: resource_texts.h) the parsed
// Task written out, into `spare`.
std::string_view raw(std::string_view in_page, const TaskView& task, std::string& spare) {
  if (!in_page.empty()) return in_page;
  spare = task.written();
  return spare;
}

// A page is read flat (flat_page.h) where that reads it as its parsed objects would be read, and
// where the page's own text of each Task is to be had (resource_texts.h); else it is parsed.
bool flat_will_do(const FlatPage& flat, const std::vector<std::string_view>& texts) {
  if (!flat.sure() || texts.size() != flat.entries()) return false;
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (flat.resource(i) && texts[i].empty()) return false;
  return true;
}

// The next page, resolved against this one; only ever on the base's scheme, host and port.
std::string next_link(const PageView& page, const std::string& current, const Poco::URI& base) {
  for (const auto& [relation, url] : page.links()) {
    if (relation != "next") continue;
    Poco::URI next(Poco::URI(current), url);
    if (next.getScheme() != base.getScheme() || next.getHost() != base.getHost() || next.getPort() != base.getPort())
      throw Error(Where{Poco::URI(current).getPath(), 0, "Bundle.link"}, "next", "fhir.next",
                  "the next link leads to another scheme, host or port (" + next.getScheme() + "://" +
                      next.getHost() + "); refused");
    return next.toString();
  }
  return "";
}

class Reader {
 public:
  Reader(sendhub::SourceContext& ctx)
      : ctx_(ctx), s_(ctx.settings()), base_(base_url(s_)), fetcher_(s_, &ctx), types_(advice_types(s_)) {}

  void run() {
    const std::string mark = ctx_.state("high_water").empty() ? s_.text("since") : ctx_.state("high_water");
    if (auto m = instant(mark)) {
      newest_ = *m;
      since_ = *m - Poco::Timespan(s_.integer("overlap_s"), 0);
    }
    if (is_file(base_) && pages_unchanged()) return;
    plugin_support::SeenMap visited;   // the pages' URLs (27,946 at national scale), in a file past 16 MB
    for (std::string url = first_page(); !url.empty(); ++page_) {
      if (page_ >= s_.integer("max_pages"))
        throw Error(Where{Poco::URI(url).getPath(), 0, ""}, "max_pages", "fhir.paging",
                    "the feed's next links went on past max_pages (" + std::to_string(s_.integer("max_pages")) +
                        "); stopped, nothing of this run was stored");
      if (!visited.insert(url))
        throw Error(Where{Poco::URI(url).getPath(), 0, ""}, "next", "fhir.paging", "the next links go round in a loop");
      if (is_file(base_)) note_page(Poco::URI(url).getPath());
      const Page page = fetcher_.get_page(url);
      const auto texts = resource_texts(page.text);
      std::unique_ptr<PageView> parsed;
      if (!flat_will_do(page.flat, texts))
        parsed = dom_page(Poco::JSON::Parser().parse(page.text).extract<Object::Ptr>());
      const PageView& view = parsed ? *parsed : static_cast<const PageView&>(page.flat);
      if (view.resource_type() != "Bundle")
        throw Error(Where{Poco::URI(url).getPath(), 0, ""}, "resourceType", "fhir.bundle", "the answer is not a Bundle");
      entries(view, texts);
      url = next_link(view, url, Poco::URI(base_));
    }
    if (copies_.in_file() && s_.integer("memory_mb") > 0)
      ctx_.log(sendhub::LogLevel::info, "the Tasks read passed memory_mb (" + std::to_string(s_.integer("memory_mb")) +
                                            "): they were moved to a temporary file");
    if (seen_any_) ctx_.set_state("high_water", iso(newest_));  // committed with the records
    // A feed read whole without a quarantined Task is not read again while its pages stand; one
    // with a quarantined Task is, so that the Task is reported again (and counted: exit 1).
    if (is_file(base_)) ctx_.set_state(kPages, settled_ && quarantined_ == 0 ? settings_mark() + "\n" + pages_ : "-");
  }

 private:
  // file:// only: the pages this source last read whole, and what else their reading depends on
  // (the settings read here and this build), in its state. While every page's stat is what it
  // was, reading them again would store nothing new (the high-water mark moves only over Tasks
  // stored), so they are not read: as the host does not read a source's unchanged files again.
  static constexpr const char* kPages = "file_pages";

  std::string settings_mark() const {
    std::string mark = std::string("sendhub ") + SENDHUB_VERSION + "|" + base_ + "|" + s_.text("since") + "|" +
                       std::to_string(s_.integer("overlap_s")) + "|" + std::to_string(s_.integer("max_pages")) + "|" +
                       std::to_string(s_.integer("max_clock_skew_s")) + "|" + (s_.has("advice_types") ? s_.json("advice_types") : "");
    for (char& c : mark)
      if (c == '\n' || c == '\r') c = ' ';
    return mark;
  }

  void note_page(const std::string& file) {
    const std::string stat = page_stat(file);
    settled_ = settled_ && !stat.empty();
    pages_ += file + "\t" + stat + "\n";
  }

  bool pages_unchanged() {
    std::istringstream kept(ctx_.state(kPages));
    std::string line;
    if (!std::getline(kept, line) || line != settings_mark()) return false;
    int pages = 0;
    while (std::getline(kept, line)) {
      const auto tab = line.find('\t');
      if (tab == std::string::npos) return false;
      const std::string stat = page_stat(line.substr(0, tab));
      if (stat.empty() || stat != line.substr(tab + 1)) return false;
      ++pages;
    }
    if (pages == 0) return false;
    ctx_.log(sendhub::LogLevel::info, "the feed's " + std::to_string(pages) + " page files are as this source last read them "
                                      "whole (size, times and inode); not read again");
    return true;
  }

  std::string first_page() {
    if (is_file(base_)) return base_ + "/Task.json";
    std::string url = base_ + "/Task?";
    if (since_) url += "_lastUpdated=ge" + fetcher_.http().escape(iso(*since_)) + "&";
    return url + "_count=" + std::to_string(s_.integer("page_size")) + "&_sort=_lastUpdated";
  }

  void entries(const PageView& page, std::vector<std::string_view> texts) {
    if (texts.size() != page.entries()) texts.clear();   // not the array parsed: none trusted
    texts.resize(page.entries());
    std::string spare;
    for (std::size_t i = 0; i < page.entries(); ++i) {
      const TaskView* resource = page.resource(i);
      if (!resource || resource->text(TaskField::resource_type) != "Task") continue;  // included resources
      Where where{task_path_, 0,
                  "page " + std::to_string(page_ + 1) + " Bundle.entry[" + std::to_string(i) + "]"};
      MappedTask m = map_task(*resource, types_, ctx_, where);
      auto updated = instant(m.last_updated);
      if (is_file(base_) && since_ && updated && *updated < *since_) continue;  // a file holds the whole feed
      if (updated && *updated > latest_allowed_ && !m.problem)
        m.problem.emplace(where, "Task.meta.lastUpdated", "fhir.future",
                          "meta.lastUpdated is later than now plus max_clock_skew_s; the Task is quarantined");
      std::vector<sendhub::Record> group{m.record};
      if (m.problem) {
        ctx_.quarantine(group, *m.problem, raw(texts[i], *resource, spare));
        ++quarantined_;
        continue;
      }
      const TaskCopy copy{updated, whole_number(m.version)};
      const PackedCopy bytes = packed(copy);
      if (!copies_.insert(m.id, view(bytes))) {
        if (!supersedes(copy, unpacked(copies_.value(m.id)))) {
          ctx_.replaced();   // an older copy, read after the current one: counted, not stored
          continue;
        }
        copies_.assign(m.id, view(bytes));
      }
      // The mark moves only over what was stored: a quarantined Task (one dated 2999,
      // say) must not make the next run skip every later change.
      const bool stored = ctx_.write(group, raw(texts[i], *resource, spare));
      quarantined_ += stored ? 0 : 1;
      if (stored && updated && (!seen_any_ || *updated > newest_)) {  // newest_ starts at the old mark
        newest_ = *updated;
        seen_any_ = true;
      }
    }
  }

  sendhub::SourceContext& ctx_;
  const sendhub::Settings& s_;
  std::string base_;
  std::string task_path_ = Poco::URI(base_).getPath() + "/Task";   // where a Task's error is, parsed once
  FhirFetcher fetcher_;
  std::map<std::string, std::string> types_;
  // By Task.id, the current copy of each Task read: a national feed's 1.4 million Tasks were
  // 170 MB in a std::map, so past the budget they move to a temporary database.
  plugin_support::SeenMap copies_{static_cast<std::size_t>(s_.integer("memory_mb")) << 20, kCopyBytes};
  std::optional<Poco::Timestamp> since_;
  Poco::Timestamp newest_{0};
  Poco::Timestamp latest_allowed_ = Poco::Timestamp() + Poco::Timespan(s_.integer("max_clock_skew_s"), 0);
  bool seen_any_ = false;
  int page_ = 0;
  std::string pages_;      // each page file read, with its stat
  bool settled_ = true;    // every one of them had a stat to trust
  int quarantined_ = 0;
};

}  // namespace

void FhirSource::check(const sendhub::Settings& s) {
  Poco::URI uri(base_url(s));
  const std::string& scheme = uri.getScheme();
  if (scheme != "https" && scheme != "http" && scheme != "file")
    throw Error(Where{}, "base_url", "config", "must be an https://, http:// or file:// URL");
  require_tls(s, "base_url");
  if (s.has("token_url") && (!s.has("client_id") || !s.has("client_secret_env")))
    throw Error(Where{}, "token_url", "config", "OAuth2 client credentials need client_id and client_secret_env");
  if (s.has("token_url")) {
    const std::string token_scheme = Poco::URI(s.text("token_url")).getScheme();
    if (token_scheme != "https" && token_scheme != "http")
      throw Error(Where{}, "token_url", "config", "must be an https:// URL");
    require_tls(s, "token_url");
  }
  if (s.has("advice_types")) advice_types(s);
  // Secrets must be there before the run starts (never read into the log).
  if (s.has("token_env")) s.secret("token_env");
  if (s.has("token_url")) s.secret("client_secret_env");
}

void FhirSource::probe(const sendhub::Settings& s) {
  FhirFetcher fetcher(s, nullptr);
  const std::string base = base_url(s);
  fetcher.get_page(is_file(base) ? base + "/Task.json" : base + "/metadata");
}

void FhirSource::read(sendhub::SourceContext& ctx) { Reader(ctx).run(); }

}  // namespace fhir
