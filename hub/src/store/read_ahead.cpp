#include "store/read_ahead.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sendhub {
namespace {

// A batch is handed over at this many items or bytes, whichever comes first: large enough that
// the threads meet rarely, small enough that the visitor starts at once.
constexpr std::size_t kBatchItems = 64;
constexpr std::size_t kBatchBytes = std::size_t{256} << 10;

// Thrown inside the reader to leave a walk the visitor gave up.
struct Stopped {};

class Handover {
 public:
  explicit Handover(std::size_t batches) : max_(std::max<std::size_t>(batches, 1)) {}

  // The reader's side.
  void put(std::vector<std::string>& batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    room_.wait(lock, [&] { return stop_ || queue_.size() < max_; });
    if (stop_) throw Stopped{};
    queue_.push_back(std::move(batch));
    batch = {};
    ready_.notify_one();
  }
  void finish(std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    error_ = std::move(error);
    ready_.notify_one();
  }

  // The visitor's side: false when the reader is done and everything was taken.
  bool take(std::vector<std::string>& batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return done_ || !queue_.empty(); });
    if (queue_.empty()) return false;
    batch = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return true;
  }
  void stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    room_.notify_one();
  }
  std::exception_ptr error() {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
  }

 private:
  const std::size_t max_;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<std::vector<std::string>> queue_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
};

}  // namespace

void read_ahead(const std::function<void(const ReadAheadEmit&)>& read, const std::function<void(std::string&)>& visit,
                std::size_t batches) {
  Handover handover(batches);
  std::thread reader([&] {
    std::exception_ptr error;
    try {
      std::vector<std::string> batch;
      std::size_t bytes = 0;
      read([&](std::string item) {
        bytes += item.size();
        batch.push_back(std::move(item));
        if (batch.size() < kBatchItems && bytes < kBatchBytes) return;
        handover.put(batch);
        bytes = 0;
      });
      if (!batch.empty()) handover.put(batch);
    } catch (const Stopped&) {
    } catch (...) {
      error = std::current_exception();
    }
    handover.finish(error);
  });
  try {
    std::vector<std::string> batch;
    while (handover.take(batch))
      for (auto& item : batch) visit(item);
  } catch (...) {
    handover.stop();
    reader.join();
    throw;
  }
  reader.join();
  if (auto error = handover.error()) std::rethrow_exception(error);
}

}  // namespace sendhub
