#include "mapping_profile.h"
#include "text_fold.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace cms {
namespace {

using Poco::JSON::Object;
using sendhub::Error;
using sendhub::RecordKind;
using sendhub::Where;

std::vector<RecordKind> kinds_of_row(RecordKind record) {
  if (record == RecordKind::request) return {RecordKind::request, RecordKind::assessment, RecordKind::plan};
  // A census row: the pupil's facts on the date, and the pupil as a person of the source.
  if (record == RecordKind::pupil) return {RecordKind::pupil, RecordKind::person};
  return {record};
}

Profile read_profile(const std::string& file) {
  auto bad = [&](const std::string& key, const std::string& msg) -> Error {
    return Error(Where{file, 0, ""}, key, "profile", msg);
  };
  std::ifstream in(file);
  if (!in) throw bad("", "cannot read the mapping profile");
  std::stringstream text;
  text << in.rdbuf();
  Object::Ptr o;
  try {
    o = Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    throw bad("", std::string("not valid JSON: ") + e.what());
  }
  static const std::set<std::string> kKeys = {"profile", "record", "encoding", "delimiter", "header_row",
                                              "date_formats", "columns", "codes", "extras", "_comment"};
  for (const auto& [key, value] : *o)  // keys starting _ are notes (_comment, _value_counts)
    if (!kKeys.count(key) && key.rfind('_', 0) != 0) throw bad(key, "unknown key");
  for (const char* key : {"profile", "record", "encoding", "delimiter"})
    if (o->has(key) && !o->get(key).isString()) throw bad(key, "must be text");
  if (o->has("header_row") && !o->get("header_row").isInteger()) throw bad("header_row", "must be a whole number");
  Profile p;
  p.name = o->optValue<std::string>("profile", file);
  const std::string record = o->optValue<std::string>("record", "");
  static const std::set<std::string> kRecords = {"person", "request", "assessment", "plan", "plan_detail",
                                                 "placement", "need", "review", "advice", "pupil"};
  if (!kRecords.count(record))
    throw bad("record", "must be person, request, assessment, plan, plan_detail, placement, need, review, advice or pupil");
  for (const auto& k : sendhub::kKinds)
    if (k.name == record) p.record = k.kind;
  p.kinds = kinds_of_row(p.record);
  p.encoding = o->optValue<std::string>("encoding", "auto");
  if (p.encoding != "auto" && p.encoding != "utf-8" && p.encoding != "windows-1252")
    throw bad("encoding", "must be auto, utf-8 or windows-1252");
  std::string delimiter = o->optValue<std::string>("delimiter", ",");
  if (delimiter == "\\t") delimiter = "\t";
  if (delimiter.size() != 1 || delimiter == "\"") throw bad("delimiter", "must be one character other than a quote");
  p.delimiter = delimiter[0];
  p.header_row = o->optValue<int>("header_row", 1);
  if (p.header_row < 1) throw bad("header_row", "must be 1 or more");
  if (o->has("date_formats")) {
    auto formats = o->getArray("date_formats");
    if (!formats || formats->size() == 0) throw bad("date_formats", "must be a list of at least one format, e.g. [\"%d/%m/%Y\"]");
    p.date_formats.clear();
    for (std::size_t i = 0; i < formats->size(); ++i) {
      const auto f = formats->get(static_cast<unsigned>(i));
      if (!f.isString() || f.extract<std::string>().empty())
        throw bad("date_formats[" + std::to_string(i) + "]", "must be a format text such as %d/%m/%Y");
      p.date_formats.push_back(f.extract<std::string>());
    }
  }
  if (o->has("columns") && o->get("columns").type() != typeid(Object::Ptr)) throw bad("columns", "must be an object");
  if (o->has("codes") && o->get("codes").type() != typeid(Object::Ptr)) throw bad("codes", "must be an object");
  auto columns = o->getObject("columns");
  if (!columns || columns->size() == 0) throw bad("columns", "map at least one canonical field to a column");
  for (const auto& [field, column] : *columns) {
    if (!column.isString()) throw bad("columns." + field, "must be a column name written as text");
    FieldMap m{p.record, field, column.toString(), sendhub::FieldType::text, {}, std::nullopt, {}, std::nullopt};
    try {
      m.column_pattern = pattern_of(m.column);
    } catch (const std::regex_error&) {
      throw bad("columns." + field, "not a valid /pattern/");
    }
    bool found = false;
    for (RecordKind k : p.kinds) {
      int i = sendhub::field_index(k, field);
      if (i < 0) continue;
      m.kind = k;
      m.type = sendhub::spec(k).fields[static_cast<std::size_t>(i)].type;
      found = true;
      break;
    }
    if (!found) {
      std::string valid;
      for (RecordKind k : p.kinds)
        for (const auto& f : sendhub::spec(k).fields)
          if (f.name != "seq") valid += (valid.empty() ? "" : ", ") + std::string(f.name);
      throw bad("columns." + field, "no such field in a " + record + " row; its fields are " + valid +
                                        " (sendhub fields --kind " + record + ")");
    }
    p.fields.push_back(std::move(m));
  }
  // The row's record must be identifiable.
  const auto& key = sendhub::spec(p.record).fields[0].name;
  if (!columns->has(std::string(key))) throw bad("columns", "must map the key field " + std::string(key));
  if (p.record == RecordKind::pupil) {
    if (!columns->has("census_date")) throw bad("columns", "must map census_date (a pupil's row is one census date's)");
  } else if (p.record != RecordKind::person && p.record != RecordKind::advice && !columns->has("request_ref")) {
    throw bad("columns", "must map request_ref");
  }
  if (o->has("extras")) {  // columns kept as they are, for sinks (caseworker, team)
    auto extras = o->getObject("extras");
    if (!extras) throw bad("extras", "must be an object of name -> column");
    for (const auto& [name, column] : *extras) {
      if (!column.isString()) throw bad("extras." + name, "must be a column name written as text");
      p.extras.emplace_back(name, column.toString());
    }
  }
  if (auto codes = o->getObject("codes")) {
    for (const auto& [field_name, map] : *codes) {
      const std::string field = field_name;  // named, so the lambda can capture it
      auto it = std::find_if(p.fields.begin(), p.fields.end(), [&](const FieldMap& f) { return f.field == field; });
      if (it == p.fields.end()) throw bad("codes." + field, "the field has no column in columns");
      if (map.type() != typeid(Object::Ptr)) throw bad("codes." + field, "must be an object of source value -> code");
      auto values = map.extract<Object::Ptr>();
      for (const auto& [from, to] : *values) {
        if (!to.isString()) throw bad("codes." + field + "." + from, "must be a code written as text");
        if (from == "default") {
          it->default_code = to.toString();
          continue;
        }
        try {
          if (auto pattern = pattern_of(from)) {
            it->code_patterns.emplace_back(std::move(*pattern), to.toString());
            continue;
          }
        } catch (const std::regex_error&) {
          throw bad("codes." + field + "." + from, "not a valid /pattern/");
        }
        it->codes[fold(from)] = to.toString();
      }
    }
  }
  return p;
}

}  // namespace

// A value of the wrong JSON type anywhere is the profile's mistake (exit 2), never a crash.
Profile load_profile(const std::string& file) {
  try {
    return read_profile(file);
  } catch (const Poco::Exception& e) {
    throw Error(Where{file, 0, ""}, "", "profile", "a value has the wrong type (" + e.displayText() + ")");
  }
}

}  // namespace cms
