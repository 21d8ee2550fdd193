// sen2_fixtures.h: small hand-written SEN2 returns for the error-path tests.
#pragma once

#include <string>
#include <vector>

namespace sendhub::test {

inline std::string sen2_person(const std::string& surname, const std::string& birth = "2014-03-02",
                               const std::string& extra = "") {
  return "<Person><Surname>" + surname + "</Surname><Forename>Kit</Forename><PersonBirthDate>" + birth +
         "</PersonBirthDate><Sex>F</Sex><Ethnicity>WBRI</Ethnicity><PostCode>BL9 0AB</PostCode>"
         "<UPNunknown>UN2</UPNunknown>" + extra +
         "<Requests><ReceivedDate>2025-02-03</ReceivedDate><RequestSource>1</RequestSource><RYA>0</RYA>"
         "<RequestOutcomeDate>2025-03-10</RequestOutcomeDate><RequestOutcome>Y</RequestOutcome>"
         "<RequestMediation>0</RequestMediation><RequestTribunal>0</RequestTribunal>"
         "<Assessment><AssessmentOutcome>A</AssessmentOutcome></Assessment></Requests></Person>";
}

// Census days of schemas/sen2/years.json: a file's ReferenceDate must fall in its Year.
inline std::string census_day_of(int year) {
  switch (year) {
    case 2024: return "2024-01-18";
    case 2025: return "2025-01-16";
    case 2026: return "2026-01-15";
    case 2027: return "2027-01-21";
    default: return std::to_string(year) + "-01-15";
  }
}

inline std::string sen2_return(const std::vector<std::string>& persons, int year = 2026) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header><CollectionDetails>"
                    "<Collection>SEN2</Collection><Year>" + std::to_string(year) +
                    "</Year><ReferenceDate>" + census_day_of(year) + "</ReferenceDate></CollectionDetails><Source>"
                    "<SourceLevel>L</SourceLevel><LEA>351</LEA><SoftwareCode>t</SoftwareCode><Release>1</Release>"
                    "<SerialNo>001</SerialNo><DateTime>2026-01-15T00:00:00</DateTime><DMO>Y</DMO><DCO>N</DCO>"
                    "<DSCO>R</DSCO></Source></Header>\n<Persons>\n";
  for (const auto& p : persons) out += p + "\n";
  return out + "</Persons>\n</Message>\n";
}

}  // namespace sendhub::test
