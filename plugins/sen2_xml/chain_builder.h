// chain_builder.h: the SEN2 layout walked over a return's elements. The outer elements
// (Message, Persons) come from the scanner one tag at a time; each record element (the
// Header, a Person) comes whole, as the scanner's pieces, and becomes the group of records
// of its chain, with the line and element path of each, and the first problem found in it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "record_pool.h"
#include "sen2_layout.h"
#include "xml_scanner.h"

namespace sen2 {

using plugin_support::RecordPool;

// One open element of the layout.
struct Frame {
  std::string path;
  const Group* group = nullptr;            // null for an item
  std::optional<std::size_t> record;       // the record its items go into
  std::vector<int> counts;                 // children seen, by layout position
  std::int64_t line = 0;
  std::size_t last_member = 0;             // layout position of the last child seen
  bool out_of_order = false;               // said once per element
  void open(const Group* g, std::optional<std::size_t> rec, std::int64_t at);   // path: set_path
  // The parent's path, the element and its index when it has one (0 = none), in place.
  void set_path(std::string_view parent, std::string_view element, int index);
};

// Where the builder says what does not stop it: a query (an element out of order), and a
// problem found outside any record, which has no record to go with.
class ChainOutput {
 public:
  virtual ~ChainOutput() = default;
  virtual void query(const sendhub::Error& what) = 0;
  virtual void stray(const sendhub::Error& why) = 0;
};

class ChainBuilder {
 public:
  static constexpr std::size_t kMaxValue = std::size_t{64} * 1024;   // longest value kept
  static constexpr std::size_t kMaxRaw = std::size_t{1024} * 1024;   // raw XML kept with a Person

  ChainBuilder(std::string file, const Layout* layout, ChainOutput& out, RecordPool& pool)
      : file_(std::move(file)), layout_(layout), out_(out), pool_(pool) {}

  // A child element of `parent` begins: counts it (n: its position among its namesakes),
  // checks its order and says so when the layout has no such element (then null).
  const Member* enter(Frame& parent, std::string_view name, std::int64_t line, int& n);
  // One record element (its bytes and the scanner's pieces of them, both checked as XML),
  // read from `line` on, as the n-th of its name in `parent`.
  void build(std::string_view bytes, const std::vector<XmlPiece>& pieces, std::int64_t line, const Frame& parent,
             const Group& group, int n);

  void use_layout(const Layout* layout) { layout_ = layout; }
  const Layout& layout() const { return *layout_; }
  std::vector<sendhub::Record>& records() { return records_; }
  std::optional<sendhub::Error>& problem() { return problem_; }
  std::string& raw() { return raw_; }   // the record element's bytes, up to kMaxRaw
  void problem(std::int64_t line, const std::string& path, std::string_view field, const char* rule,
               const std::string& message);

 private:
  // From the piece after an element's start to its end, whose index is returned.
  std::size_t walk(std::size_t at, std::size_t depth);
  std::size_t item(std::size_t at, const Member& m, const Frame& parent, int n);
  std::size_t end_of(std::size_t start) const;   // the end piece of the element starting there
  std::string_view name(const XmlPiece& p) const { return bytes_.substr(p.at, p.size); }
  std::size_t start_record(sendhub::RecordKind kind, const Frame& f, int n);
  sendhub::Record& owner_record(sendhub::RecordKind kind, const sendhub::Record& from);

  std::string file_;
  const Layout* layout_;
  ChainOutput& out_;
  RecordPool& pool_;
  std::vector<sendhub::Record> records_;
  std::optional<sendhub::Error> problem_;
  std::string raw_, value_, person_ref_, request_ref_;
  int person_position_ = 0;
  std::vector<Frame> frames_;              // by depth inside the record element, reused
  std::string_view bytes_;                 // the element being built, and its pieces
  const std::vector<XmlPiece>* pieces_ = nullptr;
};

}  // namespace sen2
