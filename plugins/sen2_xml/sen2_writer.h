// sen2_writer.h: the sen2_xml sink. Writes the SEN2 return of one year from the store,
// elements in that year's order, empty optional elements left out, via temp + rename.
#pragma once

#include "sendhub/plugin.h"

namespace sen2 {

class Sen2Sink final : public sendhub::Sink {
 public:
  void write(sendhub::SinkContext& ctx) override;
};

}  // namespace sen2
