#include "pipeline/run_json.h"

#include <Poco/JSON/Array.h>

#include <cmath>

namespace sendhub {

Poco::JSON::Object run_to_json(const RunSummary& run) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("run", run.run_id);
  o.set("started", run.started);
  o.set("finished", run.finished);
  o.set("status", run.status);
  o.set("as_at", run.as_at);
  o.set("exit_code", run.exit_code);
  Poco::JSON::Array sources;
  for (const auto& s : run.sources) {
    Poco::JSON::Object so(Poco::JSON_PRESERVE_KEY_ORDER);
    so.set("name", s.name);
    so.set("status", s.status);
    if (!s.error.empty()) so.set("error", s.error);
    so.set("seconds", std::round(s.seconds * 1000) / 1000);
    so.set("read", s.counts.read);
    so.set("stored", s.counts.stored);
    so.set("unchanged", s.counts.unchanged);
    so.set("quarantined", s.counts.quarantined);
    so.set("removed", s.counts.removed);
    so.set("replaced", s.counts.replaced);   // superseded by another copy read in the same run
    so.set("files_skipped", s.counts.files_skipped);   // unchanged since read whole, not read again
    sources.add(so);
  }
  o.set("sources", sources);
  auto stage = [](const StageRun& st) {
    Poco::JSON::Object so(Poco::JSON_PRESERVE_KEY_ORDER);
    if (!st.name.empty()) so.set("name", st.name);
    so.set("status", st.status);
    if (!st.error.empty()) so.set("error", st.error);
    if (!st.note.empty()) so.set("note", st.note);
    so.set("seconds", std::round(st.seconds * 1000) / 1000);
    return so;
  };
  if (!run.linking.status.empty()) o.set("linking", stage(run.linking));
  if (!run.validation.status.empty()) o.set("validation", stage(run.validation));
  if (!run.resolved.status.empty()) o.set("resolved", stage(run.resolved));
  Poco::JSON::Array sinks;
  for (const auto& s : run.sinks) sinks.add(stage(s));
  o.set("sinks", sinks);
  return o;
}

}  // namespace sendhub
