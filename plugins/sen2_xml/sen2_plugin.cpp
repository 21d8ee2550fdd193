// sen2_plugin.cpp: registers the sen2_xml connector (source and sink) with the host.
#include "blade_reader.h"
#include "sen2_reader.h"
#include "sen2_writer.h"

namespace {

void register_sen2(sendhub::Registry& registry) {
  sendhub::ConnectorInfo info;
  info.name = "sen2_xml";
  info.version = "1.0.0";
  info.description = "SEN2 person-level XML returns (DfE), read and written per return year";
  info.source_keys = {
      {"path", "glob", true, "", false, "SEN2 XML files to read, e.g. data/sen2/*.xml"},
      {"year", "integer", false, "", false, "only accept returns of this year (default: any year with a layout)"},
  };
  info.sink_keys = {
      {"year", "integer", true, "", false, "return year to write, e.g. 2026"},
      {"out", "path", true, "", false, "the XML file to write, assembled from every source (return_readiness.csv and .html beside it)"},
      {"serial_no", "string", false, "001", false, "header SerialNo, 3 digits"},
      {"software_code", "string", false, "sendhub", false, "header SoftwareCode"},
      {"release", "string", false, SENDHUB_VERSION, false, "header Release (default: this build's version)"},
      {"lea", "string", false, "", false, "header LEA (default: la.code, else the loaded return's)"},
      {"dmo", "string", false, "", false, "header DMO, Y/N/R (default: the return of that year as loaded)"},
      {"dco", "string", false, "", false, "header DCO, Y/N/R (default: the return of that year as loaded)"},
      {"dsco", "string", false, "", false, "header DSCO, Y/N/R (default: the return of that year as loaded)"},
      {"force", "boolean", false, "false", false, "write the return even when validation found errors in it (return_readiness.* lists them)"},
  };
  info.make_source = [] { return std::make_unique<sen2::Sen2Source>(); };
  info.make_sink = [] { return std::make_unique<sen2::Sen2Sink>(); };
  registry.add(std::move(info));

  sendhub::ConnectorInfo blade;
  blade.name = "sen2_blade";
  blade.version = "1.0.0";
  blade.description = "past SEN2 returns as COLLECT's Blade CSV export (one CSV per module, versions 1.1 to 1.3)";
  blade.source_keys = {
      {"path", "glob", true, "", false, "the export's CSV files, e.g. data/blade/Blade-Export_28-09-2022_*.csv (several exports may match)"},
  };
  blade.make_source = [] { return std::make_unique<sen2::BladeSource>(); };
  registry.add(std::move(blade));
}

}  // namespace

SENDHUB_PLUGIN(register_sen2)
