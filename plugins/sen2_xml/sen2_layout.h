// sen2_layout.h: the SEN2 XML tree of each return year, read from
// schemas/sen2/layouts/YYYY.json.
// Reader and writer walk the same layout, so element order and names live in one place.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sendhub/records.h"

namespace sen2 {

struct Member {
  std::string element;
  std::string field;   // empty: a child group
  // The record of the chain the item belongs to when it is not the group's own ("plan.x"
  // in the layout: the plan's facts SEN2 carries in ActivePlans).
  std::optional<sendhub::RecordKind> owner;
  // "extras.x" in the layout: an item with no canonical field, kept in the record's extras
  // (2023's AttendancePattern). And a code map, element text -> field value, for an item a
  // year codes otherwise (2023's GenderCurrent 1/2 -> Sex M/F); a text not in it is kept as
  // it is, for validation to name.
  bool extra = false;
  std::map<std::string, std::string> codes;
  bool is_group() const { return field.empty(); }
  // The field's value as this year's element writes it (the code map read backwards).
  std::string element_text(const std::string& value) const;
};

struct Group {
  std::string element;
  std::optional<sendhub::RecordKind> kind;   // none: items belong to the enclosing record
  std::vector<Member> members;
  // Searched from position `from` on, then from the start: elements come in layout order,
  // so starting at the last one seen finds the next at once.
  const Member* find(std::string_view element_name, std::size_t from = 0) const;
};

struct Layout {
  int year = 0;
  std::string root;
  std::map<std::string, Group> groups;
  const Group& group(const std::string& element) const { return groups.at(element); }
};

class Layouts {
 public:
  // Throws sendhub::Error naming the schema file when a layout is malformed.
  explicit Layouts(const std::string& schemas_dir);
  const Layout* find(int year) const;
  const Layout* newest() const { return &layouts_.rbegin()->second; }
  std::string years_list() const;   // "2024, 2025, 2026"

 private:
  std::map<int, Layout> layouts_;
};

}  // namespace sen2
