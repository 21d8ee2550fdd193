// case_fields.h: the fields the KPI model and its stock measures ask of every case, each found
// once by its place among its kind's fields (field.h).
#pragma once

#include "field.h"

namespace kpi::case_fields {

using plugin_support::Field;
using sendhub::RecordKind;

inline const Field kRank{RecordKind::need, "sen_type_rank"}, kSenType{RecordKind::need, "sen_type"},
    kMeeting{RecordKind::review, "review_meeting"}, kStart{RecordKind::plan, "start_date"},
    kCease{RecordKind::plan, "cease_date"}, kReceived{RecordKind::request, "received_date"},
    kExported{RecordKind::request, "exported"}, kRequestOutcome{RecordKind::request, "request_outcome"},
    kRequestOutcomeDate{RecordKind::request, "request_outcome_date"},
    kAssessmentOutcome{RecordKind::assessment, "assessment_outcome"},
    kAssessmentOutcomeDate{RecordKind::assessment, "assessment_outcome_date"}, kEntry{RecordKind::placement, "entry_date"},
    kLeaving{RecordKind::placement, "leaving_date"}, kPlacementRank{RecordKind::placement, "placement_rank"},
    kSetting{RecordKind::placement, "sen_setting"}, kBirth{RecordKind::person, "birth_date"}, kSex{RecordKind::person, "sex"},
    kRequested{RecordKind::advice, "requested_date"}, kStatus{RecordKind::advice, "status"},
    kProvided{RecordKind::advice, "provided_date"}, kAdviceType{RecordKind::advice, "advice_type"};

}  // namespace kpi::case_fields
