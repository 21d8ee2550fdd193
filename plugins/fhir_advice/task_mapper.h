// task_mapper.h: one FHIR R4 Task into one advice record (shared/spec/interfaces.md §5).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "page_view.h"
#include "sendhub/plugin.h"

namespace fhir {

struct MappedTask {
  sendhub::Record record{sendhub::RecordKind::advice};
  std::string id, version, last_updated;
  std::optional<sendhub::Error> problem;   // the first thing that stops it loading
};

// advice_types: the feed's Task.code codes -> health, educational_psychology, social_care, other.
MappedTask map_task(const TaskView& task, const std::map<std::string, std::string>& advice_types,
                    const sendhub::HostContext& host, const sendhub::Where& where);

}  // namespace fhir
