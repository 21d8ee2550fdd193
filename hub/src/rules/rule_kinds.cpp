#include "rules/rule_kinds.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "text/dates.h"
#include "text/identifiers.h"

namespace sendhub {
namespace {

// Where each kind keeps request_ref (-1: it has none), worked out once: rules look it up
// for every record.
int request_ref_at(RecordKind k) {
  static const auto at = [] {
    std::array<int, kKinds.size()> out{};
    for (const KindSpec& s : kKinds) out[static_cast<std::size_t>(s.kind)] = field_index(s.kind, "request_ref");
    return out;
  }();
  return at[static_cast<std::size_t>(k)];
}
bool has_request_ref(RecordKind k) { return request_ref_at(k) >= 0; }
const std::string& request_ref(const Record& r) { return r.at(static_cast<std::size_t>(request_ref_at(r.kind()))); }

// FNV-1a over the value folded (spaces dropped, lower case): the uniqueness rules keep 8
// bytes per Person, never the values.
constexpr std::uint64_t kFnvBasis = 1469598103934665603ULL;
// ASCII folding, as identifiers are ASCII (and std::tolower asks the locale per byte).
std::uint64_t hash_folded(std::uint64_t h, const std::string& v) {
  for (unsigned char c : v) {
    if (c == ' ' || (c >= '\t' && c <= '\r')) continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    h = (h ^ c) * 1099511628211ULL;
  }
  return h;
}

int whole_years(const text::Date& from, const text::Date& to) {
  int years = to.year - from.year;
  if (to.month < from.month || (to.month == from.month && to.day < from.day)) --years;
  return years;
}

}  // namespace

Case::Case(const std::vector<Record>& group, const Record* header) : header_(header) {
  for (const auto& r : group) by_kind_[static_cast<std::size_t>(r.kind())].push_back(&r);
  auto& headers = by_kind_[static_cast<std::size_t>(RecordKind::la_return)];
  if (header && headers.empty()) headers.push_back(header);
}

const std::vector<const Record*>& Case::of(RecordKind kind) const { return by_kind_[static_cast<std::size_t>(kind)]; }

std::vector<const Record*> Case::children(const Record& parent, RecordKind kind) const {
  const auto& all = of(kind);
  if (parent.kind() == RecordKind::person || !has_request_ref(kind) || !has_request_ref(parent.kind())) return all;
  std::vector<const Record*> out;
  for (const Record* r : all)
    if (request_ref(*r) == request_ref(parent)) out.push_back(r);
  return out;
}

const Record* Case::related(const Record& from, RecordKind kind) const {
  if (kind == from.kind()) return &from;
  if (kind == RecordKind::la_return) return header_;
  const auto& all = of(kind);
  if (kind == RecordKind::person) return all.empty() ? nullptr : all.front();
  if (!has_request_ref(kind) || !has_request_ref(from.kind())) return nullptr;
  for (const Record* r : all)
    if (request_ref(*r) == request_ref(from)) return r;
  return nullptr;
}

std::string Case::person_ref() const {
  const auto& people = of(RecordKind::person);
  return people.empty() ? "" : people.front()->get("person_ref");
}

const std::string& RuleRun::value(const Ref& ref, const Record& r) const {
  static const std::string kNone;
  if (!ref.fact.empty()) {
    auto it = v_.facts_.find(ref.fact);
    return it == v_.facts_.end() ? kNone : it->second;
  }
  const Record* target = ref.kind ? case_.related(r, *ref.kind) : &r;
  return target ? target->at(ref.index) : kNone;
}

bool RuleRun::holds(const Condition& c, const Record& r) const {
  using Op = Condition::Op;
  switch (c.op) {
    case Op::any:
      return std::any_of(c.children.begin(), c.children.end(), [&](const Condition& x) { return holds(x, r); });
    case Op::all: return holds_all(c.children, r);
    default: break;
  }
  const std::string& v = value(c.ref, r);
  switch (c.op) {
    case Op::in: return std::find(c.values.begin(), c.values.end(), v) != c.values.end();
    case Op::not_in: return std::find(c.values.begin(), c.values.end(), v) == c.values.end();
    case Op::present: return !v.empty();
    case Op::absent: return v.empty();
    case Op::on_or_before: return !v.empty() && v <= value(c.other, r);   // ISO dates sort as text
    case Op::after: return !v.empty() && v > value(c.other, r);
    default: return false;
  }
}

bool RuleRun::holds_all(const std::vector<Condition>& cs, const Record& r) const {
  return std::all_of(cs.begin(), cs.end(), [&](const Condition& c) { return holds(c, r); });
}

void RuleRun::issue(const Rule& rule, const Record& r, const std::string& field, const std::string& detail) {
  Issue i;
  i.rule = rule.id;
  i.severity = rule.severity;
  i.file = r.origin.file;
  i.line = r.line_of(field);
  const std::string element = field.empty() ? "" : v_.names_.element(r.kind(), field);
  i.path = r.origin.path.empty() || element.empty() ? r.origin.path : r.origin.path + "/" + element;
  auto slash = element.rfind('/');
  i.field = slash == std::string::npos ? element : element.substr(slash + 1);
  i.message = detail.empty() ? rule.message : rule.message + ": " + detail;
  i.person = case_.person_ref();
  i.source = r.source;
  i.reference = r.key();
  out_.push_back(std::move(i));
}

void RuleRun::apply(const Rule& rule, const Record& r) {
  if (!holds_all(rule.when, r)) return;
  switch (rule.kind) {
    case RuleKind::required:
      for (std::size_t i = 0; i < rule.fields.size(); ++i)
        if (r.at(rule.field_at[i]).empty()) issue(rule, r, rule.fields[i]);
      break;
    case RuleKind::absent:
      for (std::size_t i = 0; i < rule.fields.size(); ++i)
        if (!r.at(rule.field_at[i]).empty()) issue(rule, r, rule.fields[i]);
      break;
    case RuleKind::one_of: {
      int n = 0;
      for (const std::size_t at : rule.field_at) n += r.at(at).empty() ? 0 : 1;
      if ((rule.min && n < *rule.min) || (rule.max && n > *rule.max)) issue(rule, r, rule.fields.front());
      break;
    }
    case RuleKind::date_order:
    case RuleKind::within_days:
    case RuleKind::age: check_dates(rule, r); break;
    case RuleKind::count:
    case RuleKind::distinct: check_children(rule, r); break;
    case RuleKind::unique: check_unique(rule, r); break;
    default: check_values(rule, r); break;
  }
}

// Rules on each present value of the rule's fields.
void RuleRun::check_values(const Rule& rule, const Record& r) {
  for (std::size_t i = 0; i < rule.fields.size(); ++i) {
    const std::string& f = rule.fields[i];
    const std::string& v = r.at(rule.field_at[i]);
    if (v.empty()) continue;
    switch (rule.kind) {
      case RuleKind::codes:
        if (std::none_of(rule.lists.begin(), rule.lists.end(),
                         [&](const std::string& l) { return v_.catalogue_.codes().contains(l, v_.year_, v); }))
          issue(rule, r, f);
        break;
      case RuleKind::pattern:
        if (!std::regex_match(v, rule.pattern)) issue(rule, r, f);
        break;
      case RuleKind::not_in:
        if (std::find(rule.values.begin(), rule.values.end(), v) != rule.values.end()) issue(rule, r, f);
        break;
      case RuleKind::equals: {
        Ref expected_ref;
        if (!rule.value.empty() && rule.value[0] == '$') expected_ref.fact = rule.value;
        std::string expected = expected_ref.fact.empty() ? rule.value : value(expected_ref, r);
        if (!expected.empty() && v != expected) issue(rule, r, f);
        break;
      }
      case RuleKind::identifier:
        if (auto problem = identifier_problem(rule, v); !problem.empty()) issue(rule, r, f, problem);
        break;
      default: break;
    }
  }
}

std::string RuleRun::identifier_problem(const Rule& rule, const std::string& v) const {
  if (rule.algorithm == "upn_la") {
    if (v.size() != 13) return "";  // upn_shape reports it
    const std::string la = v.substr(1, 3);
    const auto& codes = v_.catalogue_.codes();
    return codes.contains("la", v_.year_, la) || codes.contains("la_retired", v_.year_, la) ? "" : "unknown LA";
  }
  return text::identifier_problem(rule.algorithm, v);
}

// The field an issue points at: the rule's own later date, else its own earlier one.
static std::string own_field(const Rule& rule) {
  for (const Ref* ref : {&rule.then, &rule.first})
    if (!ref->kind && ref->fact.empty() && !ref->field.empty()) return ref->field;
  return rule.fields.empty() ? "" : rule.fields.front();
}

void RuleRun::check_dates(const Rule& rule, const Record& r) {
  if (rule.kind == RuleKind::age) {  // birth: the rule's field, or "birth" (person.birth_date)
    auto birth = text::parse_iso(rule.fields.empty() ? value(rule.first, r) : r.at(rule.field_at.front()));
    auto at = text::parse_iso(value(rule.then, r));
    if (!birth || !at) return;
    int age = whole_years(*birth, *at);
    if ((rule.min && age < *rule.min) || (rule.max && age > *rule.max))
      issue(rule, r, rule.fields.empty() ? rule.then.field : rule.fields.front());
    return;
  }
  auto a = text::parse_iso(value(rule.first, r));
  auto b = text::parse_iso(value(rule.then, r));
  if (!a || !b) return;  // missing values are the required rules' business
  bool ok = rule.kind == RuleKind::within_days ? text::to_days(*b) - text::to_days(*a) <= rule.days
            : rule.op == "<"                   ? *a < *b
            : rule.op == "=="                  ? *a == *b
                                               : *a <= *b;
  if (!ok) issue(rule, r, own_field(rule));
}

void RuleRun::check_children(const Rule& rule, const Record& r) {
  std::vector<const Record*> kids;
  for (const Record* k : case_.children(r, *rule.child))
    if (holds_all(rule.child_when, *k)) kids.push_back(k);
  for (RecordKind also : rule.also)
    for (const Record* k : case_.children(r, also)) kids.push_back(k);
  if (rule.kind == RuleKind::count) {
    const int n = static_cast<int>(kids.size());
    if ((rule.min && n < *rule.min) || (rule.max && n > *rule.max)) {
      issue(rule, r, "");
      out_.back().field = v_.names_.record_element(*rule.child);
    }
    return;
  }
  std::set<std::string> seen;
  for (const Record* k : kids) {
    const std::string& v = k->at(rule.field_at.front());
    if (!v.empty() && !seen.insert(v).second) {
      issue(rule, *k, rule.fields.front());
      return;
    }
  }
}

void RuleRun::check_unique(const Rule& rule, const Record& r) {
  std::uint64_t key = kFnvBasis;
  bool any = false;
  for (const std::size_t at : rule.field_at) {
    const std::string& v = r.at(at);
    any = any || !v.empty();
    key = hash_folded(key, v);
    key = (key ^ 0x1fU) * 1099511628211ULL;   // the fields' separator
  }
  if (!any) return;
  if (!v_.seen_[&rule].insert(key)) issue(rule, r, rule.fields.front());
}

}  // namespace sendhub
