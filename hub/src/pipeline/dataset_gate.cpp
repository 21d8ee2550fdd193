#include "pipeline/dataset_gate.h"

#include "pipeline/log.h"

namespace sendhub {

std::string dataset_not_ready(Store& store) {
  const LinkState s = store.link_state();
  if (s.current()) return "";
  if (!s.error.empty())
    return "the dataset is not linked: linking failed (" + s.error + "); nothing is published until a run links it";
  return "the dataset changed after it was last linked (a run stopped before linking); "
         "nothing is published until sendhub run links it";
}

std::string unfinished_run_note(Store& store) {
  auto runs = store.runs();
  if (runs.empty() || (runs.front().status != "running" && runs.front().status != "interrupted")) return "";
  return "the last run (" + std::to_string(runs.front().run_id) + ", started " + runs.front().started + ") " +
         (runs.front().status == "running" ? "has not finished: it is running now, or it was killed"
                                           : "was interrupted") +
         "; reading the store as that run left it";
}

bool ready_to_publish(Store& store) {
  if (auto note = unfinished_run_note(store); !note.empty()) log_line(LogLevel::warning, "", note);
  const std::string why = dataset_not_ready(store);
  if (why.empty()) return true;
  log_line(LogLevel::error, "", why);
  return false;
}

}  // namespace sendhub
