// The `inspection_lists` sink (issue 29, shared/spec/inspection.md §4): the Annex A SEND lists
// at a date, as .xlsx and CSV, checked with Data to Insight's rules before they are published.
// One walk of the dataset, person by person: each row is checked and written as it is built (or
// read back as it was built in an earlier run, when the child has not changed since).
// A list with errors is withheld (exit 3) and the readiness report says what to fix where,
// unless `force`. Written only when asked for: this sink, or `sendhub export inspection`.
#include <memory>

#include "census_facts.h"
#include "list_part.h"
#include "list_row.h"
#include "list_rules.h"
#include "list_writer.h"
#include "readiness.h"

namespace inspection {
namespace {

class InspectionSink final : public sendhub::Sink {
 public:
  void write(sendhub::SinkContext& ctx) override {
    const auto& s = ctx.settings();
    const std::string d = s.has("as_at") ? s.text("as_at") : ctx.as_at();
    if (!ctx.day_number(d)) throw sendhub::Error(sendhub::Where{}, "as_at", "config.value", "as_at is not a date: YYYY-MM-DD");
    const Codes codes(ctx.schemas_dir());
    ListRules rules(ctx.schemas_dir(), d);
    const std::string dir = s.path("out");
    const std::time_t created = static_cast<std::time_t>(*ctx.day_number(d)) * 86400;
    ListWriter list1(ctx, dir + "/list1_ehc_plans", codes.list1, "List 1 EHC plans", created);
    ListWriter list2(ctx, dir + "/list2_sen_support", codes.list2, "List 2 SEN support", created);
    const std::string window_start = ctx.add_months(d, -plugin_support::kRecentCensusMonths);
    Readiness readiness(ctx, dir);
    ReadinessCounts n;
    auto build = [&](const sendhub::PersonGroup& g) {
      const CensusFacts census = plugin_support::census_facts(g, d, window_start);
      auto row = list1_row(g, d, census, codes);
      if (!row) row = list2_row(g, window_start, census, codes);
      return row;
    };
    // The rules run on every row each time: the uniqueness rules look across children.
    auto take = [&](const std::optional<ListRow>& row) {
      if (!row) return;
      for (const auto& i : rules.check(*row)) readiness.add(i);
      (row->list == 1 ? list1 : list2).add(*row);
    };
    // At a date of its own (the key as_at), each child's row is kept between runs (plugin API
    // 7, each_person_part): after a night's change only the children who changed are built
    // again. At the run's date, which moves every night, every row would be built and kept
    // again nightly, which costs more than it saves.
    if (s.has("as_at"))
      ctx.each_person_part(
          {}, "as_at " + d, [&](sendhub::PersonGroup& g) { return encode_row(build(g), codes); },
          [&](std::string_view part) { take(decode_row(part, codes)); });
    else
      ctx.each_person({}, [&](sendhub::PersonGroup& g) { take(build(g)); });
    n.list1 = list1.rows();
    n.list2 = list2.rows();
    n.errors = readiness.errors();
    n.queries = readiness.queries();
    readiness.finish(d, n);
    const std::string summary = std::to_string(n.list1) + " children on List 1, " + std::to_string(n.list2) +
                                " on List 2; " + std::to_string(n.errors) + " errors, " +
                                std::to_string(n.queries) + " queries (" + dir + "/inspection_readiness.html)";
    ctx.note(summary);
    ctx.log(sendhub::LogLevel::info, "the inspection lists as at " + d + ": " + summary);
    if (n.list2 == 0)
      ctx.log(sendhub::LogLevel::warning, "List 2 is empty: no school census row of the six months before " + d +
                                              " records SEN support (is a census source configured?)");
    if (n.errors && !s.boolean("force")) {
      ctx.refuse(sendhub::Error(sendhub::Where{dir + "/inspection_readiness.html", 0, ""}, "", "inspection.errors",
                                "the inspection lists are withheld: " + std::to_string(n.errors) +
                                    " errors to fix (see the readiness report), or set force"));
      return;
    }
    list1.commit();
    list2.commit();
  }
};

void register_inspection(sendhub::Registry& registry) {
  sendhub::ConnectorInfo info;
  info.name = "inspection_lists";
  info.version = "1.0.0";
  info.description = "the area SEND inspection's Annex A lists (.xlsx and CSV) with Data to Insight's checks (inspection.md)";
  info.sink_keys = {
      {"out", "path", true, "", false, "folder for list1_ehc_plans and list2_sen_support (.xlsx/.csv) and inspection_readiness.html/.csv"},
      {"as_at", "string", false, "", false, "the lists' date YYYY-MM-DD (default: the run's as-at date)"},
      {"force", "boolean", false, "false", false, "write the lists even when the checks find errors"},
  };
  info.make_sink = [] { return std::make_unique<InspectionSink>(); };
  registry.add(std::move(info));
}

}  // namespace
}  // namespace inspection

SENDHUB_PLUGIN(inspection::register_inspection)
