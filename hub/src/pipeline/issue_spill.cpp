#include "pipeline/issue_spill.h"

#include <cstdint>

#include "io/byte_codec.h"

namespace sendhub {
namespace {

// Each issue's texts, in the order written and read.
template <typename IssueT, typename Each>
void each_text(IssueT& i, Each&& each) {
  for (auto* text : {&i.rule, &i.severity, &i.file, &i.path, &i.field, &i.message, &i.person, &i.source, &i.reference})
    each(*text);
}

}  // namespace

// A batch: its count, then each issue's line and its texts (io/byte_codec.h).
std::size_t IssueSpill::add(const std::vector<Issue>& issues) {
  bytes_.clear();
  io::put_number(bytes_, issues.size());
  for (const auto& i : issues) {
    io::put_signed(bytes_, i.line);
    each_text(i, [&](const std::string& text) { io::put_text(bytes_, text); });
  }
  file_.add(bytes_);
  issues_ += issues.size();
  return file_.size() - 1;
}

std::vector<Issue> IssueSpill::read(std::size_t place) {
  file_.flush();   // what is still buffered
  io::ByteReader in(file_.read(place, bytes_), "io", "the validation's issues from their temporary file");
  std::vector<Issue> out(static_cast<std::size_t>(in.count()));
  for (auto& i : out) {
    i.line = in.signed_number();
    each_text(i, [&](std::string& text) { text = in.text(); });
  }
  in.finish();
  return out;
}

}  // namespace sendhub
