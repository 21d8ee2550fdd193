// blade_reader.h: a council's past SEN2 returns as COLLECT exports them, the "Blade" CSV
// export (shared/spec/blade.md): one CSV per SEN2 module (sen2, person, requests, assessment,
// namedplan, plandetail, activeplans, placementdetail, senneed) joined by table ids. Read
// through the layout of the return's year, so the records are those the year's XML gives.
#pragma once

#include "sendhub/plugin.h"

namespace sen2 {

class BladeSource final : public sendhub::Source {
 public:
  void read(sendhub::SourceContext& ctx) override;
};

}  // namespace sen2
