// seen_set.h: a set of strings that only grows (the values a uniqueness rule has met), kept
// out of memory in a temp_db.h database. A national run's inspection lists meet 1.5 million
// identifiers; as strings in a std::set they cost about 100 bytes each.
#pragma once

#include <string_view>

#include "temp_db.h"

namespace plugin_support {

class SeenSet {
 public:
  SeenSet();   // throws sendhub::Error (rule io) when the temporary database cannot be made

  // Adds the value; true when it was not there before.
  bool insert(std::string_view value);

 private:
  TempDb db_;
  TempDb::Stmt insert_;
};

}  // namespace plugin_support
