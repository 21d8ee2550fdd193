// link/packed_record: a record as linking holds it gives back every value exactly as the
// Record had it: empty values, long ones (a varint length over one byte), and any byte.
#include <gtest/gtest.h>

#include "link/packed_record.h"

namespace sendhub {
namespace {

TEST(PackedRecord, GivesBackEveryValueExactly) {
  Record r(RecordKind::person);
  r.source = "cms";
  r.return_year = 2026;
  const std::string odd("O\x1f" "Neil\0x", 8);
  const std::string long_value(300, 'a');
  r.set("person_ref", "P1").set("surname", odd).set("forename", long_value).set("postcode", "");
  r.set("nhs_number", "9434765919");
  const PackedRecord p(r);
  EXPECT_EQ(p.kind(), RecordKind::person);
  EXPECT_EQ(p.source, "cms");
  EXPECT_EQ(p.return_year, 2026);
  for (std::size_t i = 0; i < r.size(); ++i) {
    const auto name = std::string(spec(RecordKind::person).fields[i].name);
    EXPECT_EQ(p.get(name), r.at(i)) << name;
  }
  EXPECT_EQ(p.key(), "P1");
  PackedRecord changed = p;
  changed.set("surname", "Brook");
  EXPECT_EQ(changed.get("surname"), "Brook");
  EXPECT_EQ(changed.get("forename"), long_value) << "the other values stay";
  EXPECT_THROW(p.get("no_such_field"), Error);
}

}  // namespace
}  // namespace sendhub
