#include "kpi_files.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "sendhub/csv.h"

namespace kpi {

using sendhub::csv::row;

using sendhub::csv::row_of;   // a row of as many fields as the targets make

std::string kpis_csv(const std::vector<Row>& rows, const Period& p, const Targets& targets, const Labels& labels) {
  std::vector<std::string> header{"measure", "period_start", "period_end", "as_at", "breakdown", "breakdown_value",
                                  "numerator", "denominator", "value"};
  if (targets.any()) header.insert(header.end(), {"target", "rag"});
  std::string out = row_of(header);
  for (const auto& r : rows) {
    std::vector<std::string> fields{r.measure, p.start, p.end, p.as_at, r.breakdown, r.breakdown_value,
                                    std::to_string(r.numerator), r.denominator ? std::to_string(*r.denominator) : "", r.value()};
    if (targets.any()) {
      const bool total = r.breakdown.empty();
      fields.push_back(total ? targets.target_text(r.measure) : "");
      fields.push_back(total ? targets.rate(r.measure, r.value(), labels.measure(r.measure).better).colour : "");
    }
    out += row_of(fields);
  }
  return out;
}

std::string kpis_json(const std::vector<Row>& rows, const Period& p, const Targets& targets, const Labels& labels) {
  Poco::JSON::Array out;
  for (const auto& r : rows) {
    const MeasureLabel l = labels.measure(r.measure);
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("measure", r.measure);
    o.set("period_start", p.start);
    o.set("period_end", p.end);
    o.set("as_at", p.as_at);
    o.set("breakdown", r.breakdown);
    o.set("breakdown_value", r.breakdown_value);
    o.set("numerator", r.numerator);
    o.set("denominator", r.denominator ? Poco::Dynamic::Var(*r.denominator) : Poco::Dynamic::Var());
    const std::string v = r.value();
    o.set("value", v.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(std::stod(v)));
    o.set("label", l.name);
    o.set("unit", l.unit);
    o.set("breakdown_label", r.breakdown.empty() ? "" : labels.breakdown(r.breakdown));
    o.set("breakdown_value_label", r.breakdown.empty() ? "" : labels.value(r.breakdown, r.breakdown_value));
    if (targets.any() && r.breakdown.empty()) {
      const Rag rag = targets.rate(r.measure, v, l.better);
      o.set("target", targets.target_text(r.measure));
      o.set("rag", rag.colour);
      o.set("rag_rule", rag.rule);
    }
    out.add(o);
  }
  std::ostringstream s;
  out.stringify(s);
  return s.str() + "\n";
}

std::string labels_csv(const Labels& labels) {
  std::string out = row({"kind", "id", "code", "label", "description", "unit", "better", "group"});
  for (const auto& [id, l] : labels.measures()) out += row({"measure", id, "", l.name, l.description, l.unit, l.better, l.group});
  for (const auto& [breakdown, codes] : labels.codes()) {
    out += row({"breakdown", breakdown, "", labels.breakdown(breakdown), "", "", "", ""});
    for (const auto& [code, label] : codes) out += row({"code", breakdown, code, label, "", "", "", ""});
  }
  return out;
}

std::string history_csv(const std::vector<sendhub::MeasureRow>& rows) {
  std::string out = row({"measure", "period_start", "period_end", "as_at", "breakdown", "breakdown_value", "numerator",
                         "denominator", "value"});
  for (const auto& r : rows)
    out += row({r.measure, r.period_start, r.period_end, r.as_at, r.breakdown, r.breakdown_value, std::to_string(r.numerator),
                r.denominator ? std::to_string(*r.denominator) : "", r.value});
  return out;
}

std::vector<sendhub::MeasureRow> measure_rows(const std::vector<Row>& rows, const Period& p) {
  std::vector<sendhub::MeasureRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.measure, p.start, p.end, p.as_at, r.breakdown, r.breakdown_value, r.numerator,
                   r.denominator ? std::optional<std::int64_t>(*r.denominator) : std::nullopt, r.value()});
  return out;
}

}  // namespace kpi
