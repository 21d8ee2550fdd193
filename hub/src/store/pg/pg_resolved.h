// store/pg_resolved.h: the pool's copy of a council's resolved dataset (schemas/pg/
// 002_resolved.sql). Rows go by COPY to temporary tables a batch at a time (COPY cannot write
// a table with row-level security) and replace the council's rows in one transaction at
// commit, so readers see the old copy or the new one, never half.
#pragma once

#include <array>
#include <memory>

#include "store/pg/pg_db.h"
#include "store/pg/pg_rows.h"
#include "store/store.h"

namespace sendhub::pg {

class ResolvedWriter final : public Store::ResolvedWriter {
 public:
  explicit ResolvedWriter(Db& db);
  ~ResolvedWriter() override;
  ResolvedWriter(const ResolvedWriter&) = delete;
  ResolvedWriter& operator=(const ResolvedWriter&) = delete;

  void add(const Record& record, const std::string& person_key, const std::string& case_key) override;
  void commit(const std::string& mark) override;

 private:
  void replace(const std::string& mark);
  static constexpr std::size_t kBatch = 5000;
  Db& db_;
  std::array<std::unique_ptr<Appender>, kKinds.size()> stages_;
  std::int64_t record_no_ = 0;
};

}  // namespace sendhub::pg
