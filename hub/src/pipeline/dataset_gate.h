// pipeline/dataset_gate.h: the one rule every publisher obeys (issue 15.1): a sink,
// `export` or `kpis` never publishes from a dataset whose linking failed or did not finish
// after its data last changed. Unlinked data counts one child's records once per source.
#pragma once

#include <string>

#include "store/store.h"

namespace sendhub {

// Why the store must not be published from now; "" when it may.
std::string dataset_not_ready(Store& store);

// A line to say before reading a store whose last run has not finished (it is running in
// another process, or it was killed); "" when the last run finished.
std::string unfinished_run_note(Store& store);

// For `export` and `kpis`: says the unfinished-run note, refuses (logs why, returns false)
// when the dataset is not ready.
bool ready_to_publish(Store& store);

}  // namespace sendhub
