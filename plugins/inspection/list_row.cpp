#include "list_row.h"

#include "text.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace inspection {
namespace {

using sendhub::Record;
using sendhub::RecordKind;

std::map<std::string, std::string> object_of(const Poco::JSON::Object::Ptr& o, const char* key) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : *o->getObject(key)) out[k] = v.convert<std::string>();
  return out;
}

std::vector<std::string> array_of(const Poco::JSON::Object::Ptr& o, const char* key) {
  std::vector<std::string> out;
  for (const auto& v : *o->getArray(key)) out.push_back(v.convert<std::string>());
  return out;
}

using plugin_support::folded;

std::string code(const std::map<std::string, std::string>& map, const std::string& value) {
  auto it = map.find(value);
  return it == map.end() ? "" : it->second;
}

// One case of the person: its plan, reviews, needs, placements and plan details.
struct CaseRecords {
  const Record* plan = nullptr;
  std::vector<const Record*> reviews, needs, placements, details;
};

std::map<std::string, CaseRecords> cases_of(const sendhub::PersonGroup& g) {
  std::map<std::string, CaseRecords> out;
  for (const auto& r : g.records) {
    if (r.case_key.empty()) continue;
    auto& c = out[r.case_key];
    switch (r.kind()) {
      case RecordKind::plan: c.plan = &r; break;
      case RecordKind::review: c.reviews.push_back(&r); break;
      case RecordKind::need: c.needs.push_back(&r); break;
      case RecordKind::placement: c.placements.push_back(&r); break;
      case RecordKind::plan_detail: c.details.push_back(&r); break;
      default: break;
    }
  }
  return out;
}

bool active(const Record* plan, const std::string& d) {
  if (!plan || plan->get("start_date").empty() || plan->get("start_date") > d) return false;
  return plan->get("cease_date").empty() || plan->get("cease_date") > d;
}

// The setting the child attends at d: the current placement of rank 1, else the plan's named
// setting of rank 1; rank 2 as the subsidiary (dual registration).
const Record* setting(const CaseRecords& c, const std::string& d, const std::string& rank) {
  for (const Record* p : c.placements)
    if (p->get("placement_rank") == rank && !p->get("entry_date").empty() && p->get("entry_date") <= d &&
        (p->get("leaving_date").empty() || p->get("leaving_date") > d))
      return p;
  if (!c.placements.empty()) return nullptr;   // placements are known: none current at that rank
  for (const Record* p : c.details)
    if (p->get("placement_rank") == rank) return p;
  return nullptr;
}

}  // namespace

Poco::JSON::Object::Ptr read_schema(const std::string& file, const char* what) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  try {
    if (in) return Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw sendhub::Error(sendhub::Where{file, 0, ""}, "", "schema", std::string("cannot read ") + what + ": " + e.displayText());
  }
  throw sendhub::Error(sendhub::Where{file, 0, ""}, "", "schema", std::string("cannot read ") + what);
}

Codes::Codes(const std::string& schemas_dir) {
  auto o = read_schema(schemas_dir + "/inspection/lists.json", "the inspection lists' headings");
  list1 = array_of(o, "list1");
  list2 = array_of(o, "list2");
  gender = object_of(o, "gender");
  primary_need = object_of(o, "primary_need");
  yes_no = object_of(o, "yes_no");
  phase = object_of(o, "phase");
}

Cell& Cells::operator[](std::string_view heading) {
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), heading,
                                   [](const Entry& e, std::string_view h) { return e.first < h; });
  if (at != entries_.end() && at->first == heading) return at->second;
  return entries_.emplace(at, heading, Cell{})->second;
}

const Cell* Cells::find(std::string_view heading) const {
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), heading,
                                   [](const Entry& e, std::string_view h) { return e.first < h; });
  return at != entries_.end() && at->first == heading ? &at->second : nullptr;
}

const Cell& ListRow::at(std::string_view heading) const {
  static const Cell empty;
  const Cell* cell = cells.find(heading);
  return cell ? *cell : empty;
}

std::string uk_date(const std::string& iso) {
  return iso.size() == 10 ? iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) : iso;
}

namespace {

std::optional<CellOrigin> origin_of(const Record* from) {
  if (!from) return std::nullopt;
  return CellOrigin{from->source, from->origin.file, static_cast<long>(from->origin.line)};
}

struct RowBuilder {
  ListRow row;
  // heading: a literal, which outlives the row.
  void put(std::string_view heading, std::string value, const Record* from) {
    row.cells[heading] = Cell{std::move(value), "", origin_of(from)};
  }
  void put_date(std::string_view heading, const std::string& iso, const Record* from) {
    row.cells[heading] = Cell{uk_date(iso), iso, origin_of(from)};
  }
};

// The columns both lists take from the person: identity first, social care and disability last.
void person_cells(RowBuilder& b, const sendhub::PersonGroup& g, const Codes& codes) {
  const Record& person = g.records.front();
  b.put("Unique ID", g.person_key, &person);
  b.put("UPN", person.get("upn"), &person);
  b.put("ULN", person.get("uln"), &person);
  b.put_date("Date of birth", person.get("birth_date"), &person);
  b.row.birth_iso = person.get("birth_date");
  b.put("Gender", code(codes.gender, person.get("sex")), &person);
  b.put("Ethnicity", person.get("ethnicity"), &person);
  auto extra = [&](const char* name) {
    auto it = person.extras.find(name);
    return it == person.extras.end() ? std::string() : it->second;
  };
  b.put("Known to children's social care?", code(codes.yes_no, folded(extra("known_to_social_care"))), &person);
  b.put("Which children's social care team?", extra("social_care_team"), &person);
  b.put("Does the child or young person have a disability?", code(codes.yes_no, folded(extra("disability"))), &person);
}

// The columns both lists take from the census: the subsidiary's phase and the termly counts.
void census_cells(RowBuilder& b, const CensusFacts& c, const Codes& codes) {
  b.put("Subsidiary education establishment – phase (dual registration)",
        c.subsidiary ? code(codes.phase, c.subsidiary->get("phase")) : "", c.subsidiary);
  b.put("Suspensions", c.suspensions, c.counted);
  b.put("Permanent exclusions", c.exclusions, c.counted);
  b.put("Absence", c.absence, c.counted);
  const std::string premium = c.main ? c.main->get("pupil_premium") : "";
  b.put("Pupil Premium", premium == "1" ? "Yes" : premium == "0" ? "No" : "", c.main);
}

bool has_person(const sendhub::PersonGroup& g) {
  return !g.person_key.empty() && !g.records.empty() && g.records.front().kind() == RecordKind::person;
}

}  // namespace

std::optional<ListRow> list1_row(const sendhub::PersonGroup& g, const std::string& d, const CensusFacts& census,
                                 const Codes& codes) {
  if (!has_person(g)) return std::nullopt;
  const auto cases = cases_of(g);
  const CaseRecords* current = nullptr;   // the active plan started last
  const Record* first_plan = nullptr;
  for (const auto& [key, c] : cases) {
    if (!c.plan || c.plan->get("start_date").empty() || c.plan->get("start_date") > d) continue;
    if (!first_plan || c.plan->get("start_date") < first_plan->get("start_date")) first_plan = c.plan;
    if (active(c.plan, d) && (!current || c.plan->get("start_date") >= current->plan->get("start_date"))) current = &c;
  }
  if (!current) return std::nullopt;
  RowBuilder b;
  person_cells(b, g, codes);
  b.put_date("Date initial EHC plan issued", first_plan->get("start_date"), first_plan);
  // Updated: a later plan of the same person, else the amended plan a review (outcome A) led to.
  const Record* updated = current->plan != first_plan ? current->plan : nullptr;
  std::string updated_date = updated ? updated->get("start_date") : "";
  const Record* last_review = nullptr;
  for (const Record* r : current->reviews) {
    const std::string& meeting = r->get("review_meeting");
    if (meeting.empty() || meeting > d) continue;
    if (!last_review || meeting >= last_review->get("review_meeting")) last_review = r;
    const std::string& amended = r->get("review_draft");
    if (r->get("review_outcome") == "A" && !amended.empty() && amended <= d && amended > updated_date)
      updated = r, updated_date = amended;
  }
  b.put_date("Date updated EHC plan issued", updated_date, updated);
  b.put_date("Date EHC plan last reviewed", last_review ? last_review->get("review_meeting") : "", last_review);
  const Record* need = nullptr;
  for (const Record* n : current->needs)
    if (n->get("sen_type_rank") == "1") need = n;
  b.put("SEN primary need", need ? code(codes.primary_need, need->get("sen_type")) : "", need ? need : current->plan);
  // The main establishment as the plan's casework knows it, else as the census does; its
  // phase from the census row of that school.
  const Record* main = setting(*current, d, "1");
  const std::string urn = main ? main->get("urn") : "";
  const Record* census_main = census.main && (urn.empty() || census.main->get("urn") == urn) ? census.main : nullptr;
  if (urn.empty() && census_main)
    b.put("Main education establishment – URN", census_main->get("urn"), census_main);
  else
    b.put("Main education establishment – URN", urn, main ? main : current->plan);
  b.put("Main education establishment – phase", census_main ? code(codes.phase, census_main->get("phase")) : "", census_main);
  const bool ehe = main ? main->get("sen_setting") == "EHE" : census.main && census.main->get("home_educated") == "1";
  b.put("Elective home education", main || census.main ? (ehe ? "Yes" : "No") : "", main ? main : census.main);
  census_cells(b, census, codes);
  // A subsidiary the casework knows (a current placement of rank 2) stands, with the census's
  // phase of that school when the census has it.
  if (const Record* second = setting(*current, d, "2")) {
    const bool same = census.subsidiary && census.subsidiary->get("urn") == second->get("urn");
    b.put("Subsidiary education establishment – phase (dual registration)",
          same ? code(codes.phase, census.subsidiary->get("phase")) : "", second);
  }
  return std::move(b.row);
}

std::optional<ListRow> list2_row(const sendhub::PersonGroup& g, const std::string& window_start,
                                 const CensusFacts& census, const Codes& codes) {
  if (!has_person(g) || census.provision(window_start) != "K") return std::nullopt;
  RowBuilder b;
  b.row.list = 2;
  person_cells(b, g, codes);
  b.put("SEN primary need", code(codes.primary_need, census.main->get("sen_need_1")), census.main);
  b.put("Main education establishment – URN", census.main->get("urn"), census.main);
  b.put("Main education establishment – phase", code(codes.phase, census.main->get("phase")), census.main);
  census_cells(b, census, codes);
  return std::move(b.row);
}

}  // namespace inspection
