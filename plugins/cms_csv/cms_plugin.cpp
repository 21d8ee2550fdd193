// cms_plugin.cpp: registers the cms_csv connector (a source) with the host.
#include "cms_source.h"

namespace {

void register_cms(sendhub::Registry& registry) {
  sendhub::ConnectorInfo info;
  info.name = "cms_csv";
  info.version = "1.0.0";
  info.description = "case-management CSV exports, read through a mapping profile (interfaces.md §4)";
  info.source_keys = {
      {"path", "glob", true, "", false, "CSV files to read, e.g. data/cms/requests*.csv"},
      {"profile", "path", true, "", false, "the mapping profile (JSON) saying how to read them"},
  };
  info.make_source = [] { return std::make_unique<cms::CmsSource>(); };
  registry.add(std::move(info));
}

}  // namespace

SENDHUB_PLUGIN(register_cms)
