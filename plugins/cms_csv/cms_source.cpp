#include "cms_source.h"

#include <fstream>
#include <sstream>

#include "csv_parser.h"
#include "mapping_profile.h"
#include "row_mapper.h"
#include "text_encoding.h"

namespace cms {
namespace {

using sendhub::Error;
using sendhub::Where;

std::string read_bytes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void read_file(sendhub::SourceContext& ctx, const Profile& profile, const std::string& file) {
  ctx.begin_file(file);
  Decoded text;
  try {
    text = decode(read_bytes(file), profile.encoding);
  } catch (const std::runtime_error& e) {
    return ctx.quarantine(Error(Where{file, 0, ""}, "", "csv.encoding", e.what()), "");
  }
  CsvParser parser(text.text, profile.delimiter);
  try {
    std::optional<CsvRow> header;
    for (int i = 0; i < profile.header_row; ++i) header = parser.next();
    if (!header) return ctx.quarantine(Error(Where{file, 0, ""}, "", "csv.header", "the file has no header row"), "");
    RowMapper mapper(profile, *header, file, ctx);
    while (auto row = parser.next()) {
      auto mapped = mapper.map(*row);
      if (mapped.problem)
        ctx.quarantine(mapped.records, *mapped.problem, row->raw);
      else
        ctx.write(mapped.records, row->raw);
    }
  } catch (const CsvProblem& p) {
    return ctx.quarantine(Error(Where{file, p.line, ""}, "", "csv.quote", p.message), "");
  } catch (const Error& e) {
    if (e.rule() != "csv.column") throw;
    return ctx.quarantine(e, "");  // the whole file: its earlier rows stay
  }
  ctx.end_file();
}

}  // namespace

void CmsSource::check(const sendhub::Settings& settings) { load_profile(settings.path("profile")); }

void CmsSource::read(sendhub::SourceContext& ctx) {
  const Profile profile = load_profile(ctx.settings().path("profile"));
  auto files = ctx.settings().glob("path");
  if (files.empty())
    throw Error(Where{ctx.settings().path("path"), 0, ""}, "path", "input.missing", "no file matches");
  for (const auto& file : files) read_file(ctx, profile, file);
}

}  // namespace cms
