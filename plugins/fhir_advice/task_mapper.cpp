#include "task_mapper.h"

namespace fhir {
namespace {

using sendhub::Error;

const char* kNhsSystem = "https://fhir.nhs.uk/Id/nhs-number";

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

MappedTask map_task(const TaskView& task, const std::map<std::string, std::string>& advice_types,
                    const sendhub::HostContext& host, const sendhub::Where& where) {
  using F = TaskField;
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
  m.id = task.text(F::id);
  m.version = task.text(F::version);
  m.last_updated = task.text(F::last_updated);
  const std::string ref = task.text(F::identifier);
  m.record.set("advice_ref", ref.empty() ? m.id : ref);
  if (m.record.get("advice_ref").empty()) fail("Task.id", "fhir.id", "a Task with neither identifier nor id");
  m.record.set("request_ref", task.text(F::focus));
  if (task.text(F::for_system) == kNhsSystem) {
    const std::string nhs = task.text(F::for_value);
    if (auto problem = host.identifier_problem("nhs_number", nhs); !problem.empty())
      fail("Task.for.identifier", "fhir.nhs_number", problem);
    m.record.set("nhs_number", nhs);
  }
  const std::string patient = task.text(F::for_reference);
  if (patient.rfind("Patient/", 0) == 0) m.record.set("person_ref", patient.substr(8));
  const std::string code = task.text(F::code);
  auto type = advice_types.find(code);
  if (type == advice_types.end())
    fail("Task.code", "fhir.advice_type", "advice type code is not in the source's advice_types");
  else
    m.record.set("advice_type", type->second);
  m.record.set("requested_date", date(task.text(F::authored_on), "Task.authoredOn"));
  m.record.set("due_date", date(task.text(F::due), "Task.restriction.period.end"));
  const std::string status = status_of(task.text(F::status));
  if (status.empty()) fail("Task.status", "fhir.status", "not a FHIR Task status");
  m.record.set("status", status);
  if (status == "completed")
    m.record.set("provided_date", date(task.text(F::provided), "Task.executionPeriod.end"));
  const std::string reason = task.text(F::reason);
  if (reason == "exceptional_circumstances" || reason == "absent_4_weeks" || reason == "missed_appointment")
    m.record.set("exception", reason);
  if (m.last_updated.empty()) fail("Task.meta.lastUpdated", "fhir.meta", "a Task without meta.lastUpdated");
  return m;
}

}  // namespace fhir
