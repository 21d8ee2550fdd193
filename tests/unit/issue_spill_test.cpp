// The validation's issues past its queue's bound wait in a temporary file (issue 30): each batch
// comes back as it went in, whatever its texts hold, read back in any order while more are added.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/issue_spill.h"

namespace sendhub {
namespace {

Issue issue_number(int n) {
  Issue i;
  i.rule = "rule." + std::to_string(n);
  i.severity = n % 3 ? "query" : "error";
  i.file = n % 2 ? "" : "store";
  i.line = n * 1000003LL;
  i.path = "Message/Children/Child[" + std::to_string(n) + "]";
  i.field = "upn";
  static constexpr char kText[] = "a message with \0 a NUL, \xff\xfe bytes and a line\nbreak ";
  i.message = std::string(kText, sizeof kText - 1) + std::to_string(n);
  i.person = n % 5 ? "A12345678901" + std::to_string(n) : "";
  i.source = "sen2-returns";
  i.reference = std::to_string(n);
  return i;
}

void expect_same(const std::vector<Issue>& a, const std::vector<Issue>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].rule, b[k].rule);
    EXPECT_EQ(a[k].severity, b[k].severity);
    EXPECT_EQ(a[k].file, b[k].file);
    EXPECT_EQ(a[k].line, b[k].line);
    EXPECT_EQ(a[k].path, b[k].path);
    EXPECT_EQ(a[k].field, b[k].field);
    EXPECT_EQ(a[k].message, b[k].message);
    EXPECT_EQ(a[k].person, b[k].person);
    EXPECT_EQ(a[k].source, b[k].source);
    EXPECT_EQ(a[k].reference, b[k].reference);
  }
}

TEST(IssueSpill, EachBatchComesBackAsItWentInWhileMoreAreAdded) {
  IssueSpill spill;
  std::vector<std::vector<Issue>> batches;
  for (int b = 0; b < 40; ++b) {
    std::vector<Issue> batch;
    for (int n = 0; n < (b % 7) * 300; ++n) batch.push_back(issue_number(b * 10000 + n));   // some empty
    EXPECT_EQ(spill.add(batch), batches.size());
    batches.push_back(std::move(batch));
    if (b % 4 == 3) expect_same(spill.read(static_cast<std::size_t>(b / 2)), batches[static_cast<std::size_t>(b / 2)]);
  }
  for (std::size_t b = 0; b < batches.size(); ++b) expect_same(spill.read(b), batches[b]);
  std::size_t all = 0;
  for (const auto& b : batches) all += b.size();
  EXPECT_EQ(spill.issues(), all);
  EXPECT_GT(all, 30000U) << "past the write buffer: read back from the file itself";
}

}  // namespace
}  // namespace sendhub
