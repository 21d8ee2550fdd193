// extract_sink.cpp: the pseudonymised extract of privacy.md §6, for pooling with other
// councils and for analysts. One CSV per record kind of the linked dataset (person.csv,
// request.csv, ... advice.csv), every row keyed by person_key and case_key, with names,
// identifiers and free text left out, birth dates to the month and postcodes to the
// sector (pseudonymiser.h). The dataset is streamed person by person, each file written in
// 64 KiB blocks; the files appear together, and only when all are whole.
#include <array>
#include <memory>

#include "part_bytes.h"
#include "pseudonymiser.h"
#include "sendhub/csv.h"
#include "sendhub/plugin.h"

namespace pseudo {
namespace {

using sendhub::RecordKind;

class ExtractFile {
 public:
  ExtractFile(sendhub::SinkContext& ctx, const std::string& path, const std::vector<Column>& columns)
      : out_(ctx.create_output(path)) {
    buffer_ = "person_key,case_key";
    for (const Column& c : columns) buffer_.append(",").append(c.name);
    buffer_ += "\r\n";
  }
  // One row as its parts: the CSV fields before the case key, the case key, and the rest.
  void add(std::string_view head, std::string_view case_key, std::string_view tail) {
    buffer_.append(head);
    sendhub::csv::append_field(buffer_, case_key);
    buffer_.append(tail);
    ++rows_;
    if (buffer_.size() >= kBlock) flush();
  }
  void commit() {
    flush();
    out_->commit();
  }
  std::int64_t rows() const { return rows_; }

 private:
  static constexpr std::size_t kBlock = 65536;
  void flush() {
    out_->write(buffer_);
    buffer_.clear();
  }
  std::unique_ptr<sendhub::OutputFile> out_;
  std::string buffer_;
  std::int64_t rows_ = 0;
};

// A person's rows: whether they are linked, then per row its file and its CSV text around the
// case key (person_key first, the pseudonymised columns after).
std::string part_of(const Pseudonymiser& table, const sendhub::PersonGroup& group) {
  plugin_support::PartWriter out;
  out.number(group.person_key.empty() ? 0 : 1);
  for (const auto& r : group.records) {
    if (!Pseudonymiser::extracted(r.kind())) continue;
    const std::vector<std::string> row = table.row(r, r.case_key);
    std::string head, tail;
    sendhub::csv::append_field(head, row[0]);
    head += ',';
    for (std::size_t i = 2; i < row.size(); ++i) {
      tail += ',';
      sendhub::csv::append_field(tail, row[i]);
    }
    tail += "\r\n";
    out.number(static_cast<std::uint64_t>(r.kind())).text(head).text(row[1]).text(tail);
  }
  return out.take();
}

class ExtractSink final : public sendhub::Sink {
 public:
  void write(sendhub::SinkContext& ctx) override {
    const Pseudonymiser table(ctx.schemas_dir());
    const std::string dir = ctx.settings().path("out");
    std::array<std::unique_ptr<ExtractFile>, sendhub::kKinds.size()> files;
    for (const auto& spec : sendhub::kKinds)
      if (Pseudonymiser::extracted(spec.kind))
        files[slot(spec.kind)] = std::make_unique<ExtractFile>(ctx, dir + "/" + std::string(spec.name) + ".csv",
                                                               table.columns(spec.kind));
    std::int64_t people = 0, unlinked = 0;
    // A person's rows are kept between runs (each_person_part): after a night's change only the
    // people who changed are pseudonymised again. An unlinked case's key names its source's
    // reference, so it is numbered in the walk's order instead (each comes alone): its part leaves
    // the case key to the walk.
    ctx.each_person_part(
        {}, "", [&](sendhub::PersonGroup& group) { return part_of(table, group); },
        [&](std::string_view part) {
          plugin_support::PartReader in(part);
          const bool linked = in.number() == 1;
          const std::string case_key = linked ? "" : "unlinked-" + std::to_string(++unlinked);
          if (linked) ++people;
          while (!in.done()) {
            const std::uint64_t kind = in.number();
            if (kind >= files.size()) plugin_support::PartReader::fail("names no record kind");
            auto& f = files[kind];
            const std::string_view head = in.text(), key = in.text(), tail = in.text();
            if (f) f->add(head, linked ? key : case_key, tail);
          }
        });
    std::string counts;
    for (const auto& spec : sendhub::kKinds)
      if (auto& f = files[slot(spec.kind)]) {
        f->commit();
        counts += ", " + std::to_string(f->rows()) + " " + std::string(spec.name);
      }
    ctx.note(std::to_string(people) + " people, " + std::to_string(unlinked) + " unlinked cases" + counts);
  }

 private:
  static std::size_t slot(RecordKind kind) { return static_cast<std::size_t>(kind); }
};

void register_connectors(sendhub::Registry& registry) {
  sendhub::ConnectorInfo info;
  info.name = "pseudonymised_extract";
  info.version = "1.0.0";
  info.description = "the linked dataset with names and identifiers removed, birth dates to the month and postcodes "
                     "to the sector (privacy.md §6): one CSV per record kind, for pooling and analysts";
  info.sink_keys = {
      {"out", "path", true, "", false, "folder for person.csv, request.csv, ... advice.csv (one per record kind)"}};
  info.make_sink = [] { return std::make_unique<ExtractSink>(); };
  registry.add(std::move(info));
}

}  // namespace
}  // namespace pseudo

SENDHUB_PLUGIN(pseudo::register_connectors)
