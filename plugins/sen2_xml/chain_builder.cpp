#include "chain_builder.h"

#include <algorithm>


namespace sen2 {
namespace {

using sendhub::Error;
using sendhub::Record;
using sendhub::RecordKind;
using sendhub::Where;

// Elements that repeat in place get an index in their path. ActivePlans is 0..1 per
// request although its record (a review) is a history in the dataset.
bool repeats(RecordKind kind) {
  if (kind == RecordKind::review) return false;
  return kind == RecordKind::person || kind == RecordKind::request || sendhub::spec(kind).key_fields == 2;
}

std::string_view trimmed(std::string_view v) {
  const char* ws = " \t\r\n";
  const auto a = v.find_first_not_of(ws);
  if (a == std::string_view::npos) return {};
  return v.substr(a, v.find_last_not_of(ws) - a + 1);
}

// <ActivePlans> holding only placements and needs has no review facts of its own: its
// record would be an empty shell (the writer puts the element back around its children).
bool empty_shell(const Record& r) {
  if (r.kind() != RecordKind::review || !r.extras.empty()) return false;   // 2023's Res and WBP are facts
  for (std::size_t i = 2; i < r.size(); ++i)  // after request_ref and seq
    if (!r.at(i).empty()) return false;
  return true;
}

}  // namespace

void Frame::open(const Group* g, std::optional<std::size_t> rec, std::int64_t at) {
  group = g;
  record = rec;
  counts.assign(g ? g->members.size() : 0, 0);
  line = at;
  last_member = 0;
  out_of_order = false;
}

void Frame::set_path(std::string_view parent, std::string_view element, int index) {
  path.assign(parent).append("/").append(element);
  if (index > 0) path.append("[").append(std::to_string(index)).append("]");
}

const Member* ChainBuilder::enter(Frame& parent, std::string_view name, std::int64_t line, int& n) {
  const Member* m = parent.group ? parent.group->find(name, parent.last_member > 0 ? parent.last_member - 1 : 0) : nullptr;
  if (!m) {
    n = 1;
    problem(line, parent.path + "/" + std::string(name), name, "sen2.element",
            "element is not part of the " + std::to_string(layout_->year) + " layout");
    return nullptr;
  }
  const auto at = static_cast<std::size_t>(m - parent.group->members.data());
  n = ++parent.counts[at];
  // sen2.md §2.9: elements follow the year's order; one out of it is a query, not a
  // reason to refuse the record (what it says is still clear).
  if (at + 1 < parent.last_member && !parent.out_of_order) {
    parent.out_of_order = true;
    out_.query(Error(Where{file_, line, parent.path + "/" + std::string(name)}, std::string(name), "sen2.order",
                     std::string(name) + " comes after " + parent.group->members[parent.last_member - 1].element +
                         ", against the " + std::to_string(layout_->year) + " order of " + parent.group->element));
  }
  parent.last_member = std::max(parent.last_member, at + 1);
  return m;
}

void ChainBuilder::build(std::string_view bytes, const std::vector<XmlPiece>& pieces, std::int64_t line,
                         const Frame& parent, const Group& group, int n) {
  records_.clear();
  problem_.reset();
  raw_.assign(bytes.substr(0, kMaxRaw));
  bytes_ = bytes;
  pieces_ = &pieces;
  if (frames_.empty()) frames_.resize(XmlScanner::kMaxDepth + 1);
  Frame& f = frames_[0];
  f.set_path(parent.path, group.element, repeats(*group.kind) ? n : 0);
  f.open(&group, std::nullopt, line);
  f.record = start_record(*group.kind, f, n);
  walk(1, 0);
  std::erase_if(records_, empty_shell);
}

std::size_t ChainBuilder::end_of(std::size_t start) const {
  const auto& pieces = *pieces_;
  std::size_t depth = 0;
  for (std::size_t i = start;; ++i) {
    if (pieces[i].kind == XmlPiece::start) ++depth;
    else if (pieces[i].kind == XmlPiece::end && --depth == 0) return i;
  }
}

std::size_t ChainBuilder::walk(std::size_t at, std::size_t depth) {
  const auto& pieces = *pieces_;
  while (pieces[at].kind != XmlPiece::end) {
    const XmlPiece& child = pieces[at];
    if (child.kind != XmlPiece::start) {   // text between elements is passed over
      ++at;
      continue;
    }
    Frame& parent = frames_[depth];
    int n = 0;
    const Member* m = enter(parent, name(child), child.line, n);
    if (!m) {
      at = end_of(at) + 1;
      continue;
    }
    if (!m->is_group()) {
      at = item(at, *m, parent, n) + 1;
      continue;
    }
    const Group& g = layout_->group(m->element);
    Frame& f = frames_[depth + 1];
    f.set_path(parent.path, m->element, g.kind && repeats(*g.kind) ? n : 0);
    f.open(&g, parent.record, child.line);
    if (g.kind) f.record = start_record(*g.kind, f, n);
    at = walk(at + 1, depth + 1) + 1;
  }
  return at;
}

std::size_t ChainBuilder::item(std::size_t at, const Member& m, const Frame& parent, int n) {
  const auto& pieces = *pieces_;
  const std::int64_t line = pieces[at].line;
  if (n > 1) problem(line, parent.path + "/" + m.element, m.element, "sen2.repeated", "element appears more than once");
  value_.clear();
  std::size_t i = at + 1;
  for (; pieces[i].kind != XmlPiece::end; ++i) {
    const XmlPiece& part = pieces[i];
    if (part.kind != XmlPiece::start) {
      append_value(value_, bytes_.substr(part.at, part.size), part.kind);
      continue;
    }
    problem(part.line, parent.path + "/" + m.element + "/" + std::string(name(part)), name(part), "sen2.element",
            "expected a value, found elements");
    return end_of(at);
  }
  if (value_.size() > kMaxValue) {
    problem(line, parent.path + "/" + m.element, m.element, "xml.value", "value longer than 65536 characters");
    return i;
  }
  if (!parent.record) return i;
  Record& r = m.owner ? owner_record(*m.owner, records_[*parent.record]) : records_[*parent.record];
  std::string value(trimmed(value_));
  if (m.extra) {
    r.extras[m.field] = std::move(value);
    return i;
  }
  if (sendhub::field_index(r.kind(), m.field) < 0) return i;
  if (auto code = m.codes.find(value); code != m.codes.end()) value = code->second;
  r.set(m.field, std::move(value), line);
  return i;
}

std::size_t ChainBuilder::start_record(RecordKind kind, const Frame& f, int n) {
  if (records_.empty() && kind == RecordKind::person) ++person_position_;
  Record& r = pool_.add(records_, kind);
  r.origin.file.assign(file_);
  r.origin.line = f.line;
  r.origin.path.assign(f.path);
  r.return_year = layout_->year;
  const std::string year = std::to_string(layout_->year);
  if (kind == RecordKind::person) {
    person_ref_ = year + "-P" + std::to_string(person_position_);
    r.set("person_ref", person_ref_);
  } else if (kind == RecordKind::request) {
    request_ref_ = person_ref_ + "-R" + std::to_string(n);
    r.set("request_ref", request_ref_).set("person_ref", person_ref_);
  } else if (kind != RecordKind::la_return) {
    r.set("request_ref", request_ref_);
    if (sendhub::spec(kind).key_fields == 2) r.set("seq", std::to_string(n));
  }
  return records_.size() - 1;
}

// The chain's record of that kind (the plan for TransferLA), made when the return has
// none (then it holds only these facts, and validation says what is missing).
Record& ChainBuilder::owner_record(RecordKind kind, const Record& from) {
  const std::string ref = from.get("request_ref");
  for (auto& r : records_)
    if (r.kind() == kind && r.get("request_ref") == ref) return r;
  const Where origin = from.origin;   // adding may move `from`
  const int year = from.return_year;
  Record& r = pool_.add(records_, kind);
  r.origin = origin;
  r.return_year = year;
  r.set("request_ref", ref);
  return r;
}

void ChainBuilder::problem(std::int64_t line, const std::string& path, std::string_view field, const char* rule,
                           const std::string& message) {
  if (!records_.empty()) {
    if (!problem_) problem_.emplace(Where{file_, line, path}, std::string(field), rule, message);
    return;
  }
  // Outside any Person or Header: nothing to hang it on, so it stands alone.
  out_.stray(Error(Where{file_, line, path}, std::string(field), rule, message));
}

}  // namespace sen2
