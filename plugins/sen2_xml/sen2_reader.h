// sen2_reader.h: the sen2_xml source. Reads SEN2 XML returns of every year that has a
// layout, one Person (with its whole request chain) at a time into canonical records.
#pragma once

#include "sendhub/plugin.h"

namespace sen2 {

class Sen2Source final : public sendhub::Source {
 public:
  void read(sendhub::SourceContext& ctx) override;
};

}  // namespace sen2
