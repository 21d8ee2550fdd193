// store/pg_pool_admin.cpp: what the pool's administrator does, as its owner role: apply the
// schema (schemas/pg) and make the pool reader's views. The views are made from
// schemas/privacy/pseudonymise.json, the same table the pseudonymised extract obeys
// (privacy.md §6), over the councils' resolved datasets (002_resolved.sql): person_key and
// case_key stand for every identifier, names and free text are left out, birth dates go to
// the month and postcodes to the sector. They are made again, whole, at every pool-migrate,
// so they follow the table; a field the table does not classify stops it, as it stops the
// extract. Views run with their owner's rights, so they see every council; the reader is
// granted them and the pooled KPIs (pg_pool_kpis.h), and nothing else.
#include <filesystem>

#include "rules/json_file.h"
#include "store/migrations.h"
#include "store/pg/pg_db.h"
#include "store/pg/pg_dataset.h"
#include "store/pg/pg_pool_kpis.h"
#include "store/pg/pg_rows.h"
#include "store/store.h"

namespace sendhub {
namespace {

constexpr const char* kReaderSchema = "sendhub_pool";


// One view column: the field as the table says to treat it ("" to leave it out).
std::string column(const std::string& file, const std::string& kind, const std::string& field, const std::string& how) {
  if (how == "drop") return "";
  if (how == "keep") return field;
  if (how == "month") return "sendhub_first_of_month(" + field + ") AS " + field;
  if (how == "sector") return "sendhub_postcode_sector(" + field + ") AS " + field;
  throw Error(Where{file, 0, ""}, kind + "." + field, "schema",
              how.empty() ? "the table does not say how to treat this field: no view is made until it does"
                          : "unknown treatment " + how + " (keep, drop, month or sector)");
}

std::string reader_views_sql(const std::string& schemas_dir) {
  const std::string file = schemas_dir + "/privacy/pseudonymise.json";
  const auto kinds = read_json_object(file)->getObject("kinds");
  if (!kinds) throw Error(Where{file, 0, ""}, "kinds", "schema", "the table has no kinds");
  std::string sql = std::string("DROP SCHEMA IF EXISTS ") + kReaderSchema + " CASCADE; CREATE SCHEMA " + kReaderSchema + ";\n";
  for (const auto& k : kKinds) {
    if (k.kind == RecordKind::la_return) continue;
    const std::string kind(k.name);
    const auto fields = kinds->getObject(kind);
    if (!fields) throw Error(Where{file, 0, ""}, kind, "schema", "record kind " + kind + " is not in the table");
    for (const auto& [name, unused] : *fields)
      if (field_index(k.kind, name) < 0) throw Error(Where{file, 0, ""}, kind + "." + name, "schema", "no such field in a " + kind + " record");
    std::string columns = "council, record_no, NULLIF(person_key, '') AS person_key, case_key";
    for (const auto& f : k.fields) {
      const std::string name(f.name);
      const std::string c = column(file, kind, name, fields->optValue<std::string>(name, ""));
      if (!c.empty()) columns += ", " + c;
    }
    sql += "CREATE VIEW " + std::string(kReaderSchema) + "." + kind + " AS SELECT " + columns + " FROM public.resolved_" +
           kind + ";\n";
  }
  sql += std::string("GRANT USAGE ON SCHEMA ") + kReaderSchema + " TO sendhub_pool_reader;\n" +
         "GRANT SELECT ON ALL TABLES IN SCHEMA " + kReaderSchema + " TO sendhub_pool_reader;\n";
  return sql + pg::pooled_kpis_function_sql(schemas_dir, kReaderSchema);
}

// What the owner must be allowed before anything is changed: make the pool's group roles
// and grant them (CREATEROLE), and make the schema's objects in the database (CREATE). A
// plain owner otherwise fails half way, on "permission denied to create role".
void check_owner(pg::Db& db) {
  const std::string role = pg::value(db, "SELECT current_user");
  std::string lacks;
  if (pg::value(db, "SELECT (rolcreaterole OR rolsuper)::text FROM pg_roles WHERE rolname = current_user") != "true")
    lacks += "CREATEROLE (it makes the roles sendhub_council and sendhub_pool_reader and grants them)";
  if (pg::value(db, "SELECT has_database_privilege(current_database(), 'CREATE')::text") != "true")
    lacks += std::string(lacks.empty() ? "" : "; ") + "CREATE on the database (createdb -O " + role + ")";
  if (!lacks.empty())
    pg::refuse("the pool's owner role " + role + " lacks " + lacks + ": a superuser runs ALTER ROLE " + role +
               " CREATEROLE (or createuser --createrole " + role + "); nothing was changed");
}

}  // namespace

int migrate_pg_pool(const std::string& conninfo, const std::string& password_env, const std::string& schemas_dir) {
  pg::Db db(conninfo, password_env);
  const auto files = migration_files(schemas_dir + "/pg");
  const std::string views = reader_views_sql(schemas_dir);   // a wrong table stops before any change
  check_owner(db);
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          "applied TIMESTAMPTZ NOT NULL DEFAULT now())");
  db.exec("GRANT SELECT ON schema_migrations TO PUBLIC");
  const int have = pg::schema_version(db);
  if (have > files.rbegin()->first) pg::refuse("the pool has schema version " + std::to_string(have) + ", newer than this sendhub knows");
  int applied = 0;
  for (const auto& file : files) {
    const int version = file.first;
    const std::string& path = file.second;
    if (version <= have) continue;
    pg::in_transaction(db, [&] {
      db.exec(read_migration(path));
      db.query("INSERT INTO schema_migrations(version, name) VALUES ($1, $2)",
               {std::to_string(version), std::filesystem::path(path).filename().string()});
    });
    ++applied;
  }
  pg::in_transaction(db, [&] { db.exec(views); });
  return applied;
}

}  // namespace sendhub
