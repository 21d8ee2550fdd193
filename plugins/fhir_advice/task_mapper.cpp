#include "task_mapper.h"

#include <Poco/JSON/Array.h>

namespace fhir {
namespace {

using Poco::JSON::Object;
using sendhub::Error;

const char* kNhsSystem = "https://fhir.nhs.uk/Id/nhs-number";

Object::Ptr child(const Object::Ptr& o, const char* key) { return o ? o->getObject(key) : nullptr; }

std::string text(const Object::Ptr& o, const char* key) {
  if (!o || !o->has(key)) return "";
  auto v = o->get(key);
  return v.isString() ? v.extract<std::string>() : v.convert<std::string>();
}

Object::Ptr first(const Object::Ptr& o, const char* key) {
  auto arr = o ? o->getArray(key) : nullptr;
  return arr && arr->size() > 0 ? arr->getObject(0) : nullptr;
}

std::string status_of(const std::string& s) {
  static const std::map<std::string, std::string> kStatus = {
      {"requested", "requested"}, {"received", "requested"},   {"accepted", "requested"},
      {"ready", "requested"},     {"in-progress", "in_progress"}, {"on-hold", "in_progress"},
      {"completed", "completed"}, {"cancelled", "cancelled"}, {"rejected", "cancelled"},
      {"failed", "cancelled"},    {"entered-in-error", "cancelled"}};
  auto it = kStatus.find(s);
  return it == kStatus.end() ? "" : it->second;
}

}  // namespace

MappedTask map_task(const Object& task_in, const std::map<std::string, std::string>& advice_types,
                    const sendhub::HostContext& host, const sendhub::Where& where) {
  Object::Ptr task(new Object(task_in));
  MappedTask m;
  m.record.origin = where;
  auto fail = [&](const char* field, const char* rule, const std::string& message) {
    if (!m.problem) m.problem.emplace(where, field, rule, message);
  };
  auto date = [&](const std::string& value, const char* field) -> std::string {
    if (value.empty()) return "";
    auto d = host.parse_date(value.substr(0, 10), {});
    if (!d) fail(field, "fhir.date", "not a FHIR date or dateTime");
    return d ? *d : "";
  };
  m.id = text(task, "id");
  auto meta = child(task, "meta");
  m.version = text(meta, "versionId");
  m.last_updated = text(meta, "lastUpdated");
  std::string ref = text(first(task, "identifier"), "value");
  m.record.set("advice_ref", ref.empty() ? m.id : ref);
  if (m.record.get("advice_ref").empty()) fail("Task.id", "fhir.id", "a Task with neither identifier nor id");
  m.record.set("request_ref", text(child(child(task, "focus"), "identifier"), "value"));
  auto for_ref = child(task, "for");
  auto for_id = child(for_ref, "identifier");
  if (text(for_id, "system") == kNhsSystem) {
    const std::string nhs = text(for_id, "value");
    if (auto problem = host.identifier_problem("nhs_number", nhs); !problem.empty())
      fail("Task.for.identifier", "fhir.nhs_number", problem);
    m.record.set("nhs_number", nhs);
  }
  std::string patient = text(for_ref, "reference");
  if (patient.rfind("Patient/", 0) == 0) m.record.set("person_ref", patient.substr(8));
  const std::string code = text(first(child(task, "code"), "coding"), "code");
  auto type = advice_types.find(code);
  if (type == advice_types.end())
    fail("Task.code", "fhir.advice_type", "advice type code is not in the source's advice_types");
  else
    m.record.set("advice_type", type->second);
  m.record.set("requested_date", date(text(task, "authoredOn"), "Task.authoredOn"));
  m.record.set("due_date", date(text(child(child(task, "restriction"), "period"), "end"), "Task.restriction.period.end"));
  const std::string status = status_of(text(task, "status"));
  if (status.empty()) fail("Task.status", "fhir.status", "not a FHIR Task status");
  m.record.set("status", status);
  if (status == "completed")
    m.record.set("provided_date", date(text(child(task, "executionPeriod"), "end"), "Task.executionPeriod.end"));
  const std::string reason = text(first(child(task, "statusReason"), "coding"), "code");
  if (reason == "exceptional_circumstances" || reason == "absent_4_weeks" || reason == "missed_appointment")
    m.record.set("exception", reason);
  if (m.last_updated.empty()) fail("Task.meta.lastUpdated", "fhir.meta", "a Task without meta.lastUpdated");
  return m;
}

}  // namespace fhir
