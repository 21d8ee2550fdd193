// extract_sink.cpp: the pseudonymised extract of privacy.md §6, for pooling with other
// councils and for analysts. One CSV per record kind of the linked dataset (person.csv,
// request.csv, ... advice.csv), every row keyed by person_key and case_key, with names,
// identifiers and free text left out, birth dates to the month and postcodes to the
// sector (pseudonymiser.h). The dataset is streamed person by person, each file written in
// 64 KiB blocks; the files appear together, and only when all are whole.
#include <array>
#include <memory>

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
  void add(const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) buffer_ += ',';
      sendhub::csv::append_field(buffer_, row[i]);
    }
    buffer_ += "\r\n";
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
    ctx.each_person({}, [&](sendhub::PersonGroup& group) {
      // A linked case's key is the person_key and a date; an unlinked case's names its
      // source's reference, so here it is numbered instead (each comes alone).
      std::string unlinked_case;
      if (group.person_key.empty()) unlinked_case = "unlinked-" + std::to_string(++unlinked);
      else ++people;
      for (const auto& r : group.records)
        if (auto& f = files[slot(r.kind())]) f->add(table.row(r, unlinked_case.empty() ? r.case_key : unlinked_case));
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
