// fhir_source.h: the fhir_advice source. Health partners' advice requests as FHIR R4
// Task resources, read page by page from a search, incrementally from a high-water mark
// that is committed with the records (a failed run stores nothing and is simply repeated).
#pragma once

#include "sendhub/plugin.h"

namespace fhir {

class FhirSource final : public sendhub::Source {
 public:
  void check(const sendhub::Settings& settings) override;
  void probe(const sendhub::Settings& settings) override;
  void read(sendhub::SourceContext& ctx) override;
};

}  // namespace fhir
