// page_view.h: what the FHIR source reads of one Bundle page and of each Task on it, behind one
// interface with two readers: the page parsed into Poco's JSON objects (dom_page), and the
// fields alone, kept by a parser handler as the page is read (flat_page.h). Building and then
// freeing every page's objects took over half of the source's time.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fhir {

// The fields of a Task the source maps (task_mapper.h), each at one path of the Task: an
// object's key, or an array's first element ([0]).
enum class TaskField : std::uint8_t {
  resource_type,   // resourceType
  id,              // id
  version,         // meta.versionId
  last_updated,    // meta.lastUpdated
  identifier,      // identifier[0].value
  focus,           // focus.identifier.value
  for_system,      // for.identifier.system
  for_value,       // for.identifier.value
  for_reference,   // for.reference
  code,            // code.coding[0].code
  authored_on,     // authoredOn
  due,             // restriction.period.end
  status,          // status
  provided,        // executionPeriod.end
  reason,          // statusReason.coding[0].code
};
inline constexpr std::size_t kTaskFields = 15;

class TaskView {
 public:
  virtual ~TaskView() = default;
  // The field's value as text ("" when the path does not lead to one; a number or a boolean as
  // Poco writes it).
  virtual std::string text(TaskField field) const = 0;
  // The Task written out as JSON: what is kept when the page's own text of it is not to be had.
  virtual std::string written() const = 0;
};

class PageView {
 public:
  virtual ~PageView() = default;
  virtual std::string resource_type() const = 0;   // the Bundle's, "" when absent
  virtual std::size_t entries() const = 0;         // elements of Bundle.entry (0: no array)
  // Element i's resource when it is an object, else nullptr; valid while the view is.
  virtual const TaskView* resource(std::size_t i) const = 0;
  // Each Bundle.link element that is an object: its relation and url, in order.
  virtual std::vector<std::pair<std::string, std::string>> links() const = 0;
};

// The page as Poco's parser makes it (its objects read as Object::optValue, getObject and
// getArray read them).
std::unique_ptr<PageView> dom_page(Poco::JSON::Object::Ptr bundle);

}  // namespace fhir
