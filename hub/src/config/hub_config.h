// config/hub_config.h: the hub configuration of shared/spec/interfaces.md §2.
// Unknown keys and bad values are ConfigErrors (exit 2) that name the key.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

#include "sendhub/error.h"

namespace sendhub {

// Usage and configuration mistakes: nothing was done (exit code 2).
class ConfigError : public Error {
 public:
  using Error::Error;
};

struct ConnectorConfig {
  std::string name;
  std::string connector;
  std::string where;                // "sources[1]", for messages
  Poco::JSON::Object::Ptr object;   // every key, including name and connector
};

// How sources are linked into one dataset (issue 6).
struct LinkConfig {
  std::string salt_env = "SENDHUB_SALT";           // the person_key salt's variable
  std::string rules;                               // default: schemas_dir/link/rules.json
  std::string conflicts;                           // default: conflicts.csv beside the store
  std::map<std::string, std::string> person_sources;   // source -> source its person_refs name
  std::map<std::string, std::string> request_sources;  // source -> source its child records' request_refs name
  std::map<std::string, std::vector<std::string>> precedence;   // field or "default" -> sources
};

struct HubConfig {
  std::string file;                 // the configuration file as given
  std::string dir;                  // its folder: relative paths resolve against it
  std::string store_kind = "sqlite";   // or "postgresql": a council's part of a regional pool
  // SQLite: the file. PostgreSQL: a name in the hub's own folder (store.dir), beside its
  // archive and conflicts.csv, for the local run lock.
  std::string store_path;
  std::string store_conninfo, store_password_env;   // PostgreSQL only
  std::string la_code;
  std::string la_name;
  std::string plugins_dir;
  std::string schemas_dir;
  std::string archive_dir;          // raw copies of every input file read
  int retention_days = 90;
  std::string log_file;             // where the one-line JSON run summary is appended
  // What a run may hold of the dataset to walk it once for all its sinks (pipeline/dataset_cache.h).
  double memory_budget_mb = 256;
  // How many sinks run at once once the first has walked the dataset (pipeline/sink_stage.h);
  // 1 runs them one after another.
  int sink_threads = 2;
  std::vector<ConnectorConfig> sources;
  std::vector<ConnectorConfig> sinks;
  LinkConfig link;
};

HubConfig load_config(const std::string& file);

// Where this build put its connector libraries and found schemas/ (used when no
// configuration names them).
std::string default_plugins_dir();
std::string default_schemas_dir();

// A path from the configuration, resolved against its folder.
std::string resolve_path(const std::string& dir, const std::string& path);

}  // namespace sendhub
