#include "list_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "sendhub/csv.h"

namespace inspection {
namespace {

lxw_worksheet* sheet_of(void* p) { return static_cast<lxw_worksheet*>(p); }

using sendhub::csv::row_of;

}  // namespace

ListWriter::ListWriter(sendhub::SinkContext& ctx, const std::string& base, std::vector<std::string> headings,
                       const std::string& sheet, std::time_t created)
    : ctx_(ctx), base_(base), headings_(std::move(headings)) {
  csv_ = ctx_.create_output(base_ + ".csv");
  block_ = row_of(headings_);
  // The workbook's own file: private, beside the target, named so nobody mistakes it.
  const std::string dir = std::filesystem::path(base_).parent_path().string();
  std::filesystem::create_directories(dir);
  std::string tmpl = dir + "/.sendhub-list-XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw sendhub::Error(sendhub::Where{dir, 0, ""}, "out", "io", "cannot create a temporary file for the workbook");
  ::close(fd);
  tmp_ = tmpl;
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = const_cast<char*>(dir.c_str());
  lxw_workbook* wb = workbook_new_opt(tmp_.c_str(), &options);
  if (!wb) throw sendhub::Error(sendhub::Where{tmp_, 0, ""}, "out", "io", "libxlsxwriter could not start the workbook");
  workbook_ = wb;
  // Dated by the list's date, not the clock: the same data gives the same bytes, so an unchanged
  // list is not rewritten (and a pooled run writes what a single council's does).
  lxw_doc_properties properties{};
  properties.created = created;
  workbook_set_properties(wb, &properties);
  sheet_ = workbook_add_worksheet(wb, sheet.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (std::size_t c = 0; c < headings_.size(); ++c) {
    worksheet_write_string(sheet_of(sheet_), 0, static_cast<lxw_col_t>(c), headings_[c].c_str(), bold);
    worksheet_set_column(sheet_of(sheet_), static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 18, nullptr);
  }
  worksheet_freeze_panes(sheet_of(sheet_), 1, 0);
}

ListWriter::~ListWriter() {
  if (workbook_) workbook_close(static_cast<lxw_workbook*>(workbook_));   // an abandoned list: its file goes below
  if (!tmp_.empty()) std::remove(tmp_.c_str());
}

void ListWriter::add(const ListRow& row) {
  std::vector<std::string> fields;
  ++rows_;
  for (std::size_t c = 0; c < headings_.size(); ++c) {
    fields.push_back(row.at(headings_[c]).value);
    // Every cell as text: UPNs and URNs keep their leading zeros, dates their DD/MM/YYYY.
    if (!fields.back().empty())
      worksheet_write_string(sheet_of(sheet_), static_cast<lxw_row_t>(rows_), static_cast<lxw_col_t>(c), fields.back().c_str(), nullptr);
  }
  block_ += row_of(fields);
  if (block_.size() >= 65536) {
    csv_->write(block_);
    block_.clear();
  }
}

void ListWriter::commit() {
  csv_->write(block_);
  block_.clear();
  csv_->commit();
  const lxw_error e = workbook_close(static_cast<lxw_workbook*>(workbook_));
  workbook_ = nullptr;
  if (e != LXW_NO_ERROR)
    throw sendhub::Error(sendhub::Where{base_ + ".xlsx", 0, ""}, "out", "io", std::string("the workbook: ") + lxw_strerror(e));
  auto xlsx = ctx_.create_output(base_ + ".xlsx");
  std::ifstream in(tmp_, std::ios::binary);
  std::string chunk(1 << 16, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0)
    xlsx->write(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
  xlsx->commit();
}

}  // namespace inspection
