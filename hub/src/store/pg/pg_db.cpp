#include "store/pg/pg_db.h"

#include <cstdlib>

#include "sendhub/error.h"

namespace sendhub::pg {
namespace {

[[noreturn]] void refuse(const std::string& field, const std::string& message) {
  throw Error(Where{}, field, "store.postgresql", message);
}

bool loopback_host(const std::string& host) {
  return host.empty() || host.front() == '/' || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// One COPY text-format field: backslash, tab, newline and carriage return escaped.
void append_field(std::string& line, const Param& value) {
  if (!value) {
    line += "\\N";
    return;
  }
  for (char c : *value) {
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += c;
    }
  }
}

}  // namespace

std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    out += out.size() > 1 ? ",\"" : "\"";
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

bool loopback_only(const std::string& hosts) {
  std::size_t from = 0;
  while (true) {
    const std::size_t comma = hosts.find(',', from);
    if (!loopback_host(hosts.substr(from, comma == std::string::npos ? std::string::npos : comma - from))) return false;
    if (comma == std::string::npos) return true;
    from = comma + 1;
  }
}

ConnectOptions connect_options(const std::string& conninfo, const std::string& password_env) {
  char* error = nullptr;
  PQconninfoOption* parsed = libpq().PQconninfoParse(conninfo.c_str(), &error);
  if (!parsed) {
    const std::string why = error ? error : "out of memory";
    libpq().PQfreemem(error);
    // libpq's message names the keyword or the URI part, not the values.
    refuse("store.conninfo", "the PostgreSQL conninfo cannot be read: " + why);
  }
  ConnectOptions out;
  for (PQconninfoOption* o = parsed; o->keyword; ++o)
    if (o->val && *o->val) out.keywords[o->keyword] = o->val;
  libpq().PQconninfoFree(parsed);
  if (out.keywords.count("password"))
    refuse("store.conninfo", "the conninfo carries a password: give it in the environment variable store.password_env names "
                             "(or libpq's PGPASSFILE), never in the configuration");
  if (!password_env.empty()) {
    const char* password = std::getenv(password_env.c_str());
    if (!password || !*password)
      refuse("store.password_env", "environment variable " + password_env + " is not set: the PostgreSQL password comes from it");
    out.keywords["password"] = password;
  }
  const std::string hosts = out.keywords.count("hostaddr") ? out.keywords["hostaddr"] : out.keywords["host"];
  if (!loopback_only(hosts)) {
    auto mode = out.keywords.find("sslmode");
    if (mode == out.keywords.end()) out.keywords["sslmode"] = "verify-full";
    else if (mode->second != "verify-full")
      out.warning = "the PostgreSQL server is not on this machine and the conninfo sets sslmode=" + mode->second +
                    ": its certificate or host name is not fully verified";
  }
  return out;
}

std::int64_t Result::affected() const {
  const char* n = libpq().PQcmdTuples(r_.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

Db::Db(const std::string& conninfo, const std::string& password_env) {
  ConnectOptions options = connect_options(conninfo, password_env);
  warning_ = options.warning;
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : options.keywords) keys.push_back(k.c_str()), values.push_back(v.c_str());
  keys.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = libpq().PQconnectdbParams(keys.data(), values.data(), 0);
  try {
    if (!conn_ || libpq().PQstatus(conn_) != CONNECTION_OK) fail("cannot connect to PostgreSQL");
    // The server's notices (NOTICE: table ... does not exist) are not the run's log.
    libpq().PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    // Every cursor here is read to its end (pg_rows.cpp), but PostgreSQL plans a cursor for
    // its first tenth of rows by default: nested loops of index probes where a hash or merge
    // join reads all rows faster. At 100,000 people that cost the pool's resolved dataset half
    // its time and linking a sixth (issue 30).
    exec("SET cursor_tuple_fraction = 1.0");
  } catch (const Error&) {
    libpq().PQfinish(conn_);   // a constructor that throws runs no destructor (LeakSanitizer found it)
    conn_ = nullptr;
    throw;
  }
}

Db::~Db() {
  if (conn_) libpq().PQfinish(conn_);
}

void Db::fail(const std::string& what) const {
  std::string why = conn_ ? libpq().PQerrorMessage(conn_) : "out of memory";
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  throw Error(Where{}, "store.conninfo", "store.postgresql", what + ": " + why);
}

Result Db::checked(PGresult* raw, const std::string& what) const {
  Result r(raw);
  const auto status = raw ? libpq().PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) return r;
  if (!raw) fail(what);
  const char* state = libpq().PQresultErrorField(raw, PG_DIAG_SQLSTATE);
  const char* primary = libpq().PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY);
  const std::string code = state ? state : "";
  std::string message = what + " (SQLSTATE " + code + ")";
  if (code.rfind("22", 0) != 0 && primary) message += ": " + std::string(primary);
  throw Error(Where{}, "", "store.postgresql", message);
}

void Db::rollback_quietly() noexcept {
  if (conn_ && libpq().PQtransactionStatus(conn_) != PQTRANS_IDLE) libpq().PQclear(libpq().PQexec(conn_, "ROLLBACK"));
}

void Db::exec(const std::string& sql) { checked(libpq().PQexec(conn_, sql.c_str()), "a statement failed"); }

Result Db::query(const std::string& sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return checked(libpq().PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0),
                 "a statement failed");
}

void Db::prepare(const std::string& name, const std::string& sql) {
  checked(libpq().PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "a statement could not be prepared");
}

Result Db::run_prepared(const std::string& name, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return checked(libpq().PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0),
                 "a statement failed");
}

void Db::copy_in(const std::string& copy_sql, const std::vector<std::vector<Param>>& rows) {
  checked(libpq().PQexec(conn_, copy_sql.c_str()), "COPY could not start");
  std::string line;
  for (const auto& row : rows) {
    line.clear();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) line += '\t';
      append_field(line, row[i]);
    }
    line += '\n';
    if (libpq().PQputCopyData(conn_, line.data(), static_cast<int>(line.size())) != 1) fail("COPY failed");
  }
  if (libpq().PQputCopyEnd(conn_, nullptr) != 1) fail("COPY failed");
  // The load's outcome; what follows it is read first, so the connection is ready again.
  PGresult* end = libpq().PQgetResult(conn_);
  while (PGresult* more = libpq().PQgetResult(conn_)) libpq().PQclear(more);
  checked(end, "COPY failed");
}

}  // namespace sendhub::pg
