#include "store/pg/pg_resolved.h"

#include "store/pg/pg_dataset.h"

namespace sendhub::pg {
namespace {

bool kept(RecordKind kind) { return kind != RecordKind::la_return; }   // a return's header is no one's

std::string table_of(const KindSpec& k) { return "resolved_" + std::string(k.name); }

std::string columns_of(const KindSpec& k) {
  std::string out = "record_no, person_key, case_key";
  for (const auto& f : k.fields) out += ", " + std::string(f.name);
  return out;
}

}  // namespace

// The rows are read (each_group, its own snapshot transaction) while they are staged, so the
// staging is not one transaction: temporary tables, private to this connection, hold them.
ResolvedWriter::ResolvedWriter(Db& db) : db_(db) {
  for (const auto& k : kKinds) {
    if (!kept(k.kind)) continue;
    const std::string stage = "stage_" + table_of(k);
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS " + stage + " AS SELECT " + columns_of(k) + " FROM " + table_of(k) +
             " WITH NO DATA; TRUNCATE " + stage);
    stages_[static_cast<std::size_t>(k.kind)] =
        std::make_unique<Appender>(db_, "COPY " + stage + " (" + columns_of(k) + ") FROM STDIN");
  }
}

ResolvedWriter::~ResolvedWriter() = default;

void ResolvedWriter::add(const Record& record, const std::string& person_key, const std::string& case_key) {
  auto& stage = stages_[static_cast<std::size_t>(record.kind())];
  if (!stage) return;
  std::vector<Param> row{std::to_string(++record_no_), person_key, case_key};
  const auto& fields = spec(record.kind()).fields;
  for (std::size_t i = 0; i < fields.size(); ++i) row.push_back(text_or_null(record.at(i)));
  stage->add(std::move(row));
  if (stage->queued() >= kBatch) stage->flush();
}

void ResolvedWriter::commit(const std::string& mark) {
  for (const auto& k : kKinds)
    if (kept(k.kind)) stages_[static_cast<std::size_t>(k.kind)]->flush();
  in_transaction(db_, [&] { replace(mark); });
  std::vector<std::string> tables;
  for (const auto& k : kKinds)
    if (kept(k.kind)) tables.push_back(table_of(k));
  analyze(db_, tables, record_no_);   // every row is written again
}

void ResolvedWriter::replace(const std::string& mark) {
  for (const auto& k : kKinds) {
    if (!kept(k.kind)) continue;
    const std::string table = table_of(k), columns = columns_of(k);
    db_.exec("DELETE FROM " + table + "; INSERT INTO " + table + " (council, " + columns + ") SELECT " + kCouncilOnce + ", " +
             columns + " FROM stage_" + table + "; TRUNCATE stage_" + table);
  }
  db_.query("INSERT INTO dataset_state(key, value) VALUES ('resolved_mark', $1) "
            "ON CONFLICT (council, key) DO UPDATE SET value = excluded.value", {mark});
}

}  // namespace sendhub::pg
