// A field found by its place (plugins/support/field.h) reads what Record::get reads, for every
// field of every kind; a record of another kind is asked by name, and a field no kind has
// throws at the first record, as get() does.
#include <gtest/gtest.h>

#include <string>

#include "field.h"
#include "sendhub/error.h"

namespace {

using plugin_support::Field;
using sendhub::Record;
using sendhub::RecordKind;

TEST(Field, ReadsWhatGetReadsForEveryFieldOfEveryKind) {
  for (const auto& k : sendhub::kKinds) {
    Record r(k.kind);
    for (std::size_t i = 0; i < k.fields.size(); ++i) r.set_at(i, std::string(k.name) + "." + std::string(k.fields[i].name));
    for (const auto& f : k.fields) EXPECT_EQ(Field(k.kind, f.name).of(r), r.get(f.name)) << k.name << "." << f.name;
  }
}

TEST(Field, AsksARecordOfAnotherKindByNameAndThrowsForAFieldItLacks) {
  Record request(RecordKind::request);
  request.set("received_date", "2026-01-05");
  Record person(RecordKind::person);
  person.set("birth_date", "2015-03-01");
  const Field received{RecordKind::request, "received_date"};
  EXPECT_EQ(received.of(request), "2026-01-05");
  EXPECT_THROW(received.of(person), sendhub::Error) << "a person has no received_date: get() throws, so does of()";
  const Field birth_of_request{RecordKind::request, "birth_date"};   // made without a throw
  EXPECT_THROW(birth_of_request.of(request), sendhub::Error);
  EXPECT_EQ(birth_of_request.of(person), "2015-03-01") << "another kind's record: by name";
}

}  // namespace
