// flat_page.h: a Bundle page read by Poco's JSON parser with a handler of our own, which keeps
// only what the source reads (page_view.h) as the parser goes: no object is built for the
// document. Where the parsed objects might read otherwise, it says it is not sure, and the page
// is parsed into objects instead (dom_page): a key it reads written twice (objects keep the last),
// or a null, an object or an array where it reads text.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "page_view.h"

namespace fhir {

class FlatTask final : public TaskView {
 public:
  std::string text(TaskField field) const override;
  // Not kept: a page is read flat only when its own text of each Task is to be had.
  std::string written() const override { return ""; }
  void set(TaskField field, std::string text) { values_[static_cast<std::size_t>(field)] = std::move(text); }

 private:
  std::array<std::optional<std::string>, kTaskFields> values_;
};

class FlatPage final : public PageView {
 public:
  // What the reader keeps of a page.
  struct Read {
    bool object = false;   // the text is a JSON object
    bool sure = true;      // read as Poco's parsed objects would be
    std::string resource_type;
    std::vector<std::optional<FlatTask>> entries;
    std::vector<std::pair<std::string, std::string>> links;
  };

  // Throws what Poco::JSON::Parser throws on text that is not JSON.
  explicit FlatPage(const std::string& text);
  bool object() const { return read_.object; }
  bool sure() const { return read_.sure; }

  std::string resource_type() const override { return read_.resource_type; }
  std::size_t entries() const override { return read_.entries.size(); }
  const TaskView* resource(std::size_t i) const override { return read_.entries[i] ? &*read_.entries[i] : nullptr; }
  std::vector<std::pair<std::string, std::string>> links() const override { return read_.links; }

 private:
  Read read_;
};

}  // namespace fhir
