// pg_pool.h: a throwaway regional pool for a test, on the PostgreSQL server scripts/test.sh
// starts (scripts/pg_test_server.sh): its own database, migrated by the server's owner role
// (the pool's administrator), and council roles registered in it. Dropped afterwards.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "store/pg/pg_db.h"
#include "store/store.h"
#include "test_support.h"

namespace sendhub::test {

// The server's conninfo, or "" when there is none (the caller skips; CI must have one).
inline std::string pg_server() {
  const char* conninfo = std::getenv("SENDHUB_TEST_PG");
  return conninfo ? conninfo : "";
}

#define SENDHUB_REQUIRE_PG()                                                                                  \
  do {                                                                                                        \
    if (::sendhub::test::pg_server().empty()) {                                                               \
      if (std::getenv("CI")) FAIL() << "CI runs the PostgreSQL tests: run them through scripts/test.sh";      \
      GTEST_SKIP() << "no PostgreSQL test server: scripts/test.sh starts one (scripts/pg_test_server.sh)";    \
    }                                                                                                         \
  } while (0)

class TestPool {
 public:
  static constexpr const char* kAdminPassword = "SENDHUB_TEST_PG_PASSWORD";
  static constexpr const char* kCouncilPassword = "SENDHUB_TEST_COUNCIL_PASSWORD";

  explicit TestPool(const std::string& schemas_dir) : server_(pg_server()), name_(unique("sendhub_pool")) {
    ::setenv(kCouncilPassword, "council-test-password", 0);
    pg::Db admin(server_, kAdminPassword);
    admin.exec("CREATE DATABASE " + name_);
    migrate_pg_pool(admin_conninfo(), kAdminPassword, schemas_dir);
  }
  ~TestPool() {
    try {
      pg::Db admin(server_, kAdminPassword);
      admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      for (const auto& role : roles_) admin.exec("DROP ROLE IF EXISTS " + role);
    } catch (...) {  // the server is gone: nothing left to drop
    }
  }
  TestPool(const TestPool&) = delete;
  TestPool& operator=(const TestPool&) = delete;

  std::string admin_conninfo() const { return server_ + " dbname=" + name_; }
  // A new login role registered as the council `code`; its conninfo (password: kCouncilPassword).
  std::string council(const std::string& code) {
    const std::string role = unique("council_" + code);
    pg::Db admin(admin_conninfo(), kAdminPassword);
    admin.exec("CREATE ROLE " + role + " LOGIN PASSWORD '" + std::getenv(kCouncilPassword) + "'");
    roles_.push_back(role);
    admin.query("SELECT sendhub_add_council($1, $2)", {role, code});
    return server_ + " dbname=" + name_ + " user=" + role;
  }
  std::string login_role(const std::string& prefix) {   // a role that is no council
    const std::string role = unique(prefix);
    pg::Db admin(admin_conninfo(), kAdminPassword);
    admin.exec("CREATE ROLE " + role + " LOGIN PASSWORD '" + std::getenv(kCouncilPassword) + "'");
    roles_.push_back(role);
    return server_ + " dbname=" + name_ + " user=" + role;
  }
  std::string reader() {   // a role that is a pool reader
    const std::string conninfo = login_role("reader");
    pg::Db(admin_conninfo(), kAdminPassword).exec("GRANT sendhub_pool_reader TO " + conninfo.substr(conninfo.rfind('=') + 1));
    return conninfo;
  }
  std::unique_ptr<Store> open(const std::string& conninfo, const std::string& schemas_dir) {
    return open_pg_store(conninfo, kCouncilPassword, schemas_dir);
  }

 private:
  static std::string unique(const std::string& prefix) {
    static std::atomic<int> n{0};
    std::string name = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));   // as SQL folds it
    return name;
  }
  std::string server_, name_;
  std::vector<std::string> roles_;
};

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
  return s;
}

// demo_config's configuration with the pool as its store (a role's conninfo) and its outputs
// under pool/ instead of var/: config/pool.json.
inline std::string pool_demo_config(const TempDir& dir, const std::string& config, const std::string& conninfo) {
  std::string cfg = read_file(config);
  cfg = replace_all(cfg, "{ \"kind\": \"sqlite\", \"path\": \"../var/sendhub.db\" }",
                    "{ \"kind\": \"postgresql\", \"conninfo\": \"" + conninfo + "\", \"password_env\": \"" +
                        TestPool::kCouncilPassword + "\", \"dir\": \"../pool\" }");
  cfg = replace_all(replace_all(cfg, "../var/out", "../pool/out"), "../var/sendhub.log", "../pool/sendhub.log");
  const std::string file = dir / "config/pool.json";
  write_file(file, cfg);
  return file;
}

}  // namespace sendhub::test
