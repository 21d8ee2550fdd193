#include "store/read_ahead.h"

namespace sendhub {

// A batch is handed over at 64 items or 256 KiB, whichever comes first: large enough that the
// threads meet rarely, small enough that the visitor starts at once.
void read_ahead(const std::function<void(const ReadAheadEmit&)>& read, const std::function<void(std::string&)>& visit,
                std::size_t batches) {
  detail::read_ahead_items<std::string>(
      [&](const std::function<void(std::string)>& emit) { read(emit); }, visit,
      [](const std::string& s) { return s.size(); }, {batches, 64, std::size_t{256} << 10});
}

}  // namespace sendhub
