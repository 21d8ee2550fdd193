#include "link/linker.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <numeric>
#include <set>

#include "link/normalise.h"
#include "link/person_key.h"
#include "link/precedence.h"
#include "text/identifiers.h"

namespace sendhub {
namespace {

bool is_name(const std::string& field) { return field == "surname" || field == "forename"; }

std::string normal(const std::string& field, const std::string& value) {
  if (value.empty()) return "";
  if (is_name(field)) return fold_name(value);
  if (field == "birth_date") return value;
  return fold_identifier(value);
}

// Union-find over person records, each cluster carrying its valid strong identifiers.
class Clusters {
 public:
  Clusters(const std::vector<const PackedRecord*>& nodes, const LinkRules& rules) : nodes_(nodes) {
    parent_.resize(nodes.size());
    std::iota(parent_.begin(), parent_.end(), 0);
    strong_.resize(nodes.size());
    rule_.resize(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      Ids ids;
      for (const auto& s : rules.strong)
        if (auto v = strong_value(*nodes[i], s); !v.empty()) ids.emplace_back(field_id(s.field), std::move(v));
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      ids.shrink_to_fit();
      strong_[i] = std::move(ids);
    }
  }

  std::string strong_value(const PackedRecord& r, const StrongId& s) const {
    std::string v = normal(s.field, r.get(s.field));
    if (v.empty() || (!s.valid.empty() && !text::identifier_problem(s.valid, v).empty())) return "";
    return v;  // a value failing its check is a typo, not an identity
  }

  std::size_t root(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }

  // Whether two records' clusters may be one person: the tie-breaker agrees where both
  // have it, and no strong identifier both clusters hold disagrees.
  bool compatible(std::size_t a, std::size_t b, const MatchRule& rule) {
    if (!rule.tie_breaker.empty()) {
      const auto x = normal(rule.tie_breaker, nodes_[a]->get(rule.tie_breaker));
      const auto y = normal(rule.tie_breaker, nodes_[b]->get(rule.tie_breaker));
      if (!x.empty() && !y.empty() && x != y) return false;
    }
    const std::size_t ra = root(a), rb = root(b);
    if (ra == rb) return true;
    const Ids &x = strong_[ra], &y = strong_[rb];
    for (auto i = x.begin(); i != x.end();) {
      const auto field = i->first;
      const auto i_end = std::find_if(i, x.end(), [&](const auto& p) { return p.first != field; });
      const auto j = std::lower_bound(y.begin(), y.end(), std::make_pair(field, std::string()));
      const auto j_end = std::find_if(j, y.end(), [&](const auto& p) { return p.first != field; });
      if (j != j_end && std::none_of(i, i_end, [&](const auto& v) { return std::binary_search(j, j_end, v); }))
        return false;
      i = i_end;
    }
    return true;
  }

  void join(std::size_t a, std::size_t b, const MatchRule& rule) {
    std::size_t ra = root(a), rb = root(b);
    if (ra == rb) return;
    if (rb < ra) std::swap(ra, rb);
    parent_[rb] = ra;
    Ids merged;
    merged.reserve(strong_[ra].size() + strong_[rb].size());
    std::set_union(strong_[ra].begin(), strong_[ra].end(), strong_[rb].begin(), strong_[rb].end(), std::back_inserter(merged));
    strong_[ra] = std::move(merged);
    Ids().swap(strong_[rb]);   // only roots carry identifiers
    for (std::size_t n : {a, b})
      if (rule_[n].empty()) rule_[n] = rule.id;
  }

  const std::string& rule(std::size_t i) const { return rule_[i]; }
  // The valid values of a strong identifier a cluster holds, smallest first.
  std::vector<std::string> values(std::size_t root, const std::string& field) const {
    std::vector<std::string> out;
    for (const auto& [id, v] : strong_[root])
      if (fields_[id] == field) out.push_back(v);
    return out;
  }

 private:
  // (field, value), sorted and unique; field indexes fields_. Few per person, so a flat
  // vector: far smaller than a map of sets for each of a million records.
  using Ids = std::vector<std::pair<std::uint8_t, std::string>>;

  std::uint8_t field_id(const std::string& field) {
    auto it = std::find(fields_.begin(), fields_.end(), field);
    if (it == fields_.end()) it = fields_.insert(fields_.end(), field);
    return static_cast<std::uint8_t>(it - fields_.begin());
  }

  const std::vector<const PackedRecord*>& nodes_;
  std::vector<std::size_t> parent_;
  std::vector<Ids> strong_;
  std::vector<std::string> rule_, fields_;
};

class Linker {
 public:
  Linker(const LinkInput& in, const LinkRules& rules)
      : in_(in), rules_(rules), precedence_(in.precedence, in.connector_of, rules) {
    for (const auto& p : in.persons) nodes_.push_back(&p);
    std::sort(nodes_.begin(), nodes_.end(), [](const PackedRecord* a, const PackedRecord* b) {
      return std::make_tuple(a->source, a->get("person_ref")) < std::make_tuple(b->source, b->get("person_ref"));
    });
  }

  LinkSet run() {
    Clusters clusters(nodes_, rules_);
    for (const auto& rule : rules_.rules) apply(clusters, rule);
    std::map<std::size_t, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < nodes_.size(); ++i) members[clusters.root(i)].push_back(i);
    assign_keys(clusters, members);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const std::string rule = clusters.rule(i).empty() ? "single" : clusters.rule(i);
      out_.persons.push_back({nodes_[i]->source, nodes_[i]->get("person_ref"), key_[clusters.root(i)], rule});
      by_ref_[{nodes_[i]->source, nodes_[i]->get("person_ref")}] = key_[clusters.root(i)];
    }
    for (const auto& [root, strong] : nhs_roots(clusters, members))
      for (const auto& nhs : strong) by_nhs_[nhs] = key_[root];
    link_requests();
    link_advice();
    resolve(members);
    return std::move(out_);
  }

 private:
  void apply(Clusters& clusters, const MatchRule& rule) {
    std::map<std::string, std::vector<std::size_t>> buckets;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      std::string key;
      bool complete = true;
      for (const auto& f : rule.match) {
        std::string v = normal(f, nodes_[i]->get(f));
        for (const auto& s : rules_.strong)
          if (s.field == f) v = clusters.strong_value(*nodes_[i], s);
        complete = complete && !v.empty();
        key += v + '\x1f';
      }
      if (complete) buckets[key].push_back(i);
    }
    // A record joins every cluster it matches, unless those clusters could not all be one
    // person (two children with the same name and birth date, nothing to tell which):
    // such a record is ambiguous and stays apart, rather than risk a false link.
    for (const auto& [key, list] : buckets) {
      std::map<std::size_t, std::vector<std::size_t>> candidates;
      std::set<std::size_t> ambiguous;
      for (std::size_t b : list) {
        for (std::size_t a : list)
          if (a != b && clusters.root(a) != clusters.root(b) && clusters.compatible(a, b, rule)) candidates[b].push_back(a);
        const auto& c = candidates[b];
        for (std::size_t i = 0; i < c.size(); ++i)
          for (std::size_t j = i + 1; j < c.size(); ++j)
            if (!clusters.compatible(c[i], c[j], rule)) ambiguous.insert(b);
      }
      for (std::size_t b : list)
        if (!ambiguous.count(b))
          for (std::size_t a : candidates[b])
            if (!ambiguous.count(a) && clusters.compatible(a, b, rule)) clusters.join(a, b, rule);
    }
  }

  static std::map<std::size_t, std::vector<std::string>> nhs_roots(Clusters& c, const std::map<std::size_t, std::vector<std::size_t>>& members) {
    std::map<std::size_t, std::vector<std::string>> out;
    for (const auto& [root, list] : members)
      if (auto values = c.values(root, "nhs_number"); !values.empty()) out[root] = std::move(values);
    return out;
  }

  // privacy.md §5: the best identifier (UPN, ULN, NHS number, else name and birth date).
  void assign_keys(Clusters& c, const std::map<std::size_t, std::vector<std::size_t>>& members) {
    std::map<std::string, std::vector<std::size_t>> by_key;
    for (const auto& [root, list] : members) {
      std::string best;
      for (const char* field : {"upn", "uln", "nhs_number"})
        if (auto values = c.values(root, field); best.empty() && !values.empty()) best = values.front();
      if (best.empty()) best = name_key(*nodes_[list.front()]);
      by_key[best].push_back(root);
    }
    for (const auto& [best, roots] : by_key) {
      // Two people with the same name and birth date and no identifier: told apart by postcode.
      for (std::size_t root : roots) {
        std::string id = roots.size() == 1 ? best : best + "|" + normal("postcode", nodes_[root]->get("postcode")) + "|" +
                                                        nodes_[root]->source + "|" + nodes_[root]->get("person_ref");
        key_[root] = person_key(in_.salt, id);
      }
    }
  }

  static std::string name_key(const PackedRecord& r) {
    return fold_name(r.get("surname")) + "|" + fold_name(r.get("forename")) + "|" + r.get("birth_date");
  }

  // The same request in two sources or two returns is one case: same person and the same
  // received date, or the same plan start date (a return carries an old request as H,
  // without its received date).
  void link_requests() {
    for (const auto& p : in_.plans) plan_start_[{p.source, p.get("request_ref")}] = p.get("start_date");
    const auto& all = in_.requests;
    std::vector<std::string> keys(all.size());
    std::vector<std::size_t> group(all.size());
    std::iota(group.begin(), group.end(), 0);
    std::function<std::size_t(std::size_t)> find = [&](std::size_t i) { return group[i] == i ? i : group[i] = find(group[i]); };
    std::map<std::string, std::size_t> first_with;
    for (std::size_t i = 0; i < all.size(); ++i) {
      const PackedRecord& r = all[i];
      auto ps = in_.person_sources.find(r.source);
      auto it = by_ref_.find({ps == in_.person_sources.end() ? r.source : ps->second, r.get("person_ref")});
      keys[i] = it == by_ref_.end() ? "" : it->second;
      if (keys[i].empty()) continue;
      std::vector<std::string> marks;
      if (!r.get("received_date").empty()) marks.push_back(keys[i] + "/" + r.get("received_date"));
      if (auto p = plan_start_.find({r.source, r.get("request_ref")}); p != plan_start_.end() && !p->second.empty())
        marks.push_back(keys[i] + "/plan " + p->second);
      for (const auto& mark : marks) {
        auto [at, fresh] = first_with.emplace(mark, i);
        if (!fresh) group[find(i)] = find(at->second);
      }
    }
    std::map<std::size_t, std::string> case_of_group;  // the group's earliest received date, else its plan
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (keys[i].empty()) continue;
      const std::string& received = all[i].get("received_date");
      auto p = plan_start_.find({all[i].source, all[i].get("request_ref")});
      std::string when = !received.empty() ? received : p != plan_start_.end() && !p->second.empty() ? "plan " + p->second : "";
      std::string& c = case_of_group[find(i)];
      if (!when.empty() && (c.empty() || (c.rfind("plan ", 0) == 0 && when.rfind("plan ", 0) != 0) ||
                            (when.rfind("plan ", 0) != 0 && when < c)))
        c = when;
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
      const PackedRecord& r = all[i];
      const std::string& when = keys[i].empty() ? "" : case_of_group[find(i)];
      std::string c = !when.empty() ? keys[i] + "/" + when : r.source + "/" + r.get("request_ref");
      out_.requests.push_back({r.source, r.get("request_ref"), keys[i], c, keys[i].empty() ? "unlinked" : "person_ref"});
      if (!keys[i].empty()) requests_of_[keys[i]].push_back(&r);
      by_request_ref_[r.get("request_ref")].push_back({&r, out_.requests.size() - 1});
    }
  }

  void link_advice() {
    for (const auto& a : in_.advice) {
      AdviceLink l{a.source, a.get("advice_ref"), "", "", "", "unlinked"};
      auto found = by_request_ref_.find(a.get("request_ref"));
      if (!a.get("request_ref").empty() && found != by_request_ref_.end()) {
        auto best = *std::min_element(found->second.begin(), found->second.end(), [&](const auto& x, const auto& y) {
          return rank("default", x.first->source) < rank("default", y.first->source);
        });
        l = {a.source, a.get("advice_ref"), out_.requests[best.second].person_key, best.first->source, a.get("request_ref"),
             "request_ref"};
      } else if (auto nhs = by_nhs_.find(normal("nhs_number", a.get("nhs_number"))); nhs != by_nhs_.end()) {
        l.person_key = nhs->second;
        l.rule = "nhs_number";
        const PackedRecord* nearest = nullptr;  // the latest request received by the time advice was asked for
        for (const PackedRecord* r : requests_of_[nhs->second])
          if (r->get("received_date") <= a.get("requested_date") &&
              (!nearest || r->get("received_date") > nearest->get("received_date")))
            nearest = r;
        if (nearest) l.request_source = nearest->source, l.request_ref = nearest->get("request_ref");
      }
      if (!l.person_key.empty()) advice_nhs_[l.person_key].push_back(&a);
      out_.advice.push_back(std::move(l));
    }
  }

  int rank(const std::string& field, const std::string& source) const { return precedence_.rank(field, source); }

  struct Candidate {
    const PackedRecord* record;
    std::string value;
  };

  void resolve(const std::map<std::size_t, std::vector<std::size_t>>& members) {
    for (const auto& [root, list] : members) {
      LinkedPerson person{key_[root], {}, ""};
      for (const auto& f : spec(RecordKind::person).fields) {
        const std::string field(f.name);
        if (field == "person_ref") continue;
        std::vector<Candidate> c;
        for (std::size_t i : list)
          if (!nodes_[i]->get(field).empty()) c.push_back({nodes_[i], nodes_[i]->get(field)});
        if (field == "nhs_number")
          for (const PackedRecord* a : advice_nhs_[key_[root]])
            if (!a->get("nhs_number").empty()) c.push_back({a, a->get("nhs_number")});
        person.values.push_back(choose(person, field, c));
      }
      out_.linked.push_back(std::move(person));
    }
  }

  // The winning value; a disagreement between sources is a conflict (which fields, which
  // sources, who won: never the values).
  std::string choose(LinkedPerson& person, const std::string& field, std::vector<Candidate>& c) {
    if (c.empty()) return "";
    // An identifier that fails its check never wins over one that passes.
    auto invalid = [&](const Candidate& x) {
      for (const auto& s : rules_.strong)
        if (s.field == field && !s.valid.empty()) return !text::identifier_problem(s.valid, normal(field, x.value)).empty();
      return false;
    };
    std::sort(c.begin(), c.end(), [&](const Candidate& x, const Candidate& y) {
      return std::make_tuple(invalid(x), rank(field, x.record->source), -x.record->return_year, x.record->source, x.record->key()) <
             std::make_tuple(invalid(y), rank(field, y.record->source), -y.record->return_year, y.record->source, y.record->key());
    });
    const Candidate& win = c.front();
    person.origins += (person.origins.empty() ? "" : ";") + field + "=" + win.record->source + "|" + win.record->key();
    std::map<std::string, std::string> per_source;  // each source's own best value
    for (const auto& x : c) per_source.emplace(x.record->source, normal(field, x.value));
    std::set<std::string> distinct;
    for (const auto& [source, v] : per_source) distinct.insert(v);
    if (distinct.size() > 1) {
      std::string sources;
      for (const auto& [source, v] : per_source) sources += (sources.empty() ? "" : ";") + source;
      out_.conflicts.push_back({person.person_key, field, sources, win.record->source});
    }
    return win.value;
  }

  const LinkInput& in_;
  const LinkRules& rules_;
  Precedence precedence_;
  std::vector<const PackedRecord*> nodes_;
  std::map<std::size_t, std::string> key_;
  std::map<std::pair<std::string, std::string>, std::string> by_ref_, plan_start_;
  std::map<std::string, std::string> by_nhs_;
  std::map<std::string, std::vector<const PackedRecord*>> requests_of_, advice_nhs_;
  // request_ref -> each request with it, and its link's index in out_.requests
  std::map<std::string, std::vector<std::pair<const PackedRecord*, std::size_t>>> by_request_ref_;
  LinkSet out_;
};

}  // namespace

LinkSet link_records(const LinkInput& input, const LinkRules& rules) { return Linker(input, rules).run(); }

}  // namespace sendhub
