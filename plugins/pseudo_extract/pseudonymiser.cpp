#include "pseudonymiser.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

namespace pseudo {
namespace {

using sendhub::Error;
using sendhub::Where;

const std::map<std::string, Treatment, std::less<>> kTreatments = {
    {"keep", Treatment::keep}, {"drop", Treatment::drop}, {"month", Treatment::month}, {"sector", Treatment::sector}};

Poco::JSON::Object::Ptr read_table(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw Error(Where{file, 0, ""}, "", "schema", "cannot read the pseudonymisation table");
  std::stringstream text;
  text << in.rdbuf();
  try {
    Poco::JSON::Parser parser;
    auto parsed = parser.parse(text.str());
    return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw Error(Where{file, 0, ""}, "", "schema", std::string("the pseudonymisation table is not a JSON object: ") + e.what());
  }
}

bool digit(char c) { return c >= '0' && c <= '9'; }
bool letter(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

Pseudonymiser::Pseudonymiser(const std::string& schemas_dir) {
  const std::string file = schemas_dir + "/privacy/pseudonymise.json";
  const auto table = read_table(file);
  const auto kinds = table->getObject("kinds");
  if (!kinds) throw Error(Where{file, 0, ""}, "kinds", "schema", "the table has no kinds");
  for (const auto& spec : sendhub::kKinds) {
    if (!extracted(spec.kind)) continue;
    const std::string kind(spec.name);
    const auto fields = kinds->getObject(kind);
    if (!fields) throw Error(Where{file, 0, ""}, kind, "schema", "record kind " + kind + " is not in the table");
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
      const std::string name(spec.fields[i].name);
      const std::string how = fields->optValue<std::string>(name, "");
      const auto it = kTreatments.find(how);
      if (it == kTreatments.end())
        throw Error(Where{file, 0, ""}, kind + "." + name, "schema",
                    how.empty() ? "the table does not say how to treat this field: nothing is extracted until it does"
                                : "unknown treatment " + how + " (keep, drop, month or sector)");
      if (it->second != Treatment::drop) columns_[slot(spec.kind)].push_back({i, spec.fields[i].name, it->second});
    }
    for (const auto& [name, unused] : *fields)
      if (sendhub::field_index(spec.kind, name) < 0)
        throw Error(Where{file, 0, ""}, kind + "." + name, "schema", "no such field in a " + kind + " record");
  }
}

std::vector<std::string> Pseudonymiser::row(const sendhub::Record& r, std::string_view case_key) const {
  std::vector<std::string> out{r.person_key, std::string(case_key)};
  for (const Column& c : columns(r.kind())) {
    const std::string& v = r.at(c.field);
    switch (c.treatment) {
      case Treatment::keep: out.push_back(v); break;
      case Treatment::month: out.push_back(first_of_month(v)); break;
      case Treatment::sector: out.push_back(postcode_sector(v)); break;
      case Treatment::drop: break;
    }
  }
  return out;
}

// Records hold canonical ISO dates; anything else is not passed through.
std::string first_of_month(std::string_view d) {
  const bool iso = d.size() == 10 && d[4] == '-' && d[7] == '-' && digit(d[0]) && digit(d[1]) && digit(d[2]) &&
                   digit(d[3]) && digit(d[5]) && digit(d[6]);
  return iso ? std::string(d.substr(0, 8)) + "01" : "";
}

// A UK postcode is its outward code (2 to 4 characters: area letters, district digits) and
// an inward code of a digit and two letters; the sector is the outward code and that digit.
std::string postcode_sector(std::string_view postcode) {
  std::string p;
  for (char c : postcode)
    if (c != ' ') p += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (p.size() < 5 || p.size() > 7) return "";
  const std::string_view inward = std::string_view(p).substr(p.size() - 3);
  const std::string_view outward = std::string_view(p).substr(0, p.size() - 3);
  if (!digit(inward[0]) || !letter(inward[1]) || !letter(inward[2])) return "";
  if (!letter(outward[0])) return "";
  std::size_t i = letter(outward[1]) ? 2 : 1;   // one or two area letters
  if (i >= outward.size() || !digit(outward[i])) return "";
  for (++i; i < outward.size(); ++i)
    if (!digit(outward[i]) && !letter(outward[i])) return "";
  return std::string(outward) + " " + inward[0];
}

}  // namespace pseudo
