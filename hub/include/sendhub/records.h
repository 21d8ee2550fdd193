// sendhub/records.h: the canonical records of shared/spec/interfaces.md §3.
//
// A Record is one row of the SEND dataset: a kind, one text value per field of that kind
// (empty = absent), and its origin. Values are in canonical text form: dates ISO
// YYYY-MM-DD, flags 1/0, codes as SEN2 spells them. The field lists below are the
// contract between connectors, the host and schemas/sql; a test keeps them in step.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sendhub/error.h"

namespace sendhub {

enum class RecordKind {
  la_return,    // the LA-level facts of one SEN2 return (header): not in interfaces.md §3
  person,
  request,
  assessment,
  plan,
  plan_detail,  // a setting named in a plan (SEN2 NamedPlan/PlanDetail): an extension
  placement,
  need,
  review,       // one annual review of a plan (a history: several per plan)
  advice,
  pupil,        // one pupil's school census row on one census date (inspection.md §2): hangs
                // from the census source's own person record by person_ref
};

enum class FieldType { text, date, flag, code, integer };

struct FieldSpec {
  std::string_view name;
  FieldType type;
};

struct KindSpec {
  RecordKind kind;
  std::string_view name;                // also the store's table name
  std::span<const FieldSpec> fields;
  std::size_t key_fields;               // the first key_fields fields identify the record
};

namespace detail {
using F = FieldSpec;
using T = FieldType;
// The header of a return: the LA facts (lea, dmo, dco, dsco) and the file facts as read.
// A sink writing a return sets the file facts of its own file.
inline constexpr F kLaReturn[] = {
    {"year", T::integer},   {"lea", T::code},          {"dmo", T::code},
    {"dco", T::code},       {"dsco", T::code},         {"collection", T::code},
    {"reference_date", T::date}, {"source_level", T::code}, {"software_code", T::text},
    {"release", T::text},   {"serial_no", T::text},    {"datetime", T::text}};
inline constexpr F kPerson[] = {
    {"person_ref", T::text}, {"surname", T::text},   {"forename", T::text},
    {"birth_date", T::date}, {"sex", T::code},       {"ethnicity", T::code},
    {"postcode", T::text},   {"upn", T::text},       {"uln", T::text},
    {"upn_unknown", T::code}, {"nhs_number", T::text}};
inline constexpr F kRequest[] = {
    {"request_ref", T::text},          {"person_ref", T::text},      {"received_date", T::date},
    {"request_source", T::code},       {"rya", T::flag},             {"request_outcome_date", T::date},
    {"request_outcome", T::code},      {"request_mediation", T::flag}, {"request_tribunal", T::flag},
    {"exported", T::code}};
inline constexpr F kAssessment[] = {
    {"request_ref", T::text},         {"assessment_outcome", T::code},
    {"assessment_outcome_date", T::date}, {"assessment_mediation", T::flag},
    {"assessment_tribunal", T::flag}, {"other_mediation", T::flag},
    {"other_tribunal", T::flag},      {"week20", T::flag},
    // When the latest mediation / tribunal appeal about another appealable matter (the
    // plan's content, the named setting) happened: it places other_* in a period, also on
    // a plan issued years before (an H chain). From a SEN2 return, which says only that it
    // happened in the collection period, the reader records the period's last day.
    {"other_mediation_date", T::date}, {"other_tribunal_date", T::date}};
// A plan's facts that SEN2 carries in ActivePlans (transfer_la, the phase-transfer dates)
// belong to the plan, not to one review (interfaces.md §3).
inline constexpr F kPlan[] = {
    {"request_ref", T::text}, {"start_date", T::date}, {"plan_res", T::code},
    {"plan_wbp", T::code},    {"pb", T::flag},         {"oa", T::flag},
    {"dp", T::code},          {"cease_date", T::date}, {"cease_reason", T::code},
    {"transfer_la", T::code}, {"phase_transfer_due_date", T::date}, {"phase_transfer_final_date", T::date}};
inline constexpr F kPlanDetail[] = {
    {"request_ref", T::text},       {"seq", T::integer},          {"urn", T::text},
    {"ukprn", T::text},             {"sen_setting", T::code},     {"sen_setting_other", T::text},
    {"placement_rank", T::code},    {"sen_unit_indicator", T::flag},
    {"resourced_provision_indicator", T::flag}};
inline constexpr F kPlacement[] = {
    {"request_ref", T::text},    {"seq", T::integer},         {"urn", T::text},
    {"ukprn", T::text},          {"sen_setting", T::code},    {"sen_setting_other", T::text},
    {"placement_rank", T::code}, {"entry_date", T::date},     {"leaving_date", T::date},
    {"sen_unit_indicator", T::flag}, {"resourced_provision_indicator", T::flag},
    {"res", T::code},            {"wbp", T::code}};
inline constexpr F kNeed[] = {
    {"request_ref", T::text}, {"seq", T::integer}, {"sen_type", T::code}, {"sen_type_rank", T::code}};
inline constexpr F kReview[] = {
    {"request_ref", T::text},    {"seq", T::integer},         {"review_meeting", T::date},
    {"last_review", T::date},    {"review_outcome", T::code}, {"review_draft", T::date}};
inline constexpr F kAdvice[] = {
    {"advice_ref", T::text},     {"request_ref", T::text},   {"person_ref", T::text},
    {"nhs_number", T::text},     {"advice_type", T::code},   {"requested_date", T::date},
    {"due_date", T::date},       {"provided_date", T::date}, {"status", T::code},
    {"exception", T::code}};
// The census facts of one pupil on one census date. The row's identity (UPN, names, birth
// date...) is a person record of the same source with the same person_ref, linked like any
// other; these are the facts that belong to the date. Counts and sessions are whole numbers.
inline constexpr F kPupil[] = {
    {"person_ref", T::text},        {"census_date", T::date},        {"urn", T::text},
    {"phase", T::code},             {"enrolment_status", T::code},   {"nc_year", T::integer},
    {"sen_provision", T::code},     {"sen_need_1", T::code},         {"sen_need_2", T::code},
    {"fsm", T::flag},               {"pupil_premium", T::flag},      {"sessions_possible", T::integer},
    {"sessions_missed", T::integer}, {"suspensions", T::integer},    {"permanent_exclusions", T::integer},
    {"home_educated", T::flag}};
}  // namespace detail

inline constexpr std::array<KindSpec, 11> kKinds = {{
    {RecordKind::la_return, "la_return", detail::kLaReturn, 1},
    {RecordKind::person, "person", detail::kPerson, 1},
    {RecordKind::request, "request", detail::kRequest, 1},
    {RecordKind::assessment, "assessment", detail::kAssessment, 1},
    {RecordKind::plan, "plan", detail::kPlan, 1},
    {RecordKind::plan_detail, "plan_detail", detail::kPlanDetail, 2},
    {RecordKind::placement, "placement", detail::kPlacement, 2},
    {RecordKind::need, "need", detail::kNeed, 2},
    {RecordKind::review, "review", detail::kReview, 2},
    {RecordKind::advice, "advice", detail::kAdvice, 1},
    {RecordKind::pupil, "pupil", detail::kPupil, 3},
}};

// Fields of la_return that describe the file rather than the council.
inline constexpr std::string_view kFileFacts[] = {"collection", "reference_date", "source_level",
                                                   "software_code", "release", "serial_no", "datetime"};

inline const KindSpec& spec(RecordKind kind) { return kKinds[static_cast<std::size_t>(kind)]; }

// -1 when the kind has no such field.
inline int field_index(RecordKind kind, std::string_view field) {
  const auto& fields = spec(kind).fields;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == field) return static_cast<int>(i);
  return -1;
}

class Record {
 public:
  explicit Record(RecordKind kind) : kind_(kind), values_(spec(kind).fields.size()) {}

  RecordKind kind() const { return kind_; }
  const KindSpec& kind_spec() const { return spec(kind_); }

  // Throws Error for a field the kind does not have: that is a connector bug or a
  // mapping-profile mistake, never silently dropped data.
  Record& set(std::string_view field, std::string value) {
    values_[index(field)] = std::move(value);
    return *this;
  }
  // With the line the value was read from, for messages that point at it.
  Record& set(std::string_view field, std::string value, std::int64_t line) {
    std::size_t i = index(field);
    values_[i] = std::move(value);
    if (lines_.size() < values_.size()) lines_.resize(values_.size());
    lines_[i] = line;
    return *this;
  }
  // The line a field's value was read from; the record's own line when not known.
  std::int64_t line_of(std::string_view field) const {
    int i = field_index(kind_, field);
    if (i >= 0 && static_cast<std::size_t>(i) < lines_.size() && lines_[static_cast<std::size_t>(i)] > 0)
      return lines_[static_cast<std::size_t>(i)];
    return origin.line;
  }
  const std::string& get(std::string_view field) const { return values_[index(field)]; }
  const std::string& at(std::size_t i) const { return values_[i]; }
  void set_at(std::size_t i, std::string value) { values_[i] = std::move(value); }
  std::size_t size() const { return values_.size(); }

  // Key of the record within its source: its key fields joined by '|'.
  std::string key() const {
    std::string out;
    for (std::size_t i = 0; i < kind_spec().key_fields; ++i) {
      if (i) out += '|';
      out += values_[i];
    }
    return out;
  }

  Where origin;            // file, line, element path it was read from
  int return_year = 0;     // the SEN2 return it was reported in; 0 when not from a return
  std::string source;      // the configured source it came from (set by the store on reading)
  std::int64_t run_id = 0; // the run that stored this version (set by the store on reading)
  // For sinks, from linking: the person and the case (one case across sources and
  // returns) the record belongs to; empty when it is not linked.
  std::string person_key, case_key;
  // Columns a mapping profile keeps that are no canonical field (caseworker, team): stored
  // with the record and read back with it, for sinks. Name -> value.
  std::map<std::string, std::string> extras;

 private:
  std::size_t index(std::string_view field) const {
    int i = field_index(kind_, field);
    if (i < 0)
      throw Error(Where{}, std::string(field), "record.field",
                  "no such field in a " + std::string(kind_spec().name) + " record");
    return static_cast<std::size_t>(i);
  }

  RecordKind kind_;
  std::vector<std::string> values_;
  std::vector<std::int64_t> lines_;   // per field; empty when the source gave none
};

}  // namespace sendhub
