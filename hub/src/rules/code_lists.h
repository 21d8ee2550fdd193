// rules/code_lists.h: the one code-list lookup. Lists come from schemas/sen2/codes.json;
// a list may gain or lose values from a given return year on.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sendhub {

class CodeLists {
 public:
  explicit CodeLists(const std::string& file);
  bool has_list(const std::string& list) const { return lists_.count(list) > 0; }
  bool contains(const std::string& list, int year, const std::string& value) const;
  std::vector<std::string> values(const std::string& list, int year) const;
  std::string tag(const std::string& list) const;

 private:
  struct Change {
    std::set<std::string> add, remove;
  };
  struct List {
    std::set<std::string> values;
    std::map<int, Change> changes;   // year -> what changes from that year on
    std::string tag;
  };
  std::map<std::string, List> lists_;
};

}  // namespace sendhub
