// list_writer.h: one inspection list written as it is built, row by row, as CSV (sendhub/csv.h)
// and as .xlsx (libxlsxwriter in its constant-memory mode: each row goes to disk as written),
// with the list's headings first; neither takes its name until commit(). The workbook is made
// in a private temporary file beside the target (0600), then handed to the host's output file,
// so the list is written only whole, only 0600, and memory does not grow with it.
#pragma once

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "list_row.h"

namespace inspection {

class ListWriter {
 public:
  // base: the path without extension ("out/list1_ehc_plans").
  // created: the workbook's date (the list's, as seconds since 1970), so the bytes follow the data.
  ListWriter(sendhub::SinkContext& ctx, const std::string& base, std::vector<std::string> headings, const std::string& sheet,
             std::time_t created);
  ~ListWriter();
  ListWriter(const ListWriter&) = delete;
  ListWriter& operator=(const ListWriter&) = delete;
  void add(const ListRow& row);
  long rows() const { return rows_; }
  void commit();   // both files are whole; the host publishes them with the sink's other outputs

 private:
  sendhub::SinkContext& ctx_;
  std::string base_, tmp_;
  std::vector<std::string> headings_;
  std::unique_ptr<sendhub::OutputFile> csv_;
  std::string block_;
  void* workbook_ = nullptr;
  void* sheet_ = nullptr;
  long rows_ = 0;
};

}  // namespace inspection
