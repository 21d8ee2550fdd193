// io/pages.h: zeroed memory straight from the kernel (an anonymous mmap), given back to it
// when freed. For buffers of megabytes that live through one stage: from malloc, freeing one
// raises glibc's mmap threshold to its size, after which the next stages' large blocks come
// from the heap and stay resident after they are freed (+9 MB of the 1,000,000-child CSV
// run's linking peak, from the seen keys' table).
#pragma once

#include <cstddef>

namespace sendhub::io {

class Pages {
 public:
  Pages() = default;
  explicit Pages(std::size_t bytes);   // throws std::bad_alloc
  Pages(Pages&& other) noexcept;
  Pages& operator=(Pages&& other) noexcept;
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;
  ~Pages();

  char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace sendhub::io
