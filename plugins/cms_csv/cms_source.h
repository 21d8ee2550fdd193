// cms_source.h: the cms_csv source. Case-management exports (Capita One, Synergy,
// Liquidlogic, Mosaic...) read through a mapping profile: one record kind per file,
// bad rows quarantined with file, line, column and reason, good rows loaded.
#pragma once

#include "sendhub/plugin.h"

namespace cms {

class CmsSource final : public sendhub::Source {
 public:
  void check(const sendhub::Settings& settings) override;
  // Every matched file's encoding, header row and mapped columns, as read() would find them.
  void probe(const sendhub::Settings& settings) override;
  void read(sendhub::SourceContext& ctx) override;
  std::string suggest(const std::string& file, const std::string& record, const sendhub::HostContext& host) override;
};

}  // namespace cms
