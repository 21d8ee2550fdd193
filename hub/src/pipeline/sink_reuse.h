// pipeline/sink_reuse.h: a sink whose inputs (the dataset's version and links, the as-at
// date) and configuration did not change since it last ran, and whose output files are
// byte for byte what it wrote, is not run again (issue 11): nothing is rewritten, and the
// run says so. A sink that withheld its output for a reason in the data (a return with
// errors) is remembered with that reason, which is reported again, exit code and all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/hub_config.h"
#include "io/private_file.h"
#include "pipeline/bindings.h"
#include "sendhub/plugin.h"
#include "store/store.h"

namespace sendhub {

struct SinkOutcome {
  std::string status;   // ok, refused (withheld for a reason in the data), failed
  std::string why, note;
  std::vector<io::PublishedFile> published;   // the files it renamed into place
  std::int64_t run = 0;                 // the run that produced it
  double seconds = 0;                   // what producing it took
  // Of those, what its kept parts took outside their use (SinkContextImpl::PartsWork), and the
  // share of its people it derived again: a run deriving fewer takes about that much less.
  double parts_seconds = 0;
  double derived_share = 1;
};

std::string sink_mark(const HubConfig& cfg, Store& store, const ConnectorConfig& sink,
                      const std::vector<ConfigKey>& keys, const std::string& as_at);

// What a sink's kept parts (SinkContext::each_person_part) depend on besides the person and
// the sink's own mark: its configuration and the files its path keys name (not its outputs),
// the plugin library it came from (library_mark), the council and the build.
std::string parts_mark(const HubConfig& cfg, const Binding& b);
// Which build of its library a connector came from: its GNU build-id, so that a copy or a link
// of the same build keeps the parts; without one, the library's stat (its hash while too fresh
// to trust the stat), which changes with anything that touches the file.
std::string library_mark(const LoadedConnector& connector);

// The outcome of the run that wrote the outputs, when the mark is the same and every output
// is intact.
std::optional<SinkOutcome> sink_unchanged(Store& store, const std::string& sink, const std::string& mark);

// Remembers an ok or refused outcome (a failure is tried again next time).
void remember_sink(Store& store, const std::string& sink, const std::string& mark, const SinkOutcome& outcome);

// The seconds the sink's last remembered outcome took (0 when none is), whatever its mark, with
// its kept parts' share scaled from the share of people it derived then to `derive_share`, the
// share this run will (DatasetCache::made_share): the sinks that run side by side start longest
// first. After a full run, a sink that derived every part took 2.4 s where the next night takes
// 0.5 s: unscaled, it was put before one that takes 2 s every night, which then ran alone last.
double expected_seconds(Store& store, const std::string& sink, double derive_share);

}  // namespace sendhub
