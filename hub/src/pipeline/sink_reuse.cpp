#include "pipeline/sink_reuse.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "pipeline/fingerprint.h"
#include "pipeline/input_archive.h"

namespace sendhub {
namespace {

std::string key_of(const std::string& sink) { return "sink." + sink; }

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  return s;
}

// A remembered outcome's third line: status, why, note, (since 0.12.13) seconds and (since
// 0.12.22) parts' seconds and derived share, tab-separated.
void read_result(const std::string& line, SinkOutcome& out) {
  std::istringstream fields(line);
  std::getline(fields, out.status, '\t');
  std::getline(fields, out.why, '\t');
  std::getline(fields, out.note, '\t');
  std::string number;
  if (std::getline(fields, number, '\t')) out.seconds = std::strtod(number.c_str(), nullptr);
  if (std::getline(fields, number, '\t')) out.parts_seconds = std::strtod(number.c_str(), nullptr);
  if (std::getline(fields, number, '\t')) out.derived_share = std::strtod(number.c_str(), nullptr);
}

// A share to nine significant digits: one person of ten million is not 0.000000.
std::string share_text(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", share);
  return text;
}

}  // namespace

std::string sink_mark(const HubConfig& cfg, Store& store, const ConnectorConfig& sink,
                      const std::vector<ConfigKey>& keys, const std::string& as_at) {
  const LinkState links = store.link_state();
  // "out" names what the sink writes: its files are checked one by one instead.
  return sha256_hex(connector_mark(cfg, sink, keys, {"out"}) + " data " + std::to_string(links.data_version) + " linked " +
                    std::to_string(links.linked_version) + " links " + store.dataset_value("links_revision") +
                    " as_at " + as_at + " la " + cfg.la_code);
}

std::string parts_mark(const HubConfig& cfg, const Binding& b) {
  return sha256_hex(connector_mark(cfg, *b.config, b.connector->info.sink_keys, {"out"}) + " library " +
                    library_mark(*b.connector) + " " + b.connector->info.version + " la " + cfg.la_code);
}

std::string library_mark(const LoadedConnector& connector) {
  if (!connector.build_id.empty()) return "build-id " + connector.build_id;
  const std::string stat = input_stat(connector.library);
  return stat.empty() ? file_sha256(connector.library) : stat;
}

// Stored as lines: the mark; the run; status, why, note and seconds (tab-separated); then one
// "sha256 path" line per output.
std::optional<SinkOutcome> sink_unchanged(Store& store, const std::string& sink, const std::string& mark) {
  std::istringstream in(store.dataset_value(key_of(sink)));
  std::string stored, run, result, line;
  if (!std::getline(in, stored) || stored != mark || !std::getline(in, run) || !std::getline(in, result))
    return std::nullopt;
  SinkOutcome out;
  out.run = std::stoll(run);
  read_result(result, out);
  while (std::getline(in, line)) {
    const auto space = line.find(' ');
    if (space == std::string::npos) return std::nullopt;
    io::PublishedFile file{line.substr(space + 1), line.substr(0, space)};
    if (file_sha256(file.path) != file.sha256) return std::nullopt;
    out.published.push_back(std::move(file));
  }
  if (out.published.empty()) return std::nullopt;
  return out;
}

void remember_sink(Store& store, const std::string& sink, const std::string& mark, const SinkOutcome& outcome) {
  if (outcome.status == "failed") return store.set_dataset_value(key_of(sink), "");
  std::string value = mark + "\n" + std::to_string(outcome.run) + "\n" + outcome.status + "\t" + one_line(outcome.why) +
                      "\t" + one_line(outcome.note) + "\t" + std::to_string(outcome.seconds) + "\t" +
                      std::to_string(outcome.parts_seconds) + "\t" + share_text(outcome.derived_share) + "\n";
  for (const auto& f : outcome.published) value += f.sha256 + " " + f.path + "\n";
  store.set_dataset_value(key_of(sink), value);
}

double expected_seconds(Store& store, const std::string& sink, double derive_share) {
  std::istringstream in(store.dataset_value(key_of(sink)));
  std::string line;
  for (int i = 0; i < 3; ++i)
    if (!std::getline(in, line)) return 0;
  SinkOutcome out;
  read_result(line, out);
  if (out.parts_seconds <= 0 || out.derived_share <= 0) return out.seconds;
  const double scale = std::min(1.0, std::max(0.0, derive_share) / out.derived_share);
  return out.seconds - out.parts_seconds * (1 - scale);
}

}  // namespace sendhub
