#include <gtest/gtest.h>

#include "records/record_check.h"

namespace sendhub {
namespace {

Record request() {
  Record r(RecordKind::request);
  r.set("request_ref", "R1").set("person_ref", "P1").set("received_date", "2025-03-01");
  r.origin = Where{"in.xml", 12, "/Message/Persons/Person[1]/Requests[1]"};
  return r;
}

TEST(RecordCheck, AcceptsAWellTypedRecord) { EXPECT_NO_THROW(check_record(request())); }

TEST(RecordCheck, RefusesABadDateNamingFileLineFieldAndRuleButNotTheValue) {
  Record r = request();
  r.set("received_date", "2025-02-30");
  try {
    check_record(r);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "received_date");
    EXPECT_EQ(e.rule(), "type.date");
    EXPECT_EQ(e.where().line, 12);
    EXPECT_EQ(e.describe().find("2025-02-30"), std::string::npos) << "values stay out of messages";
    EXPECT_NE(e.describe().find("in.xml:12"), std::string::npos);
  }
}

TEST(RecordCheck, RefusesFlagsOtherThanOneOrZero) {
  Record r = request();
  r.set("rya", "true");
  EXPECT_THROW(check_record(r), Error);
  r.set("rya", "1");
  EXPECT_NO_THROW(check_record(r));
}

TEST(RecordCheck, RefusesAMissingKey) {
  Record r(RecordKind::need);
  r.set("request_ref", "R1").set("sen_type", "ASD");
  EXPECT_THROW(check_record(r), Error);  // seq is part of the key
  r.set("seq", "1");
  EXPECT_NO_THROW(check_record(r));
  r.set("seq", "x");
  EXPECT_THROW(check_record(r), Error);
}

TEST(RecordCheck, UnknownFieldIsAnErrorNotSilentlyDropped) {
  Record r(RecordKind::person);
  EXPECT_THROW(r.set("shoe_size", "9"), Error);
}

}  // namespace
}  // namespace sendhub
