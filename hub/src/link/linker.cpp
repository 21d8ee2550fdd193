#include "link/linker.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "link/clusters.h"
#include "link/normalise.h"
#include "link/person_key.h"
#include "link/precedence.h"
#include "text/identifiers.h"

namespace sendhub {
namespace {

// privacy.md §5: the identifiers a person_key is made from, best first; without any, the
// folded name and birth date.
constexpr const char* kKeyFields[] = {"upn", "uln", "nhs_number"};
constexpr int kNameRank = 3;

bool is_name(const std::string& field) { return field == "surname" || field == "forename"; }

std::string normal(const std::string& field, const std::string& value) {
  if (value.empty()) return "";
  if (is_name(field)) return fold_name(value);
  if (field == "birth_date") return value;
  return fold_identifier(value);
}

using Bucket = std::vector<std::pair<std::uint32_t, std::string>>;   // (node, tie-breaker)

class Linker {
 public:
  Linker(LinkScratch& scratch, const LinkOptions& options, const LinkRules& rules)
      : s_(scratch), options_(options), rules_(rules), precedence_(options.precedence, options.connector_of, rules),
        clusters_(rules.strong.size()) {}

  LinkCounts run() {
    if (options_.only_changes && s_.knows_changes()) narrow();
    load_nodes();
    for (std::size_t i = 0; i < rules_.rules.size(); ++i) apply(i);
    for (std::uint32_t n = 0; n < clusters_.size(); ++n) {
      const std::uint8_t rule = clusters_.rule(n);
      s_.set_root(n, clusters_.root(n), rule == 0 ? "" : rules_.rules[rule - 1].id);
    }
    PersonKeys keys(options_.salt);
    s_.each_root([&](const LinkRoot& r) {
      // Two people with the same name and birth date and no identifier: told apart by postcode.
      const std::string id = !r.shared ? r.best : r.best + "|" + r.postcode + "|" + r.source + "|" + r.person_ref;
      s_.set_person_key(r.root, keys.of(id));
      ++counts_.people;
    });
    link_requests();
    link_advice();
    resolve();
    return counts_;
  }

 private:
  // A value failing its check is a typo, not an identity.
  static std::string strong_value(const Record& r, const StrongId& s) {
    std::string v = normal(s.field, r.get(s.field));
    if (v.empty() || (!s.valid.empty() && !text::identifier_problem(s.valid, v).empty())) return "";
    return v;
  }

  LinkNode node_of(const Record& r) const {
    LinkNode node{r.source, r.get("person_ref"), {}, {}, {}, "", kNameRank, normal("postcode", r.get("postcode")), ""};
    for (const auto& s : rules_.strong) node.strong.push_back(strong_value(r, s));
    auto strong_of = [&](const std::string& field) -> const std::string* {
      for (std::size_t i = 0; i < rules_.strong.size(); ++i)
        if (rules_.strong[i].field == field) return &node.strong[i];
      return nullptr;
    };
    for (const auto& rule : rules_.rules) {
      std::string key;
      bool complete = true;
      for (const auto& f : rule.match) {
        const std::string* strong = strong_of(f);
        const std::string v = strong ? *strong : normal(f, r.get(f));
        complete = complete && !v.empty();
        key += v + '\x1f';
      }
      node.keys.push_back(complete ? key : "");
      node.ties.push_back(rule.tie_breaker.empty() ? "" : normal(rule.tie_breaker, r.get(rule.tie_breaker)));
    }
    for (int rank = 0; rank < kNameRank && node.best.empty(); ++rank)
      if (const std::string* v = strong_of(kKeyFields[rank]); v && !v->empty()) node.best = *v, node.best_rank = rank;
    if (const std::string* nhs = strong_of("nhs_number")) node.nhs_number = *nhs;
    if (node.best.empty()) node.best = fold_name(r.get("surname")) + "|" + fold_name(r.get("forename")) + "|" + r.get("birth_date");
    return node;
  }

  // The changed records' new keys, from which the scratch finds what they could touch.
  void narrow() {
    s_.each_changed([&](const Record& r) {
      if (r.kind() == RecordKind::person) s_.add_changed_person(node_of(r));
      else s_.add_changed_advice(r, normal("nhs_number", r.get("nhs_number")));
      ++counts_.changed;
    });
    counts_.narrowed = s_.narrow() >= 0;
  }

  void load_nodes() {
    clusters_.reserve(static_cast<std::size_t>(s_.person_records()));
    s_.each_person([&](const Record& r) {
      const LinkNode node = node_of(r);
      clusters_.add(node.strong);
      s_.add_node(node);
      ++counts_.person_records;
    });
  }

  // A record joins every cluster it matches, unless those clusters could not all be one
  // person (two children with the same name and birth date, nothing to tell which): such a
  // record is ambiguous and stays apart, rather than risk a false link.
  void apply(std::size_t rule) {
    const auto rule_no = static_cast<std::uint8_t>(rule + 1);
    s_.each_bucket(rule, [&](Bucket& list) {
      // The tie-breaker agrees where both records have it; no strong identifier disagrees.
      auto compatible = [&](std::size_t x, std::size_t y) {
        const std::string &tx = list[x].second, &ty = list[y].second;
        return (tx.empty() || ty.empty() || tx == ty) && clusters_.compatible(list[x].first, list[y].first);
      };
      std::vector<std::vector<std::size_t>> candidates(list.size());
      std::vector<char> ambiguous(list.size(), 0);
      for (std::size_t b = 0; b < list.size(); ++b) {
        for (std::size_t a = 0; a < list.size(); ++a)
          if (a != b && clusters_.root(list[a].first) != clusters_.root(list[b].first) && compatible(a, b))
            candidates[b].push_back(a);
        const auto& c = candidates[b];
        for (std::size_t i = 0; i < c.size() && !ambiguous[b]; ++i)
          for (std::size_t j = i + 1; j < c.size(); ++j)
            if (!compatible(c[i], c[j])) ambiguous[b] = 1;
      }
      for (std::size_t b = 0; b < list.size(); ++b)
        if (!ambiguous[b])
          for (std::size_t a : candidates[b])
            if (!ambiguous[a] && compatible(a, b)) clusters_.join(list[a].first, list[b].first, rule_no);
    });
  }

  void link_requests() {
    s_.each_person_requests([&](const std::string& key, std::vector<CaseRequest>& requests) {
      const std::vector<std::string> cases = key.empty() ? std::vector<std::string>(requests.size()) : cases_of(requests);
      for (std::size_t i = 0; i < requests.size(); ++i) {
        const CaseRequest& r = requests[i];
        const std::string c = !cases[i].empty() ? key + "/" + cases[i] : r.source + "/" + r.request_ref;
        s_.add_request_link({r.source, r.request_ref, key, c, key.empty() ? "unlinked" : "person_ref"});
        counts_.unlinked_requests += key.empty() ? 1 : 0;
      }
    });
  }

  // One person's requests: the same request in two sources or two returns is one case, by
  // the same received date or the same plan start date (a return carries an old request as
  // H, without its received date). A case is named by its earliest received date, else its
  // plan ("" when it has neither).
  static std::vector<std::string> cases_of(const std::vector<CaseRequest>& all) {
    std::vector<std::size_t> group(all.size());
    std::iota(group.begin(), group.end(), 0);
    auto find = [&](std::size_t i) {
      while (group[i] != i) i = group[i] = group[group[i]];
      return i;
    };
    auto when_of = [](const CaseRequest& r) { return !r.received_date.empty() ? r.received_date : !r.plan_start.empty() ? "plan " + r.plan_start : ""; };
    std::map<std::string, std::size_t> first_with;
    for (std::size_t i = 0; i < all.size(); ++i)
      for (const std::string& mark : {all[i].received_date, all[i].plan_start.empty() ? "" : "plan " + all[i].plan_start}) {
        if (mark.empty()) continue;
        auto [at, fresh] = first_with.emplace(mark, i);
        if (!fresh) group[find(i)] = find(at->second);
      }
    std::map<std::size_t, std::string> case_of_group;
    auto is_plan = [](const std::string& w) { return w.rfind("plan ", 0) == 0; };
    for (std::size_t i = 0; i < all.size(); ++i) {
      const std::string when = when_of(all[i]);
      std::string& c = case_of_group[find(i)];
      if (!when.empty() && (c.empty() || (is_plan(c) && !is_plan(when)) || (!is_plan(when) && when < c))) c = when;
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < all.size(); ++i) out.push_back(case_of_group[find(i)]);
    return out;
  }

  void link_advice() {
    s_.each_advice([&](const Record& a) {
      AdviceLink l{a.source, a.get("advice_ref"), "", "", "", "unlinked"};
      const std::string& request_ref = a.get("request_ref");
      const std::string nhs = normal("nhs_number", a.get("nhs_number"));
      const auto found = request_ref.empty() ? std::vector<LinkedRequest>{} : s_.requests_with_ref(request_ref);
      if (!found.empty()) {
        const auto best = std::min_element(found.begin(), found.end(), [&](const LinkedRequest& x, const LinkedRequest& y) {
          return precedence_.rank("default", x.source) < precedence_.rank("default", y.source);
        });
        l = {a.source, a.get("advice_ref"), best->person_key, best->source, request_ref, "request_ref"};
      } else if (auto key = s_.person_with_nhs(nhs); !key.empty()) {
        l.person_key = key;
        l.rule = "nhs_number";
        // The latest request received by the time advice was asked for.
        if (auto r = s_.latest_request(key, a.get("requested_date"))) l.request_source = r->source, l.request_ref = r->request_ref;
      }
      counts_.unlinked_advice += l.person_key.empty() ? 1 : 0;
      s_.add_advice_link(l, a, nhs);
    });
  }

  // A value offered for a field, with what orders it, worked out once: the order used to be
  // rebuilt (an identifier check, a precedence look-up, the record's key) on every comparison
  // of the sort, a third of what resolving took.
  struct Candidate {
    const Record* record;
    const std::string* value;
    bool invalid = false;
    int rank = 0;
    std::string key;
  };

  // A field of the linked person: its place in a person record, its check if it has one.
  struct Field {
    std::string name;
    std::size_t index;
    const StrongId* strong;
  };

  void resolve() {
    std::vector<Field> fields;
    const auto& person_fields = spec(RecordKind::person).fields;
    for (std::size_t i = 0; i < person_fields.size(); ++i) {
      const std::string name(person_fields[i].name);
      if (name == "person_ref") continue;
      const StrongId* strong = nullptr;
      for (const auto& id : rules_.strong)
        if (id.field == name && !id.valid.empty()) strong = &id;
      fields.push_back({name, i, strong});
    }
    const std::size_t advice_nhs = static_cast<std::size_t>(field_index(RecordKind::advice, "nhs_number"));
    std::vector<Candidate> c;
    s_.each_cluster([&](const std::string& key, std::vector<Record>& persons, std::vector<Record>& advice) {
      LinkedPerson person{key, {}, ""};
      person.values.reserve(fields.size());
      for (const Field& f : fields) {
        c.clear();
        for (const Record& r : persons)
          if (!r.at(f.index).empty()) c.push_back({&r, &r.at(f.index), false, 0, {}});
        if (f.name == "nhs_number")
          for (const Record& a : advice)
            if (!a.at(advice_nhs).empty()) c.push_back({&a, &a.at(advice_nhs), false, 0, {}});
        person.values.push_back(choose(person, f, c));
      }
      s_.add_linked(person);
    });
  }

  // The winning value; a disagreement between sources is a conflict (which fields, which
  // sources, who won: never the values). An identifier that fails its check never wins over
  // one that passes; then the source's precedence, the newest return, the source, the key.
  std::string choose(LinkedPerson& person, const Field& field, std::vector<Candidate>& c) {
    if (c.empty()) return "";
    if (c.size() > 1) {
      for (Candidate& x : c) {
        x.invalid = field.strong && !text::identifier_problem(field.strong->valid, normal(field.name, *x.value)).empty();
        x.rank = precedence_.rank(field.name, x.record->source);
        x.key = x.record->key();
      }
      std::sort(c.begin(), c.end(), [](const Candidate& x, const Candidate& y) {
        if (x.invalid != y.invalid) return x.invalid < y.invalid;
        if (x.rank != y.rank) return x.rank < y.rank;
        if (x.record->return_year != y.record->return_year) return x.record->return_year > y.record->return_year;
        if (const int d = x.record->source.compare(y.record->source)) return d < 0;
        return x.key < y.key;
      });
    }
    const Candidate& win = c.front();
    person.origins += (person.origins.empty() ? "" : ";") + field.name + "=" + win.record->source + "|" +
                      (c.size() > 1 ? win.key : win.record->key());
    if (c.size() > 1) note_conflict(person, field.name, c);
    return *win.value;
  }

  // Each source's own best value (the first of its, in the order chosen): when they differ,
  // a conflict.
  void note_conflict(const LinkedPerson& person, const std::string& field, const std::vector<Candidate>& c) {
    std::map<std::string, std::string> per_source;
    for (const auto& x : c) per_source.emplace(x.record->source, normal(field, *x.value));
    std::string sources, first;
    bool differ = false;
    for (const auto& [source, v] : per_source) {
      if (sources.empty()) first = v;
      differ = differ || v != first;
      sources += (sources.empty() ? "" : ";") + source;
    }
    if (!differ) return;
    s_.add_conflict({person.person_key, field, sources, c.front().record->source});
    ++counts_.conflicts;
  }

  LinkScratch& s_;
  const LinkOptions& options_;
  const LinkRules& rules_;
  Precedence precedence_;
  Clusters clusters_;
  LinkCounts counts_;
};

}  // namespace

LinkCounts link_dataset(LinkScratch& scratch, const LinkOptions& options, const LinkRules& rules) {
  return Linker(scratch, options, rules).run();
}

}  // namespace sendhub
