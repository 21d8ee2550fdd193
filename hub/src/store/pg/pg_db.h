// store/pg_db.h: one libpq connection, for the PostgreSQL store of a regional pool (issue 14),
// as sqlite_db.h is for SQLite: statements with parameters, results read by row and column,
// and COPY for bulk loads.
//
// Connecting follows the house rules for secrets and TLS:
// - the password comes only from the environment variable the configuration names
//   (`password_env`), or from libpq's own PGPASSFILE; a conninfo carrying one is refused;
// - any host that is not loopback gets `sslmode=verify-full` unless the conninfo sets a mode,
//   and a weaker mode set for such a host is reported (never switched off silently).
#pragma once

#include "store/pg/libpq.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sendhub::pg {

// What libpq is given: the conninfo's own keywords, with the TLS default and the password
// applied; and a warning when a remote host's TLS is weaker than verify-full ("" if none).
struct ConnectOptions {
  std::map<std::string, std::string> keywords;
  std::string warning;
};
// Throws sendhub::Error (field store.conninfo or store.password_env) naming what is wrong,
// never a value.
ConnectOptions connect_options(const std::string& conninfo, const std::string& password_env);
// Whether every host a conninfo's `host`/`hostaddr` names is this machine (a Unix socket
// directory, localhost, 127.0.0.0/8 or ::1); an empty host is the local socket.
bool loopback_only(const std::string& hosts);

using Param = std::optional<std::string>;   // nullopt binds NULL

// A text[] parameter's literal: every element double-quoted, its quotes and backslashes
// escaped, so an element holding commas, braces or NULL-like words comes back as itself.
std::string text_array(const std::vector<std::string>& items);

class Result {
 public:
  explicit Result(PGresult* r) : r_(r, libpq().PQclear) {}
  int rows() const { return libpq().PQntuples(r_.get()); }
  int columns() const { return libpq().PQnfields(r_.get()); }
  std::string text(int row, int col) const { return libpq().PQgetvalue(r_.get(), row, col); }
  bool is_null(int row, int col) const { return libpq().PQgetisnull(r_.get(), row, col) != 0; }
  std::int64_t affected() const;
  PGresult* get() const { return r_.get(); }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> r_;
};

class Db {
 public:
  Db(const std::string& conninfo, const std::string& password_env);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql);   // one or more statements, no parameters
  Result query(const std::string& sql, const std::vector<Param>& params = {});
  // A named statement prepared once on this connection, then run with parameters.
  void prepare(const std::string& name, const std::string& sql);
  Result run_prepared(const std::string& name, const std::vector<Param>& params);
  // COPY ... FROM STDIN (text format): rows of fields, each escaped here; NULL as nullopt.
  void copy_in(const std::string& copy_sql, const std::vector<std::vector<Param>>& rows);
  const std::string& warning() const { return warning_; }
  // A number unique on this connection (names of its cursors).
  std::uint64_t next_id() { return ++ids_; }
  // ROLLBACK if a transaction is open; never throws (the first error is the one reported).
  void rollback_quietly() noexcept;
  PGconn* handle() { return conn_; }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  // Throws unless the result is a success; the error names the SQLSTATE and the server's
  // message, except for data exceptions (class 22), whose message may quote a value.
  Result checked(PGresult* r, const std::string& what) const;

  PGconn* conn_ = nullptr;
  std::string warning_;
  std::uint64_t ids_ = 0;
};

}  // namespace sendhub::pg
