#include "cms_source.h"

#include <algorithm>
#include <functional>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_set>

#include "census_order.h"
#include "csv_parser.h"
#include "host_pipe.h"
#include "mapping_profile.h"
#include "profile_suggest.h"
#include "row_mapper.h"
#include "text_fold.h"
#include "text_encoding.h"
#include "text_reader.h"

namespace cms {
namespace {

using sendhub::Error;
using sendhub::Where;


// The headers of row `header_row`, and the first of the file's first rows that holds every
// mapped column (0 when none does): what a wrong header_row or a renamed column looks like.
std::string header_help(const Profile& profile, TextReader reader) {
  CsvParser parser(reader, profile.delimiter);
  std::string found;
  int suggest = 0;
  for (int row = 1; row <= 10; ++row) {
    std::optional<CsvRow> r;
    try {
      r = parser.next();
    } catch (const CsvProblem&) {  // an unclosed quote below the header: stop looking there
      break;
    }
    if (!r) break;
    std::set<std::string> have;
    for (const auto& f : r->fields) have.insert(fold(f));
    if (row == profile.header_row)
      for (const auto& f : r->fields) found += (found.empty() ? "" : ", ") + f;
    const bool all = std::all_of(profile.fields.begin(), profile.fields.end(),
                                 [&](const FieldMap& m) {
                                   if (!m.column_pattern) return have.count(fold(m.column)) > 0;
                                   return std::any_of(have.begin(), have.end(), [&](const std::string& h) {
                                     return std::regex_search(h, *m.column_pattern);
                                   });
                                 });
    if (all && !suggest) suggest = row;
  }
  std::string out = "; row " + std::to_string(profile.header_row) + " holds: " + found;
  if (suggest && suggest != profile.header_row) out += "; every mapped column is on row " + std::to_string(suggest) +
                                                       ": set header_row to " + std::to_string(suggest);
  return out;
}

// A problem with the whole file (encoding, an unclosed quote, a missing column) fails the
// source: its transaction rolls back and the run exits 3 with the reason, rather than
// counting the file as one quarantined record. The encoding is known before the first row is
// read (text_reader.h), so no row of a file that fails it is written.
TextReader open_text(const Profile& profile, const std::string& file) {
  try {
    return TextReader(file, profile.encoding);
  } catch (const Error&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw Error(Where{file, 0, ""}, "encoding", "csv.encoding", e.what());
  }
}

CsvRow header_of(CsvParser& parser, const Profile& profile, const std::string& file) {
  std::optional<CsvRow> header;
  for (int i = 0; i < profile.header_row; ++i) header = parser.next();
  if (!header) throw Error(Where{file, 0, ""}, "header_row", "csv.header", "the file has no header row");
  return *header;
}

// What read() would stop at before its first row: the encoding, the header row, the mapped
// columns. For `sendhub check`.
void probe_file(const Profile& profile, const std::string& file) {
  TextReader text = open_text(profile, file);
  CsvParser parser(text, profile.delimiter);
  try {
    mapped_columns(profile, header_of(parser, profile, file), file);
  } catch (const CsvProblem& p) {
    throw Error(Where{file, p.line, ""}, "", "csv.quote", p.message);
  } catch (const Error& e) {
    if (e.rule() != "csv.column") throw;
    throw Error(e.where(), e.field(), e.rule(), e.message() + header_help(profile, open_text(profile, file)));
  }
}

// A census file may hold several census dates: its pupil's person is given by the first row that
// holds the pupil (of an older file, the host counts it as replaced by the latest census's). Where
// that row is quarantined, the person stands as last stored, as any quarantined record does, and
// the later rows give the pupil alone (before, they were quarantined as duplicates of the person).
// Rows are parsed and mapped on a second thread (host_pipe.h) while this one stores the rows
// before them: the store's writes were two thirds of the stage, the parsing and mapping the
// rest, one after the other on one core. The mapper's dates go through the host's date
// parser, a pure function (no state, no store) and so safe on the parsing thread.
void read_rows(sendhub::SourceContext& ctx, const Profile& profile, const std::string& file) {
  TextReader text = open_text(profile, file);
  CsvParser parser(text, profile.delimiter);
  try {
    RowMapper mapper(profile, header_of(parser, profile, file), file, ctx);
    plugin_support::HostPipe host(ctx);
    host.run([&](plugin_support::HostPipe& pipe) {
      std::unordered_set<std::string> persons;
      RowMapper::Mapped mapped;
      while (auto row = parser.next()) {
        mapper.map(*row, mapped, pipe.pool());
        for (const auto& [field, value] : mapped.unmapped) pipe.unmapped(field, value);
        const bool census = mapped.records.front().kind() == sendhub::RecordKind::pupil;
        if (census && !persons.insert(mapped.records.front().get("person_ref")).second)
          mapped.records.pop_back();   // the person, given (or kept) already
        if (mapped.problem) pipe.quarantine(mapped.records, *mapped.problem, row->raw);
        else pipe.write(mapped.records, row->raw);
      }
    });
  } catch (const CsvProblem& p) {
    throw Error(Where{file, p.line, ""}, "", "csv.quote", p.message);
  } catch (const Error& e) {
    if (e.rule() != "csv.column") throw;
    throw Error(e.where(), e.field(), e.rule(), e.message() + header_help(profile, open_text(profile, file)));
  }
}

// A source's files are one input, read again together when any changed or holds a quarantined
// row, the latest first: censuses by census date (census_order.h), exports by name, the last
// first (people_2026-12.csv before people_2026-11.csv). The host keeps a record from the first
// file that gives it and counts an older file's copy as replaced, so the latest export's details
// stand whichever file is read again. Read one by one, an older export re-read alone for its
// quarantined row put its older details back over the newer file's, which was skipped as
// unchanged: a rerun on unchanged inputs changed the data.
std::vector<std::string> latest_first(const Profile& profile, std::vector<std::string> files,
                                      const sendhub::HostContext& host) {
  if (profile.record == sendhub::RecordKind::pupil) return latest_census_first(profile, files, host);
  std::sort(files.begin(), files.end(), std::greater<>());
  return files;
}

void read_files(sendhub::SourceContext& ctx, const Profile& profile, const std::vector<std::string>& files) {
  if (!ctx.begin_files(files)) return;   // none changed since read whole: their records stand
  for (const auto& file : latest_first(profile, files, ctx)) read_rows(ctx, profile, file);
  ctx.end_file();
}

}  // namespace

void CmsSource::check(const sendhub::Settings& settings) { load_profile(settings.path("profile")); }

void CmsSource::probe(const sendhub::Settings& settings) {
  const Profile profile = load_profile(settings.path("profile"));
  std::string problems;  // every file's, not just the first
  for (const auto& file : settings.glob("path")) {
    if (!std::filesystem::is_regular_file(file)) continue;  // the host's check says so
    try {
      probe_file(profile, file);
    } catch (const Error& e) {
      problems += (problems.empty() ? "" : "; ") + e.describe();
    }
  }
  if (!problems.empty()) throw Error(problems);
}

std::string CmsSource::suggest(const std::string& file, const std::string& record, const sendhub::HostContext& host) {
  return suggest_profile(file, record, host);
}

void CmsSource::read(sendhub::SourceContext& ctx) {
  const Profile profile = load_profile(ctx.settings().path("profile"));
  auto files = ctx.settings().glob("path");
  if (files.empty())
    throw Error(Where{ctx.settings().path("path"), 0, ""}, "path", "input.missing", "no file matches");
  read_files(ctx, profile, files);
}

}  // namespace cms
