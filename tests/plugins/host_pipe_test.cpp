// A source's reading on both cores (plugins/support/host_pipe.h): the parsing thread takes its
// records from a pool the host's thread gives them back to. Whichever thread resets a spent
// record (the host's while parsing sets the pace, the parsing thread's while the host does),
// every group the host is given holds exactly what parsing set in it: nothing of the group
// that used the records before, although the host dirtied every field of it.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "host_pipe.h"
#include "pipeline/contexts.h"

namespace sendhub {
namespace {

constexpr int kGroups = 64 * 12;   // twelve batches of 64: more than parsing may queue (four), so records come back

// Group i: a person; its surname (read on line i) when i is odd, an extra when i % 3 == 0,
// and a request when i % 4 != 0.
void produce_group(plugin_support::HostPipe& pipe, std::vector<Record>& group, int i) {
  Record& p = pipe.pool().add(group, RecordKind::person);
  p.set("person_ref", "P" + std::to_string(i));
  p.origin.line = i;
  if (i % 2 == 1) p.set("surname", "S" + std::to_string(i), i);
  if (i % 3 == 0) p.extras["team"] = "T" + std::to_string(i);
  if (i % 4 != 0) pipe.pool().add(group, RecordKind::request).set("request_ref", "R" + std::to_string(i));
  std::string raw = "raw " + std::to_string(i);
  pipe.write(group, raw);
}

// What group i must hold, as text (as described() writes it).
std::string expected(int i) {
  const std::string n = std::to_string(i);
  std::string out = "person person_ref=P" + n;
  if (i % 2 == 1) out += " surname=S" + n;
  out += " line=" + n + " key@" + n;
  if (i % 2 == 1) out += " surname@" + n;
  if (i % 3 == 0) out += " team=T" + n;
  if (i % 4 != 0) out += "; request request_ref=R" + n + " line=0 key@0";
  return out + " raw " + n;
}

// A group as the host is given it: each record's values, line, the lines of its key and
// surname, its extras; STALE for any other part that is not blank.
std::string described(const std::vector<Record>& group, std::string_view raw) {
  std::string out;
  for (const auto& r : group) {
    if (!out.empty()) out += "; ";
    const auto& fields = r.kind_spec().fields;
    out += std::string(r.kind_spec().name);
    for (std::size_t f = 0; f < r.size(); ++f)
      if (!r.at(f).empty()) out += " " + std::string(fields[f].name) + "=" + r.at(f);
    out += " line=" + std::to_string(r.origin.line) + " key@" + std::to_string(r.line_of(fields[0].name));
    if (r.kind() == RecordKind::person && !r.get("surname").empty()) out += " surname@" + std::to_string(r.line_of("surname"));
    for (const auto& [name, value] : r.extras) out += " " + name + "=" + value;
    if (!r.origin.file.empty() || !r.origin.path.empty() || !r.source.empty() || !r.person_key.empty() ||
        !r.case_key.empty() || r.return_year != 0 || r.run_id != 0)
      out += " STALE";
  }
  return out + " " + std::string(raw);
}

// Keeps what it is given, then dirties every part of each record, as no host does, so that a
// record used again without a reset shows it.
class RecordingContext final : public HostImpl<SourceContext> {
 public:
  explicit RecordingContext(std::chrono::microseconds per_write)
      : HostImpl(HostServices{"pipe", nullptr, SENDHUB_SOURCE_DIR "/schemas", "351"}), per_write_(per_write) {}
  bool begin_file(const std::string&) override { return true; }
  bool begin_files(const std::vector<std::string>&) override { return true; }
  void end_file() override {}
  void retire_file(const std::string&) override {}
  bool write(std::vector<Record>& group, std::string_view raw) override {
    seen.push_back(described(group, raw));
    for (auto& r : group) {
      for (std::size_t f = 0; f < r.size(); ++f) r.set_at(f, "dirty");
      r.set(r.kind_spec().fields[0].name, "dirty", 99);
      r.extras["dirty"] = "dirty";
      r.origin = Where{"dirty.csv", 99, "/dirty"};
      r.source = r.person_key = r.case_key = "dirty";
      r.return_year = 1999;
      r.run_id = 9;
    }
    std::this_thread::sleep_for(per_write_);
    return true;
  }
  void quarantine(const Error&, std::string_view) override {}
  void quarantine(std::vector<Record>&, const Error&, std::string_view) override {}
  void replaced() override {}
  void query(const Error&) override {}
  std::string state(std::string_view) const override { return ""; }
  void set_state(std::string_view, std::string) override {}

  std::vector<std::string> seen;

 private:
  std::chrono::microseconds per_write_;
};

// Runs kGroups groups through a pipe, the parsing side pausing per_group after each.
std::size_t run_pipe(RecordingContext& ctx, std::chrono::microseconds per_group) {
  plugin_support::HostPipe pipe(ctx);
  pipe.run([&](plugin_support::HostPipe& p) {
    std::vector<Record> group;
    for (int i = 0; i < kGroups; ++i) {
      produce_group(p, group, i);
      std::this_thread::sleep_for(per_group);
    }
  });
  return pipe.host_reset_calls();
}

void expect_every_group_as_made(const RecordingContext& ctx) {
  ASSERT_EQ(ctx.seen.size(), static_cast<std::size_t>(kGroups));
  for (int i = 0; i < kGroups; ++i) EXPECT_EQ(ctx.seen[static_cast<std::size_t>(i)], expected(i)) << "group " << i;
}

TEST(HostPipe, WhileParsingSetsThePaceTheHostResetsTheRecordsAndNothingStaleComesBack) {
  RecordingContext ctx(std::chrono::microseconds(0));
  const std::size_t reset = run_pipe(ctx, std::chrono::microseconds(300));
  expect_every_group_as_made(ctx);
  // Each batch is made long before parsing queues the next: the host resets nearly every call.
  EXPECT_GE(reset, static_cast<std::size_t>(kGroups) / 2) << "the host waited for parsing, yet left the resetting to it";
}

TEST(HostPipe, WhileTheHostSetsThePaceParsingResetsTheRecordsAndNothingStaleComesBack) {
  RecordingContext ctx(std::chrono::microseconds(300));
  const std::size_t reset = run_pipe(ctx, std::chrono::microseconds(0));
  expect_every_group_as_made(ctx);
  // Parsing runs four batches ahead of a slow host, so a batch is queued whenever the host is
  // done with one, and the host resets nothing, but for the last batch (nothing follows it) and
  // at most one at the start, should the parsing thread not have been scheduled yet.
  EXPECT_LE(reset, 2u * 64);
}

}  // namespace
}  // namespace sendhub
