// dom_page.cpp: a page and its Tasks read from Poco's parsed objects (page_view.h), for a page
// flat_page.h cannot vouch for (the tests read every page both ways and compare).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "page_view.h"

namespace fhir {
namespace {

using Poco::JSON::Object;

Object::Ptr child(const Object::Ptr& o, const char* key) { return o ? o->getObject(key) : nullptr; }

// A member's text: "" when absent; a number as Poco converts it (a null throws, as it always did).
std::string text(const Object::Ptr& o, const char* key) {
  if (!o || !o->has(key)) return "";
  auto v = o->get(key);
  return v.isString() ? v.extract<std::string>() : v.convert<std::string>();
}

Object::Ptr first(const Object::Ptr& o, const char* key) {
  auto arr = o ? o->getArray(key) : nullptr;
  return arr && arr->size() > 0 ? arr->getObject(0) : nullptr;
}

class DomTask final : public TaskView {
 public:
  explicit DomTask(Object::Ptr task) : task_(std::move(task)) {}

  std::string text(TaskField field) const override {
    const Object::Ptr& t = task_;
    switch (field) {
      case TaskField::resource_type: return t->optValue<std::string>("resourceType", "");
      case TaskField::id: return fhir::text(t, "id");
      case TaskField::version: return fhir::text(child(t, "meta"), "versionId");
      case TaskField::last_updated: return fhir::text(child(t, "meta"), "lastUpdated");
      case TaskField::identifier: return fhir::text(first(t, "identifier"), "value");
      case TaskField::focus: return fhir::text(child(child(t, "focus"), "identifier"), "value");
      case TaskField::for_system: return fhir::text(child(child(t, "for"), "identifier"), "system");
      case TaskField::for_value: return fhir::text(child(child(t, "for"), "identifier"), "value");
      case TaskField::for_reference: return fhir::text(child(t, "for"), "reference");
      case TaskField::code: return fhir::text(first(child(t, "code"), "coding"), "code");
      case TaskField::authored_on: return fhir::text(t, "authoredOn");
      case TaskField::due: return fhir::text(child(child(t, "restriction"), "period"), "end");
      case TaskField::status: return fhir::text(t, "status");
      case TaskField::provided: return fhir::text(child(t, "executionPeriod"), "end");
      case TaskField::reason: return fhir::text(first(child(t, "statusReason"), "coding"), "code");
    }
    return "";
  }

  std::string written() const override {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(task_, out);
    return out.str();
  }

 private:
  Object::Ptr task_;
};

class DomPage final : public PageView {
 public:
  explicit DomPage(Object::Ptr bundle) : bundle_(std::move(bundle)), list_(bundle_->getArray("entry")) {
    for (std::size_t i = 0; i < entries(); ++i) {
      auto element = list_->getObject(static_cast<unsigned>(i));
      auto resource = element ? element->getObject("resource") : nullptr;
      tasks_.push_back(resource ? std::make_unique<DomTask>(resource) : nullptr);
    }
  }
  std::string resource_type() const override { return bundle_->optValue<std::string>("resourceType", ""); }
  std::size_t entries() const override { return list_ ? list_->size() : 0; }
  const TaskView* resource(std::size_t i) const override { return tasks_[i].get(); }
  std::vector<std::pair<std::string, std::string>> links() const override {
    std::vector<std::pair<std::string, std::string>> out;
    auto links = bundle_->getArray("link");
    for (std::size_t i = 0; links && i < links->size(); ++i)
      if (auto link = links->getObject(static_cast<unsigned>(i)))
        out.emplace_back(link->optValue<std::string>("relation", ""), link->optValue<std::string>("url", ""));
    return out;
  }

 private:
  Object::Ptr bundle_;
  Poco::JSON::Array::Ptr list_;
  std::vector<std::unique_ptr<DomTask>> tasks_;
};

}  // namespace

std::unique_ptr<PageView> dom_page(Object::Ptr bundle) { return std::make_unique<DomPage>(std::move(bundle)); }

}  // namespace fhir
