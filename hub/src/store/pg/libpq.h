// store/pg/libpq.h: libpq, loaded when a PostgreSQL store is first opened rather than when
// sendhub starts. Linked in, libpq and the nineteen libraries it brings (Kerberos, LDAP,
// GnuTLS, SASL...) were loaded and relocated by every start of sendhub, 8 ms of a command that
// loads no connector; a `run` gains 2-3 ms, as the FHIR connector's libcurl brings most of the
// same libraries. Most hubs use SQLite and never load it. libpq-fe.h still gives the types and
// the functions' signatures; the functions come from libpq.so.5 through dlopen, once a process.
#pragma once

#include <libpq-fe.h>

namespace sendhub::pg {

// Every libpq function the store calls. A function added here is resolved with the others.
#define SENDHUB_LIBPQ_FUNCTIONS(X)                                                         \
  X(PQclear) X(PQcmdTuples) X(PQconnectdbParams) X(PQconninfoFree) X(PQconninfoParse)     \
  X(PQerrorMessage) X(PQexec) X(PQexecParams) X(PQexecPrepared) X(PQfinish) X(PQfreemem)  \
  X(PQgetisnull) X(PQgetResult) X(PQgetvalue) X(PQnfields) X(PQntuples) X(PQprepare)      \
  X(PQputCopyData) X(PQputCopyEnd) X(PQresultErrorField) X(PQresultStatus)                \
  X(PQsetNoticeProcessor) X(PQstatus) X(PQtransactionStatus)

struct Libpq {
// NOLINTNEXTLINE(bugprone-macro-parentheses): a function's name, not an expression
#define SENDHUB_LIBPQ_MEMBER(name) decltype(&::name) name = nullptr;
  SENDHUB_LIBPQ_FUNCTIONS(SENDHUB_LIBPQ_MEMBER)
#undef SENDHUB_LIBPQ_MEMBER
};

// The library, loaded on the first call. Throws sendhub::Error (rule store.libpq) when it
// cannot be loaded or lacks a function, naming the package that provides it.
const Libpq& libpq();

// Whether this process has loaded libpq (tests: nothing loads it before a store needs it).
bool libpq_loaded();

}  // namespace sendhub::pg
