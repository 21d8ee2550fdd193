// kpi_files.h: the KPI extract's files: kpis.csv and kpis.json (interfaces.md §6, with
// labels, and target and rag when targets are set) and labels.csv (every measure's name,
// description, unit and direction; every code's label).
#pragma once

#include <string>
#include <vector>

#include "labels.h"
#include "measures.h"
#include "reference.h"

namespace kpi {

std::string kpis_csv(const std::vector<Row>& rows, const Period& p, const Targets& targets, const Labels& labels);
std::string kpis_json(const std::vector<Row>& rows, const Period& p, const Targets& targets, const Labels& labels);
std::string labels_csv(const Labels& labels);
std::string history_csv(const std::vector<sendhub::MeasureRow>& rows);
std::vector<sendhub::MeasureRow> measure_rows(const std::vector<Row>& rows, const Period& p);

}  // namespace kpi
