#include "pipeline/issue_spill.h"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "sendhub/error.h"

namespace sendhub {
namespace {

// A batch: its count, then each issue's line and its texts, each text as its length and bytes.
template <typename T>
void put(std::string& out, T n) {
  char raw[sizeof n];
  std::memcpy(raw, &n, sizeof n);
  out.append(raw, sizeof n);
}
void put(std::string& out, const std::string& text) {
  put(out, static_cast<std::uint64_t>(text.size()));
  out.append(text);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  template <typename T>
  T number() {
    T n{};
    need(sizeof n);
    std::memcpy(&n, rest_.data(), sizeof n);
    rest_.remove_prefix(sizeof n);
    return n;
  }
  std::string text() {
    const auto size = number<std::uint64_t>();
    need(size);
    std::string out(rest_.substr(0, size));
    rest_.remove_prefix(size);
    return out;
  }

 private:
  void need(std::uint64_t n) const {
    if (rest_.size() < n) throw Error(Where{}, "", "io", "the validation's issues came back short from their temporary file");
  }
  std::string_view rest_;
};

}  // namespace

std::size_t IssueSpill::add(const std::vector<Issue>& issues) {
  bytes_.clear();
  put(bytes_, static_cast<std::uint64_t>(issues.size()));
  for (const auto& i : issues) {
    put(bytes_, i.line);
    for (const std::string* text : {&i.rule, &i.severity, &i.file, &i.path, &i.field, &i.message, &i.person, &i.source,
                                    &i.reference})
      put(bytes_, *text);
  }
  file_.add(bytes_);
  issues_ += issues.size();
  return file_.size() - 1;
}

std::vector<Issue> IssueSpill::read(std::size_t place) {
  file_.flush();   // what is still buffered
  Reader in(file_.read(place, bytes_));
  const auto count = in.number<std::uint64_t>();
  if (count > bytes_.size() / sizeof(std::int64_t)) throw Error(Where{}, "", "io", "the validation's issues came back damaged");
  std::vector<Issue> out(count);
  for (auto& i : out) {
    i.line = in.number<std::int64_t>();
    for (std::string* text : {&i.rule, &i.severity, &i.file, &i.path, &i.field, &i.message, &i.person, &i.source,
                              &i.reference})
      *text = in.text();
  }
  return out;
}

}  // namespace sendhub
