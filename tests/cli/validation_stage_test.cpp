// Issue 30: a run validates beside linking and its sinks, on a second connection, and saves
// what it found on its own connection between stages and at the end. The issues, their order
// and the counts are those of a validation on the run's connection, however small the queue
// between the two; what waits is saved without waiting; a stage given up half way stops its
// thread; what stops the validation beside is the run's error; past its queue's bound the
// validation goes on without the run, its issues waiting in a temporary file.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "pipeline/validation_stage.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

class ValidationBeside : public ::testing::Test {
 protected:
  void SetUp() override {
    test::demo_config(dir_, 80);
    auto r = test::sendhub("run --config " + (dir_ / "config/demo.json"));
    ASSERT_EQ(r.code, 0) << r.output;
    db_ = dir_ / "var/sendhub.db";
    store_ = open_sqlite_store(db_, SENDHUB_SOURCE_DIR "/schemas");
    cfg_.schemas_dir = SENDHUB_SOURCE_DIR "/schemas";
    cfg_.la_code = "351";
  }
  // The last run's validation stands while nothing changed: forgotten, every year is validated.
  void forget_validations() {
    for (int year : store_->return_years()) store_->set_dataset_value("validated." + std::to_string(year), "");
  }
  std::string issues_of(std::int64_t run) {
    return test::sql_text(db_, "SELECT group_concat(return_year || '|' || rule || '|' || severity || '|' || file || '|' || "
                               "line || '|' || path || '|' || field || '|' || message || '|' || person_ref, char(10)) "
                               "FROM (SELECT * FROM validation_issues WHERE run_id = " + std::to_string(run) + " ORDER BY id)");
  }
  TempDir dir_;
  std::string db_;
  std::unique_ptr<Store> store_;
  HubConfig cfg_;
};

TEST_F(ValidationBeside, SavesWhatAValidationHereSavesInTheSameOrder) {
  forget_validations();
  const StoreValidation here = ValidationStage(cfg_, *store_, 1001).finish();
  for (std::size_t queue : {ValidationStage::kQueuedIssues, std::size_t{1}}) {
    const std::int64_t run = queue == 1 ? 1003 : 1002;
    forget_validations();
    ValidationStage stage(cfg_, *store_, run);
    stage.start_beside(queue);
    const StoreValidation beside = stage.finish();
    ASSERT_EQ(beside.years.size(), here.years.size());
    for (const auto& [year, counts] : here.years) {
      EXPECT_EQ(beside.years.at(year).errors, counts.errors) << year;
      EXPECT_EQ(beside.years.at(year).queries, counts.queries) << year;
      EXPECT_FALSE(beside.years.at(year).reused);
    }
    EXPECT_EQ(issues_of(run), issues_of(1001)) << "queue of " << queue;
  }
  EXPECT_GT(here.count("error") + here.count("query"), 1) << "the sample has issues to queue";
  EXPECT_FALSE(issues_of(1001).empty());
}

TEST_F(ValidationBeside, WhatWaitsIsSavedBetweenStagesWithoutWaiting) {
  forget_validations();
  const StoreValidation here = ValidationStage(cfg_, *store_, 1001).finish();
  forget_validations();
  ValidationStage stage(cfg_, *store_, 1002);
  stage.start_beside(1);   // past one issue in memory, the batches wait in the temporary file
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (issues_of(1002) != issues_of(1001) && std::chrono::steady_clock::now() < until) {
    stage.save_ready();   // takes what waits, never waits itself
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(issues_of(1002), issues_of(1001)) << "every issue saved, in order, before finish()";
  const StoreValidation beside = stage.finish();
  EXPECT_EQ(beside.count("error"), here.count("error"));
  EXPECT_EQ(beside.count("query"), here.count("query"));
  EXPECT_EQ(issues_of(1002), issues_of(1001)) << "finish() saves nothing twice";
  EXPECT_GE(stage.seconds(), 0.0);
}

// The run's connection is free only between stages: the validation beside must not wait for it
// (a national return's issues outgrow the queue). Past the queue's bound its issues wait in a
// private temporary file and come back whole, in order.
TEST_F(ValidationBeside, PastItsQueueTheValidationEndsWithoutWaitingForTheRun) {
  forget_validations();
  const StoreValidation here = ValidationStage(cfg_, *store_, 1001).finish();
  forget_validations();
  ValidationStage stage(cfg_, *store_, 1002);
  stage.start_beside(1);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!stage.ended_beside() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(stage.ended_beside()) << "the validation ended while the run took nothing";
  EXPECT_EQ(issues_of(1002), "") << "nothing is saved until the run takes it";
  EXPECT_GT(stage.spilled_issues(), 0U);
  const StoreValidation beside = stage.finish();
  EXPECT_EQ(beside.count("error"), here.count("error"));
  EXPECT_EQ(beside.count("query"), here.count("query"));
  EXPECT_EQ(issues_of(1002), issues_of(1001)) << "every issue, in order, as a validation on the run's connection";
}

TEST_F(ValidationBeside, AYearThatDidNotChangeIsCopiedNotValidatedAgain) {
  forget_validations();
  ValidationStage(cfg_, *store_, 1001).finish();
  ValidationStage stage(cfg_, *store_, 1002);
  stage.start_beside();   // nothing to validate: no second connection, no thread
  const StoreValidation v = stage.finish();
  ASSERT_FALSE(v.years.empty());
  for (const auto& [year, counts] : v.years) EXPECT_TRUE(counts.reused) << year;
  EXPECT_EQ(issues_of(1002), issues_of(1001));
}

TEST_F(ValidationBeside, AStageGivenUpHalfWayStopsItsThread) {
  forget_validations();
  {
    ValidationStage stage(cfg_, *store_, 1001);
    stage.start_beside(1);   // given up before anything is saved, whatever waits in the file
  }
  EXPECT_EQ(issues_of(1001), "") << "nothing saved without finish()";
  forget_validations();
  EXPECT_NO_THROW(ValidationStage(cfg_, *store_, 1002).finish()) << "the store is as it was";
}

TEST_F(ValidationBeside, WhatStopsTheValidationBesideIsTheStagesError) {
  forget_validations();
  // The catalogue is read by the worker: a broken one stops it there, not here.
  const std::string schemas = dir_ / "schemas";
  std::filesystem::copy(SENDHUB_SOURCE_DIR "/schemas", schemas, std::filesystem::copy_options::recursive);
  test::write_file(schemas + "/sen2/rules.json", "{\"rules\": [");
  cfg_.schemas_dir = schemas;
  ValidationStage stage(cfg_, *store_, 1001);
  stage.start_beside();
  try {
    stage.finish();
    FAIL() << "a validation without its catalogue finished";
  } catch (const Error& e) {
    EXPECT_EQ(e.rule(), "schema");
    EXPECT_EQ(e.where().file, schemas + "/sen2/rules.json");
  }
  EXPECT_EQ(issues_of(1001), "");
}

}  // namespace
}  // namespace sendhub
