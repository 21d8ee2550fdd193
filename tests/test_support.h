// test_support.h: temporary folders, files, running the sendhub binary and looking into its store.
#pragma once

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace sendhub::test {

inline void write_file(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// ASCII as UTF-16 with its byte-order mark, one unit a character; "\x01" stands for U+1F600,
// a surrogate pair (D83D DE00).
inline std::string utf16(const std::string& ascii_and_pair, bool little_endian) {
  std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  auto unit = [&](unsigned hi, unsigned lo) {
    out += little_endian ? std::string{static_cast<char>(lo), static_cast<char>(hi)}
                         : std::string{static_cast<char>(hi), static_cast<char>(lo)};
  };
  for (const char c : ascii_and_pair) {
    if (c == '\x01') unit(0xD8, 0x3D), unit(0xDE, 0x00);
    else unit(0, static_cast<unsigned char>(c));
  }
  return out;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Result {
  int code = -1;
  std::string output;   // stdout and stderr together
};

// Runs a shell command line; collects its output and exit code.
inline Result run(const std::string& command) {
  Result r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The file's SHA-256 in hex, by the system's sha256sum: a check independent of the hub's own.
inline std::string sha256sum(const std::string& file) { return run("sha256sum " + file).output.substr(0, 64); }

inline Result sendhub(const std::string& args) { return run(std::string(SENDHUB_BINARY) + " " + args); }

// The deterministic synthetic council, generated into dir/sen2/.
inline void generate_sample(const std::string& dir, int children = 120, bool clean = false,
                            const std::string& years = "2024,2025,2026") {
  auto r = run("python3 " SENDHUB_SOURCE_DIR "/scripts/gen_sample.py --out " + dir + " --children " +
               std::to_string(children) + (clean ? " --clean" : "") + " --years " + years);
  if (r.code != 0) throw std::runtime_error("sample generator failed: " + r.output);
}

// A hub configuration in dir/hub.json: the given sources and sinks (JSON arrays).
inline std::string write_config(const TempDir& dir, const std::string& sources,
                                const std::string& sinks = "[]", const std::string& extra = "") {
  std::string path = dir / "hub.json";
  write_file(path, "{\"store\": {\"path\": \"store/sendhub.db\"}, \"la\": {\"code\": \"351\"},"
                   " \"plugins_dir\": \"" SENDHUB_TEST_PLUGIN_DIR "\", \"schemas_dir\": \"" SENDHUB_SOURCE_DIR
                   "/schemas\"," + extra + " \"sources\": " + sources + ", \"sinks\": " + sinks + "}");
  return path;
}

// The demo (config/ copied into dir, pointed at this build's plugins and schemas) on a
// sample council of `children` generated into dir/var/sample; returns the configuration.
inline std::string demo_config(const TempDir& dir, int children) {
  std::filesystem::copy(SENDHUB_SOURCE_DIR "/config", dir / "config", std::filesystem::copy_options::recursive);
  generate_sample(dir / "var/sample", children);
  const std::string path = dir / "config/demo.json";
  std::string cfg = read_file(path);
  cfg.replace(cfg.find("\"sources\""), 0, "\"plugins_dir\": \"" SENDHUB_TEST_PLUGIN_DIR "\", \"schemas_dir\": \""
                                         SENDHUB_SOURCE_DIR "/schemas\", ");
  write_file(path, cfg);
  return path;
}

// One round's change to the case-management people: some move house, some get a disability
// recorded, and (round 3) some leave the export, which moves every row after them: their values
// did not change, but the lines reports name did (record_rows.h, moved_within_file).
inline void change_people(const std::string& file, int round) {
  std::istringstream in(test::read_file(file));
  std::string out, line;
  for (int i = 0; std::getline(in, line); ++i) {
    if (i > 0 && i % 9 == round) {
      if (round == 3) continue;
      std::vector<std::string> f;
      std::stringstream cells(line);
      for (std::string c; std::getline(cells, c, ',');) f.push_back(c);
      if (f.size() > 11) {
        f[6] = "bl9 9z" + std::string(1, static_cast<char>('a' + round));
        f[11] = round % 2 ? "Yes" : "No";
      }
      line.clear();
      for (std::size_t c = 0; c < f.size(); ++c) line += (c ? "," : "") + f[c];
    }
    out += line + "\n";
  }
  test::write_file(file, out);
}

// Every output file under dir, by its path below dir -> its bytes, with the return's DateTime
// (the moment it was written) and every mention of `root` (the readiness reports name input
// files) left out: what two runs in different folders must agree on.
inline std::map<std::string, std::string> output_files(const std::string& dir, const std::string& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string bytes = read_file(e.path().string());
    if (const auto at = bytes.find("<DateTime>"); at != std::string::npos) bytes.erase(at, bytes.find("</DateTime>") - at);
    for (auto at = bytes.find(root); at != std::string::npos; at = bytes.find(root)) bytes.erase(at, root.size());
    out[std::filesystem::relative(e.path(), dir).string()] = bytes;
  }
  return out;
}

// Runs one SQL statement on a store file through a connection of its own; the first column of
// its rows as text, one a line ("" for none, and for a statement that returns no rows).
inline std::string sql_text(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK)
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(st, 0);
      out += (out.empty() ? "" : "\n") + std::string(t ? reinterpret_cast<const char*>(t) : "");
    }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

}  // namespace sendhub::test
