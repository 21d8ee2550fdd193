// store/read_ahead.h: one thread reads ahead, another visits. A walk whose reading is half its
// cost (the first walk of a linked dataset: SQLite's joins into every record table, each group
// encoded and kept as a copy) reads on a thread of its own while the walk's thread visits
// what was read, so the two halves share the machine's cores.
//
// Only bytes cross between the threads (group_codec.h's encoding, one string a group, handed
// over in batches): a group as objects is a few hundred small allocations, and freeing on one
// thread what another allocated is what made an earlier read-ahead of objects slower than none.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace sendhub {

// Hands one item's bytes over to the visiting thread; waits while the batches ahead are full.
using ReadAheadEmit = std::function<void(std::string bytes)>;

// Runs `read` on a new thread, calling `visit` here with each item it emits, in order; returns
// when both are done. What either throws ends both (the reader at its next emit) and is
// rethrown here, the visitor's first. At most `batches` batches of items wait at a time.
void read_ahead(const std::function<void(const ReadAheadEmit&)>& read, const std::function<void(std::string&)>& visit,
                std::size_t batches = 4);

}  // namespace sendhub
