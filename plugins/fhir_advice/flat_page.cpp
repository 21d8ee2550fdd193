#include "flat_page.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>

#include <cstdint>
#include <string_view>

namespace fhir {
namespace {

// The containers on the paths the source reads (page_view.h), each an object or an array.
enum class Node : std::uint8_t {
  none, root, entries, entry, task, meta, identifiers, identifier, focus, focus_id, for_, for_id, code, codings,
  coding, restriction, period, execution, reason, reason_codings, reason_coding, links, link,
};

// What a member's value is: a container to go into, or text to keep.
enum class Leaf : std::uint8_t { none, field, bundle_type, relation, url };

struct Member {
  std::string_view key;
  Node child = Node::none;
  Leaf leaf = Leaf::none;
  TaskField field = TaskField::id;
};

struct Shape {
  bool array = false;
  Node element = Node::none;   // an array's elements
  bool first_only = false;     // only its first element is read ([0])
  std::vector<Member> members;
};

Member into(std::string_view key, Node child) { return {key, child, Leaf::none, TaskField::id}; }
Member leaf(std::string_view key, TaskField field) { return {key, Node::none, Leaf::field, field}; }
Member leaf(std::string_view key, Leaf what) { return {key, Node::none, what, TaskField::id}; }
Shape object(std::vector<Member> members) { return {false, Node::none, false, std::move(members)}; }
Shape array(Node element, bool first_only) { return {true, element, first_only, {}}; }

// The table of paths, by node: what dom_page.cpp reads with getObject, getArray and [0].
const std::vector<Shape>& shapes() {
  using F = TaskField;
  static const std::vector<Shape> kShapes = {
      /* none */ object({}),
      /* root */ object({leaf("resourceType", Leaf::bundle_type), into("entry", Node::entries), into("link", Node::links)}),
      /* entries */ array(Node::entry, false),
      /* entry */ object({into("resource", Node::task)}),
      /* task */
      object({leaf("resourceType", F::resource_type), leaf("id", F::id), into("meta", Node::meta),
              into("identifier", Node::identifiers), into("focus", Node::focus), into("for", Node::for_),
              into("code", Node::code), leaf("authoredOn", F::authored_on), into("restriction", Node::restriction),
              leaf("status", F::status), into("executionPeriod", Node::execution), into("statusReason", Node::reason)}),
      /* meta */ object({leaf("versionId", F::version), leaf("lastUpdated", F::last_updated)}),
      /* identifiers */ array(Node::identifier, true),
      /* identifier */ object({leaf("value", F::identifier)}),
      /* focus */ object({into("identifier", Node::focus_id)}),
      /* focus_id */ object({leaf("value", F::focus)}),
      /* for_ */ object({into("identifier", Node::for_id), leaf("reference", F::for_reference)}),
      /* for_id */ object({leaf("system", F::for_system), leaf("value", F::for_value)}),
      /* code */ object({into("coding", Node::codings)}),
      /* codings */ array(Node::coding, true),
      /* coding */ object({leaf("code", F::code)}),
      /* restriction */ object({into("period", Node::period)}),
      /* period */ object({leaf("end", F::due)}),
      /* execution */ object({leaf("end", F::provided)}),
      /* reason */ object({into("coding", Node::reason_codings)}),
      /* reason_codings */ array(Node::reason_coding, true),
      /* reason_coding */ object({leaf("code", F::reason)}),
      /* links */ array(Node::link, false),
      /* link */ object({leaf("relation", Leaf::relation), leaf("url", Leaf::url)}),
  };
  return kShapes;
}

const Shape& shape(Node n) { return shapes()[static_cast<std::size_t>(n)]; }

// The parser's events, followed down the table's paths; everything else is passed over.
class PageReader final : public Poco::JSON::Handler {
 public:
  explicit PageReader(FlatPage::Read& page) : page_(page) {}

  void reset() override { frames_.clear(); }
  void startObject() override { open(false); }
  void endObject() override { frames_.pop_back(); }
  void startArray() override { open(true); }
  void endArray() override { frames_.pop_back(); }

  void key(const std::string& k) override {
    Frame& f = frames_.back();
    f.member = nullptr;
    const auto& members = shape(f.node).members;
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (members[i].key != k) continue;
      // Written twice: the parsed object keeps the last, which this reader cannot promise.
      if (f.seen & (1u << i)) page_.sure = false;
      f.seen |= 1u << i;
      f.member = &members[i];
      break;
    }
  }

  void null() override {
    if (const Member* m = start_value(); m && m->leaf != Leaf::none) page_.sure = false;
  }
  void value(int v) override { scalar(v); }
  void value(unsigned v) override { scalar(v); }
  void value(Poco::Int64 v) override { scalar(v); }
  void value(Poco::UInt64 v) override { scalar(v); }
  void value(double v) override { scalar(v); }
  void value(bool v) override { scalar(v); }
  void value(const std::string& v) override {
    if (const Member* m = start_value(); m && m->leaf != Leaf::none) keep(*m, v);
  }

 private:
  struct Frame {
    Node node = Node::none;
    bool array = false;
    std::size_t index = 0;            // an array's next element
    const Member* member = nullptr;   // an object's member whose value comes next
    std::uint32_t seen = 0;           // its members met so far, by place in the table
  };

  // A value begins: the member it is the value of (in an object), none in an array (whose
  // element is counted, and is an entry of its own in Bundle.entry).
  const Member* start_value() {
    if (frames_.empty()) return nullptr;
    Frame& f = frames_.back();
    if (f.array) {
      ++f.index;
      if (f.node == Node::entries) page_.entries.emplace_back();
      return nullptr;
    }
    const Member* m = f.member;
    f.member = nullptr;
    return m;
  }

  // The node a container that begins here is, or none (off the table's paths, or of the other
  // kind: getObject gives nothing for an array, getArray for an object).
  void open(bool is_array) {
    Node node = Node::none;
    if (frames_.empty()) {
      page_.object = !is_array;
      node = is_array ? Node::none : Node::root;
    } else {
      const Frame& f = frames_.back();
      const std::size_t element = f.index;   // before start_value counts it
      const Member* m = start_value();
      if (f.array && (!shape(f.node).first_only || element == 0)) node = shape(f.node).element;
      if (m && m->leaf != Leaf::none) page_.sure = false;   // a container where text is read
      if (m) node = m->child;
      if (node != Node::none && shape(node).array != is_array) node = Node::none;
    }
    if (node == Node::task) page_.entries.back().emplace();
    if (node == Node::link) page_.links.emplace_back();
    frames_.push_back({node, is_array, 0, nullptr, 0});
  }

  template <typename T>
  void scalar(T v) {
    if (const Member* m = start_value(); m && m->leaf != Leaf::none) keep(*m, Poco::Dynamic::Var(v).convert<std::string>());
  }

  void keep(const Member& m, std::string text) {
    switch (m.leaf) {
      case Leaf::field: page_.entries.back()->set(m.field, std::move(text)); break;
      case Leaf::bundle_type: page_.resource_type = std::move(text); break;
      case Leaf::relation: page_.links.back().first = std::move(text); break;
      case Leaf::url: page_.links.back().second = std::move(text); break;
      case Leaf::none: break;
    }
  }

  FlatPage::Read& page_;
  std::vector<Frame> frames_;
};

}  // namespace

std::string FlatTask::text(TaskField field) const {
  const auto& v = values_[static_cast<std::size_t>(field)];
  return v ? *v : "";
}

FlatPage::FlatPage(const std::string& text) {
  Poco::JSON::Parser parser(new PageReader(read_));
  parser.parse(text);
}

}  // namespace fhir
