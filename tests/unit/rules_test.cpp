// Every rule of the catalogue fires on a small change to a clean return, and stays quiet
// on the clean return and at its boundaries. A table, not a hundred hand-written tests.
#include <gtest/gtest.h>

#include "records/code_check.h"

#include <algorithm>
#include <set>

#include "pipeline/validate_files.h"
#include "rules/key_hashes.h"
#include "rules/rule_catalogue.h"
#include "test_support.h"

namespace sendhub {
namespace {

// A clean return of `year` with one Person and a full chain. P is the year before.
std::string baseline(int year) {
  const bool y2025 = year >= 2025;
  std::string review_tail = year == 2023 ? "<LastReview>P-12-20</LastReview>"
                            : year == 2026 ? "<ReviewMeeting>P-12-01</ReviewMeeting><ReviewOutcome>M</ReviewOutcome><LastReview>P-12-20</LastReview>"
                            : y2025      ? "<ReviewMeeting>P-12-01</ReviewMeeting><LastReview>P-12-20</LastReview><ReviewOutcome>M</ReviewOutcome>"
                                         : "<ReviewMeeting>P-12-01</ReviewMeeting><ReviewOutcome>M</ReviewOutcome><LastReview>P-12-20</LastReview>";
  const std::string census = year == 2026 ? "2026-01-15" : year == 2025 ? "2025-01-16" : year == 2024 ? "2024-01-18" : "2023-01-19";
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header><CollectionDetails><Collection>SEN2</Collection>"
      "<Year>Y</Year><ReferenceDate>" + census + "</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel>"
      "<LEA>351</LEA><SoftwareCode>t</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo>"
      "<DateTime>P-12-31T00:00:00</DateTime><DMO>Y</DMO><DCO>N</DCO>" + std::string(y2025 ? "<DSCO>R</DSCO>" : "") +
      "</Source></Header>\n<Persons>\n"
      "<Person><Surname>Brook</Surname><Forename>Kit</Forename><PersonBirthDate>2014-03-02</PersonBirthDate>"
      "<Sex>F</Sex><Ethnicity>WBRI</Ethnicity><PostCode>BL9 0AB</PostCode><UPN>D351200012345</UPN>\n"
      "<Requests><ReceivedDate>P-02-03</ReceivedDate>" + std::string(y2025 ? "<RequestSource>1</RequestSource>" : "") +
      "<RYA>0</RYA><RequestOutcomeDate>P-03-10</RequestOutcomeDate><RequestOutcome>Y</RequestOutcome>"
      "<RequestMediation>0</RequestMediation><RequestTribunal>0</RequestTribunal>\n"
      "<Assessment><AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>P-06-16</AssessmentOutcomeDate>"
      "<AssessmentMediation>0</AssessmentMediation><AssessmentTribunal>0</AssessmentTribunal><OtherMediation>0</OtherMediation>"
      "<OtherTribunal>0</OtherTribunal><Week20>0</Week20>\n"
      "<NamedPlan><StartDate>P-06-16</StartDate><PlanDetail><URN>100037</URN><PlacementRank>1</PlacementRank>"
      "<SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>0</ResourcedProvisionIndicator></PlanDetail>"
      "<PB>0</PB></NamedPlan></Assessment>\n"
      "<ActivePlans><PlacementDetail><URN>100037</URN><PlacementRank>1</PlacementRank><EntryDate>P-06-16</EntryDate>"
      "<SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>0</ResourcedProvisionIndicator></PlacementDetail>"
      "<SENneed><SENtype>ASD</SENtype><SENtypeRank>1</SENtypeRank></SENneed>" + review_tail +
      "</ActivePlans></Requests></Person>\n</Persons>\n</Message>\n";
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (auto pos = xml.find(from); pos != std::string::npos; pos = xml.find(from, pos + to.size()))
      xml.replace(pos, from.size(), to);
  };
  replace_all("<Year>Y</Year>", "<Year>" + std::to_string(year) + "</Year>");
  if (year == 2023) replace_all("<Sex>F</Sex>", "<GenderCurrent>2</GenderCurrent>");   // sen2.md §1.4
  replace_all(">P-", ">" + std::to_string(year - 1) + "-");
  return xml;
}

struct Case {
  const char* rule;
  const char* from;     // replaced once in the 2026 baseline (or the given year's)
  const char* to;
  bool fires;
  int year = 2026;
};

const std::string kPerson = "PERSON";  // "from" token: append a copy of the Person, changed by "to"

const Case kCases[] = {
    // 2023 (issue 27): GenderCurrent 0 and 9 leave sex empty, which is no error; a code outside
    // 0, 1, 2, 9 is kept and named; a LastReview without a meeting is how 2023 records a review.
    {"SEN2-P20", "<Forename>Kit</Forename>", "", true, 2023},
    {"SEN2-P20", "<GenderCurrent>2<", "<GenderCurrent>9<", false, 2023},
    {"SEN2-P03", "<GenderCurrent>2<", "<GenderCurrent>0<", false, 2023},
    {"SEN2-P03", "<GenderCurrent>2<", "<GenderCurrent>3<", true, 2023},
    {"SEN2-V01", "<Surname>Brook<", "<Surname>Brook<", false, 2023},
    {"SEN2-H01", "<DMO>Y</DMO>", "", true},
    {"SEN2-H02", "<Collection>SEN2<", "<Collection>SEN3<", true},
    {"SEN2-H03", "<ReferenceDate>2026-01-15<", "<ReferenceDate>2026-01-16<", true},
    {"SEN2-H04", "<SourceLevel>L<", "<SourceLevel>X<", true},
    {"SEN2-H05", "<LEA>351<", "<LEA>999<", true},
    {"SEN2-H05", "<LEA>351<", "<LEA>352<", false},
    {"SEN2-H06", "<LEA>351<", "<LEA>352<", true},
    {"SEN2-H07", "<DMO>Y<", "<DMO>Q<", true},
    {"SEN2-H08", "<SoftwareCode>t</SoftwareCode>", "", true},
    {"SEN2-H09", "<SerialNo>001<", "<SerialNo>01<", true},
    {"SEN2-H10", "T00:00:00<", " 00:00<", true},
    {"SEN2-H11", "<DSCO>R<", "<DSCO>Q<", true},
    {"SEN2-H12", "<DSCO>R</DSCO>", "", true},
    {"SEN2-H12", "<DSCO>R</DSCO>", "", false, 2025},
    {"SEN2-P01", "<Forename>Kit</Forename>", "", true},
    {"SEN2-P02", "<PostCode>BL9 0AB</PostCode>", "", true},
    {"SEN2-P03", "<Sex>F<", "<Sex>U<", true},
    {"SEN2-P04", "<Ethnicity>WBRI<", "<Ethnicity>XXXX<", true},
    {"SEN2-P04", "<Ethnicity>WBRI<", "<Ethnicity>WPOR<", false},
    {"SEN2-P05", "<UPN>D351200012345</UPN>", "", true},
    {"SEN2-P05", "<UPN>D351200012345</UPN>", "<UPNunknown>UN2</UPNunknown>", false},
    {"SEN2-P06", "</UPN>", "</UPN><UPNunknown>UN2</UPNunknown>", true},
    {"SEN2-P07", "<UPN>D351200012345</UPN>", "<UPNunknown>UN4</UPNunknown>", true},
    {"SEN2-P08", "<UPN>D351", "<UPN>E351", true},
    {"SEN2-P09", "<UPN>D351200012345<", "<UPN>P999200012345<", true},
    {"SEN2-P09", "<UPN>D351200012345<", "<UPN>D351200012345<", false},
    {"SEN2-P10", "<UPN>D351200012345<", "<UPN>D3512000X2345<", true},
    {"SEN2-P11", "</UPN>", "</UPN><UniqueLearnerNumber>1234567890</UniqueLearnerNumber>", true},
    {"SEN2-P11", "</UPN>", "</UPN><UniqueLearnerNumber>1234567899</UniqueLearnerNumber>", false},
    {"SEN2-P12", "<PostCode>BL9 0AB<", "<PostCode>12345<", true},
    {"SEN2-P13", "<PersonBirthDate>2014-03-02<", "<PersonBirthDate>2026-02-01<", true},
    {"SEN2-P14", "<PersonBirthDate>2014-03-02<", "<PersonBirthDate>2000-01-14<", true},
    {"SEN2-P14", "<PersonBirthDate>2014-03-02<", "<PersonBirthDate>2000-01-16<", false},  // still 25 on census day
    {"SEN2-P15", "PERSON", "<Surname>Other</Surname>", true},
    {"SEN2-P16", "PERSON", "<UPN>D351200012345</UPN>|<UPNunknown>UN2</UPNunknown>", true},
    {"SEN2-P16", "PERSON", "<Forename>Kit</Forename>|<Forename>Kat</Forename>", false},
    {"SEN2-P17", "</Requests></Person>", "</Requests>REQUESTS</Person>", true},
    {"SEN2-R01", "<RequestOutcome>Y</RequestOutcome>", "", true},
    {"SEN2-R02", "<RYA>0</RYA>", "", true},
    {"SEN2-R03", "<RequestSource>1</RequestSource>", "", true},
    {"SEN2-R03", "<RequestSource>1</RequestSource>", "", false, 2025},
    {"SEN2-R04", "<RequestSource>1<", "<RequestSource>6<", true},
    {"SEN2-R05", "<RequestOutcome>Y<", "<RequestOutcome>Z<", true},
    {"SEN2-R06", "<RequestOutcomeDate>2025-03-10</RequestOutcomeDate>", "", true},
    {"SEN2-R07", "<RequestOutcome>Y<", "<RequestOutcome>A<", true},
    {"SEN2-R08", "<RequestMediation>0</RequestMediation>", "", true},
    {"SEN2-R09", "<RequestTribunal>0</RequestTribunal>", "<RequestTribunal>0</RequestTribunal><Exported>999</Exported>", true},
    {"SEN2-R10", "<RequestOutcomeDate>2025-03-10<", "<RequestOutcomeDate>2025-02-02<", true},
    {"SEN2-R10", "<RequestOutcomeDate>2025-03-10<", "<RequestOutcomeDate>2025-02-03<", false},
    {"SEN2-R11", "<ReceivedDate>2025-02-03<", "<ReceivedDate>2026-02-01<", true},
    {"SEN2-R12", "<ReceivedDate>2025-02-03<", "<ReceivedDate>2013-02-03<", true},
    {"SEN2-R13", "<RequestOutcomeDate>2025-03-10<", "<RequestOutcomeDate>2025-03-18<", true},
    {"SEN2-R13", "<RequestOutcomeDate>2025-03-10<", "<RequestOutcomeDate>2025-03-17<", false},  // exactly 42 days
    {"SEN2-R14", "<ReceivedDate>2025-02-03</ReceivedDate><RequestSource>1</RequestSource><RYA>0</RYA><RequestOutcomeDate>2025-03-10</RequestOutcomeDate><RequestOutcome>Y<",
     "<ReceivedDate>2024-11-01</ReceivedDate><RequestSource>1</RequestSource><RYA>0</RYA><RequestOutcomeDate>2024-12-10</RequestOutcomeDate><RequestOutcome>N<", true},
    {"SEN2-R15", "<RequestTribunal>0</RequestTribunal>", "<RequestTribunal>0</RequestTribunal><Exported>352</Exported>", true},
    {"SEN2-R16", "<RequestTribunal>0</RequestTribunal>", "<RequestTribunal>0</RequestTribunal><Exported>352</Exported>", true},
    {"SEN2-R17", "<RequestOutcome>Y<", "<RequestOutcome>N<", true},
    {"SEN2-R18", "<RequestOutcomeDate>2025-03-10<", "<RequestOutcomeDate>2026-02-01<", true},
    {"SEN2-A01", "<AssessmentOutcome>Y</AssessmentOutcome>", "", true},
    {"SEN2-A02", "<AssessmentOutcome>Y<", "<AssessmentOutcome>Q<", true},
    {"SEN2-A03", "<AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>2025-06-16</AssessmentOutcomeDate>", "<AssessmentOutcome>N</AssessmentOutcome>", true},
    {"SEN2-A03", "<AssessmentOutcomeDate>2025-06-16</AssessmentOutcomeDate>", "", false},  // Y, plan not yet issued
    {"SEN2-A04", "<AssessmentOutcome>Y<", "<AssessmentOutcome>A<", true},
    {"SEN2-A05", "<Week20>0</Week20>", "", true},
    {"SEN2-A06", "<OtherTribunal>0</OtherTribunal>", "", true},
    {"SEN2-A07", "<AssessmentOutcomeDate>2025-06-16<", "<AssessmentOutcomeDate>2025-03-01<", true},
    {"SEN2-A08", "<AssessmentOutcomeDate>2025-06-16<", "<AssessmentOutcomeDate>2026-02-01<", true},
    {"SEN2-A09", "<AssessmentOutcome>Y<", "<AssessmentOutcome>N<", true},
    {"SEN2-A09", "<AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>2025-06-16<", "<AssessmentOutcome>N</AssessmentOutcome><AssessmentOutcomeDate>2025-05-26<", false},
    {"SEN2-A10", "<AssessmentOutcomeDate>2025-06-16<", "<AssessmentOutcomeDate>2025-06-24<", true},
    {"SEN2-A10", "<AssessmentOutcomeDate>2025-06-16<", "<AssessmentOutcomeDate>2025-06-23<", false},  // exactly 140 days
    {"SEN2-A10", "<AssessmentOutcomeDate>2025-06-16</AssessmentOutcomeDate><AssessmentMediation>0</AssessmentMediation><AssessmentTribunal>0</AssessmentTribunal><OtherMediation>0</OtherMediation><OtherTribunal>0</OtherTribunal><Week20>0<",
     "<AssessmentOutcomeDate>2025-06-24</AssessmentOutcomeDate><AssessmentMediation>0</AssessmentMediation><AssessmentTribunal>0</AssessmentTribunal><OtherMediation>0</OtherMediation><OtherTribunal>0</OtherTribunal><Week20>1<", false},
    {"SEN2-A11", "<AssessmentOutcome>Y<", "<AssessmentOutcome>W<", true},
    {"SEN2-A12", "<AssessmentOutcome>Y<", "<AssessmentOutcome>Y<NOPLAN", true},
    {"SEN2-N01", "<StartDate>2025-06-16</StartDate>", "", true},
    {"SEN2-N02", "<PlanDetail><URN>100037</URN><PlacementRank>1</PlacementRank><SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>0</ResourcedProvisionIndicator></PlanDetail>", "", true},
    {"SEN2-N03", "<PB>0</PB>", "<PlanRes>Z</PlanRes><PB>0</PB>", true},
    {"SEN2-N04", "<PB>0</PB>", "<PlanWBP>Q</PlanWBP><PB>0</PB>", true},
    {"SEN2-N05", "<PB>0</PB>", "<PB>1</PB><DP>X</DP>", true},
    {"SEN2-N06", "<PB>0</PB>", "<PB>0</PB><CeaseDate>2025-12-01</CeaseDate><CeaseReason>0</CeaseReason>", true},
    {"SEN2-N07", "<PB>0</PB>", "<PB>0</PB><CeaseDate>2025-12-01</CeaseDate>", true},
    {"SEN2-N08", "<PB>0</PB>", "<PB>0</PB><CeaseReason>5</CeaseReason>", true},
    {"SEN2-N09", "<PB>0</PB>", "<PB>0</PB><CeaseDate>2025-06-15</CeaseDate><CeaseReason>5</CeaseReason>", true},
    {"SEN2-N10", "<StartDate>2025-06-16<", "<StartDate>2025-02-02<", true},
    {"SEN2-N11", "<StartDate>2025-06-16<", "<StartDate>2025-06-17<", true},
    {"SEN2-N12", "<PB>0</PB>", "<PB>0</PB><OA>1</OA>", true},
    {"SEN2-N12", "<PB>0</PB>", "<PB>1</PB><OA>1</OA>", false},
    {"SEN2-N13", "<StartDate>2025-06-16<", "<StartDate>2026-02-01<", true},
    {"SEN2-N14", "<PB>0</PB>", "<PB>0</PB><CeaseDate>2026-02-01</CeaseDate><CeaseReason>5</CeaseReason>", true},
    {"SEN2-N15", "</PlanDetail>", "</PlanDetail><PlanDetail><URN>100074</URN><PlacementRank>1</PlacementRank><SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>0</ResourcedProvisionIndicator></PlanDetail>", true},
    {"SEN2-N16", "<PlacementRank>1</PlacementRank><SENunitIndicator>", "<PlacementRank>2</PlacementRank><SENunitIndicator>", true},
    {"SEN2-N17", "<PB>0</PB>", "<PB>0</PB><CeaseDate>2024-12-20</CeaseDate><CeaseReason>2</CeaseReason>", true},
    {"SEN2-N17", "<PB>0</PB>", "<PB>0</PB><CeaseDate>2025-01-01</CeaseDate><CeaseReason>2</CeaseReason>", false},
    {"SEN2-N18", "<ReviewMeeting>", "NOACTIVE<ReviewMeeting>", true},
    {"SEN2-N18", "<SENtypeRank>1<", "<SENtypeRank>2<CEASED", false},
    {"SEN2-N19", "<PB>0</PB>", "<PB>0</PB><CeaseDate>2025-12-01</CeaseDate><CeaseReason>1</CeaseReason>", true},
    {"SEN2-N19", "<PB>0</PB>", "<PB>0</PB><CeaseDate>2025-12-01</CeaseDate><CeaseReason>2</CeaseReason>", false},
    {"SEN2-N20", "<PersonBirthDate>2014-03-02<", "<PersonBirthDate>2025-07-01<", true},
    {"SEN2-D08", "<PlanDetail><URN>100037</URN>", "<PlanDetail><SENSetting>OTH</SENSetting><SENSettingOther>special school</SENSettingOther>", true},
    {"SEN2-D08", "<PlanDetail><URN>100037</URN>", "<PlanDetail><SENSetting>OLA</SENSetting>", false},
    {"SEN2-L14", "</EntryDate>", "</EntryDate><LeavingDate>2024-12-31</LeavingDate>", true},
    {"SEN2-L14", "</EntryDate>", "</EntryDate><LeavingDate>2025-01-01</LeavingDate>", false},
    {"SEN2-L15", "<EntryDate>2025-06-16<", "<EntryDate>2026-01-16<", true},
    {"SEN2-V15", "<LastReview>2025-12-20<", "<LastReview>2026-01-16<", true},
    {"SEN2-V16", "<ReviewOutcome>M</ReviewOutcome>", "<ReviewOutcome>M</ReviewOutcome><ReviewDraft>2026-01-20</ReviewDraft>", true},
    {"SEN2-V17", "<ReviewOutcome>M</ReviewOutcome>", "<ReviewOutcome>M</ReviewOutcome><PhaseTransferDueDate>2025-02-15</PhaseTransferDueDate><PhaseTransferFinalDate>2026-02-01</PhaseTransferFinalDate>", true},
    {"SEN2-P18", "PERSON", "<Forename>Kit</Forename>|<Forename>Kit</Forename>", true},
    {"SEN2-P18", "PERSON", "<UPN>D351200012345</UPN>|<UPNunknown>UN2</UPNunknown>", false},
    {"SEN2-P19", "PERSON", "<UPN>D351200012345</UPN>|<UniqueLearnerNumber>9276308686</UniqueLearnerNumber>SAMEULN", true},
    {"SEN2-P19", "PERSON", "<UPN>D351200012345</UPN>|<UniqueLearnerNumber>9276308686</UniqueLearnerNumber>", false},
    {"SEN2-D01", "<PlanDetail><URN>100037</URN>", "<PlanDetail><URN>100037</URN><UKPRN>10001234</UKPRN>", true},
    {"SEN2-D02", "<PlanDetail><URN>100037<", "<PlanDetail><URN>10037<", true},
    {"SEN2-D03", "<PlanDetail><URN>100037</URN>", "<PlanDetail><UKPRN>20001234</UKPRN>", true},
    {"SEN2-D04", "<PlanDetail><URN>100037</URN>", "<PlanDetail><SENSetting>NIEO</SENSetting>", true},
    {"SEN2-D05", "<SENunitIndicator>0</SENunitIndicator>", "", true},
    {"SEN2-D06", "<PlacementRank>1</PlacementRank><SENunitIndicator>", "<PlacementRank>3</PlacementRank><SENunitIndicator>", true},
    {"SEN2-D07", "<PlanDetail><URN>100037</URN>", "<PlanDetail><SENSetting>OTH</SENSetting>", true},
    {"SEN2-D07", "<PlanDetail><URN>100037</URN>", "<PlanDetail><SENSetting>OTH</SENSetting><SENSettingOther>special school</SENSettingOther>", false},
    {"SEN2-V01", "<ReviewMeeting>2025-12-01</ReviewMeeting>", "", true},
    {"SEN2-V02", "<ReviewOutcome>M<", "<ReviewOutcome>Z<", true},
    {"SEN2-V03", "<LastReview>2025-12-20<", "<LastReview>2025-11-20<", true},
    {"SEN2-V04", "<LastReview>2025-12-20<", "<LastReview>2025-12-30<", true},
    {"SEN2-V04", "<LastReview>2025-12-20<", "<LastReview>2025-12-29<", false},  // exactly 28 days
    {"SEN2-V05", "<ReviewMeeting>2025-12-01<", "<ReviewMeeting>2025-06-01<", true},
    {"SEN2-V06", "<ReviewMeeting>2025-12-01<", "<ReviewMeeting>2026-01-20<", true},
    {"SEN2-V07", "<ActivePlans>", "<ActivePlans><TransferLA>999</TransferLA>", true},
    {"SEN2-V07", "<ActivePlans>", "<ActivePlans><TransferLA>352</TransferLA>", false},
    {"SEN2-V08", "</SENneed>", "</SENneed><SENneed><SENtype>SLCN</SENtype><SENtypeRank>2</SENtypeRank></SENneed><SENneed><SENtype>HI</SENtype><SENtypeRank>2</SENtypeRank></SENneed>", true},
    {"SEN2-V09", "</SENneed>", "</SENneed><SENneed><SENtype>SLCN</SENtype><SENtypeRank>1</SENtypeRank></SENneed>", true},
    {"SEN2-V10", "</SENneed>", "</SENneed><SENneed><SENtype>ASD</SENtype><SENtypeRank>2</SENtypeRank></SENneed>", true},
    {"SEN2-V11", "<SENtypeRank>1<", "<SENtypeRank>2<", true},
    {"SEN2-V11", "<SENtypeRank>1<", "<SENtypeRank>2<CEASED", false},
    {"SEN2-V12", "<ReviewOutcome>M</ReviewOutcome>", "", true},
    {"SEN2-V13", "<ReviewOutcome>M</ReviewOutcome>", "<ReviewOutcome>M</ReviewOutcome><ReviewDraft>2025-11-01</ReviewDraft>", true},
    {"SEN2-V14", "<ReviewOutcome>M</ReviewOutcome>", "<ReviewOutcome>M</ReviewOutcome><PhaseTransferFinalDate>2025-02-10</PhaseTransferFinalDate>", true},
    {"SEN2-L01", "<PlacementDetail><URN>100037</URN>", "<PlacementDetail><URN>100037</URN><UKPRN>10001234</UKPRN>", true},
    {"SEN2-L02", "<PlacementDetail><URN>100037</URN>", "<PlacementDetail><SENSetting>XYZ</SENSetting>", true},
    {"SEN2-L03", "<PlacementDetail><URN>100037<", "<PlacementDetail><URN>1000<", true},
    {"SEN2-L04", "<PlacementDetail><URN>100037</URN>", "<PlacementDetail><UKPRN>2000000</UKPRN>", true},
    {"SEN2-L05", "<EntryDate>2025-06-16</EntryDate>", "", true},
    {"SEN2-L06", "<PlacementRank>1</PlacementRank><EntryDate>", "<PlacementRank>3</PlacementRank><EntryDate>", true},
    {"SEN2-L07", "</EntryDate>", "</EntryDate><LeavingDate>2025-06-01</LeavingDate>", true},
    {"SEN2-L08", "</EntryDate>", "</EntryDate><LeavingDate>2026-01-15</LeavingDate>", true},
    {"SEN2-L08", "</EntryDate>", "</EntryDate><LeavingDate>2026-01-14</LeavingDate>", false},
    {"SEN2-L09", "</ResourcedProvisionIndicator></PlacementDetail>", "</ResourcedProvisionIndicator><Res>Z</Res></PlacementDetail>", true},
    {"SEN2-L10", "</ResourcedProvisionIndicator></PlacementDetail>", "</ResourcedProvisionIndicator><WBP>Q</WBP></PlacementDetail>", true},
    {"SEN2-L11", "<PlacementDetail><URN>100037</URN>", "<PlacementDetail><SENSetting>NIEO</SENSetting>", true},
    {"SEN2-L11", "<PlacementDetail><URN>100037</URN>", "<PlacementDetail><SENSetting>OTH</SENSetting><SENSettingOther>awaiting</SENSettingOther>", false},
    {"SEN2-L12", "<PlacementDetail><URN>100037</URN>", "<PlacementDetail><SENSetting>OTH</SENSetting><SENSettingOther>awaiting</SENSettingOther>", true},
    {"SEN2-L13", "<EntryDate>2025-06-16<", "<EntryDate>2013-01-01<", true},
    {"SEN2-S01", "<SENtypeRank>1</SENtypeRank>", "", true},
    {"SEN2-S02", "<SENtype>ASD<", "<SENtype>XYZ<", true},
    {"SEN2-S02", "<SENtype>ASD<", "<SENtype>DS<", true, 2024},   // Down syndrome is a SEN type from 2025
    {"SEN2-S02", "<SENtype>ASD<", "<SENtype>DS<", false, 2025},
    {"SEN2-S03", "<SENtypeRank>1<", "<SENtypeRank>3<", true},
};

// Applies a case's change. Special "to" markers build larger changes from the baseline.
std::string mutate(const Case& c) {
  std::string xml = baseline(c.year);
  const std::string year_before = std::to_string(c.year - 1);
  auto dated = [&](std::string s) {  // the table is written with 2026-return dates
    if (c.year != 2026)
      for (auto pos = s.find(">2025-"); pos != std::string::npos; pos = s.find(">2025-", pos + 1))
        s.replace(pos + 1, 4, year_before);
    return s;
  };
  std::string from = dated(c.from), to = dated(c.to);
  auto person_start = xml.find("<Person>");
  auto person_end = xml.find("</Person>") + 9;
  const std::string person = xml.substr(person_start, person_end - person_start);
  if (from == kPerson) {  // a second Person: a copy with one change "a|b", or a new surname
    std::string copy = person;
    if (auto marker = to.find("SAMEULN"); marker != std::string::npos) {  // the first Person has that ULN too
      to.erase(marker);
      const auto upn_end = xml.find("</UPN>") + 6;
      xml.insert(upn_end, to.substr(to.find('|') + 1));
      person_end = xml.find("</Person>") + 9;
    }
    auto bar = to.find('|');
    if (bar == std::string::npos) copy.replace(copy.find("<Surname>Brook</Surname>"), 24, to);
    else copy.replace(copy.find(to.substr(0, bar)), bar, to.substr(bar + 1));
    return xml.insert(person_end, "\n" + copy);
  }
  if (auto marker = to.find("REQUESTS"); marker != std::string::npos) {  // a second active chain
    auto r0 = person.find("<Requests>");
    to.replace(marker, 8, person.substr(r0, person.rfind("</Requests>") + 11 - r0));
  }
  if (auto marker = to.find("NOACTIVE"); marker != std::string::npos) {  // no ActivePlans at all
    auto a = xml.find("<ActivePlans>");
    xml.erase(a, xml.find("</ActivePlans>") + 14 - a);
    return xml;
  }
  if (auto marker = to.find("NOPLAN"); marker != std::string::npos) {  // no NamedPlan at all
    to.erase(marker);
    auto a = xml.find("<NamedPlan>");
    xml.erase(a, xml.find("</NamedPlan>") + 12 - a);
  }
  if (auto marker = to.find("CEASED"); marker != std::string::npos) {  // the plan ended before census
    to.erase(marker);
    auto pb = xml.find("<PB>0</PB>");
    xml.insert(pb + 10, "<CeaseDate>" + year_before + "-12-01</CeaseDate><CeaseReason>2</CeaseReason>");
  }
  auto pos = xml.find(from);
  if (pos == std::string::npos) throw std::runtime_error(std::string("case text not in baseline: ") + c.from);
  return xml.replace(pos, from.size(), to);
}

ValidationReport validate_text(const std::string& xml) {
  test::TempDir dir;
  test::write_file(dir / "r.xml", xml);
  return validate_files({dir / "r.xml"}, {SENDHUB_TEST_PLUGIN_DIR, SENDHUB_SOURCE_DIR "/schemas", "351", 0, ""});
}

std::set<std::string> rules_of(const ValidationReport& r) {
  std::set<std::string> out;
  for (const auto& i : r.issues) out.insert(i.rule);
  return out;
}

TEST(Rules, TheBaselineIsCleanInEveryYear) {
  for (int year : {2023, 2024, 2025, 2026}) {
    auto report = validate_text(baseline(year));
    EXPECT_EQ(report.year, year);
    EXPECT_GT(report.records, 8);
    for (const auto& i : report.issues) ADD_FAILURE() << year << " " << i.rule << " " << i.path << ": " << i.message;
  }
}

// Issue 10.8: a year with no layout is refused saying so; issue 27: 2023 has its layout now.
TEST(Rules, A2022ReturnIsRefusedSayingItIsNotSupported) {
  std::string xml = baseline(2023);
  xml.replace(xml.find("<Year>2023<"), 11, "<Year>2022<");
  xml.replace(xml.find("<ReferenceDate>2023-01-19<"), 26, "<ReferenceDate>2022-01-20<");
  auto report = validate_text(xml);
  ASSERT_FALSE(report.issues.empty());
  EXPECT_EQ(report.issues.front().rule, "sen2.year");
  EXPECT_NE(report.issues.front().message.find("the 2022 return is not supported"), std::string::npos)
      << report.issues.front().message;
}

// Issue 10.8: elements out of the year's order are a query, and the record still loads.
TEST(Rules, AnElementOutOfTheYearsOrderIsAQuery) {
  std::string xml = baseline(2026);
  xml.replace(xml.find("<Forename>Kit</Forename>"), 24, "");
  xml.replace(xml.find("<UPN>"), 0, "<Forename>Kit</Forename>");
  auto report = validate_text(xml);
  std::vector<Issue> order;
  for (const auto& i : report.issues)
    if (i.rule == "sen2.order") order.push_back(i);
  ASSERT_EQ(order.size(), 1u);
  EXPECT_EQ(order[0].severity, "query");
  EXPECT_NE(order[0].message.find("Forename comes after PostCode"), std::string::npos) << order[0].message;
  EXPECT_EQ(report.count("error"), 0);
}

// Issue 10.8: a header rule was reported once per Person.
TEST(Rules, HeaderRulesAreReportedOncePerFile) {
  std::string xml = mutate({"SEN2-H03", "PERSON", "<Surname>Other</Surname>", true});
  xml.replace(xml.find("<ReferenceDate>2026-01-15<"), 26, "<ReferenceDate>2026-01-16<");
  auto report = validate_text(xml);
  EXPECT_EQ(std::count_if(report.issues.begin(), report.issues.end(), [](const Issue& i) { return i.rule == "SEN2-H03"; }), 1);
}

TEST(Rules, EachCaseFiresOrStaysQuiet) {
  for (const auto& c : kCases) {
    auto found = rules_of(validate_text(mutate(c)));
    EXPECT_EQ(found.count(c.rule) > 0, c.fires)
        << c.rule << " (" << c.year << ") with " << c.to << "; found: " << ::testing::PrintToString(found);
  }
}

TEST(Rules, EveryRuleOfTheCatalogueHasAFiringCase) {
  RuleCatalogue catalogue(SENDHUB_SOURCE_DIR "/schemas");
  std::set<std::string> covered;
  for (const auto& c : kCases)
    if (c.fires) covered.insert(c.rule);
  for (int year : catalogue.years())
    for (const auto& r : catalogue.rules(year))
      if (r.kind != RuleKind::structural && r.record != RecordKind::pupil) {
        EXPECT_TRUE(covered.count(r.id)) << r.id << " has no firing case";
      }
}

// The school census's code rules (CEN-*) are no SEN2 return's: they are checked at the door of
// the store, on every census row a source writes (issue 29). Each fires on a value outside its
// lists, naming the field, and is quiet on one inside them.
TEST(Rules, EveryCensusCodeRuleFiresAtTheDoor) {
  const CodeCheck codes(SENDHUB_SOURCE_DIR "/schemas");
  RuleCatalogue catalogue(SENDHUB_SOURCE_DIR "/schemas");
  const std::map<std::string, std::pair<std::string, std::string>> good_bad = {
      {"sen_provision", {"K", "S"}}, {"enrolment_status", {"M", "Q"}}, {"phase", {"SS", "XX"}},
      {"sen_need_1", {"NSA", "ADHD"}}, {"sen_need_2", {"ASD", "N"}}};
  int checked = 0;
  for (const auto& r : catalogue.rules(catalogue.years().back())) {
    if (r.record != RecordKind::pupil) continue;
    for (const auto& field : r.fields) {
      ASSERT_TRUE(good_bad.count(field)) << r.id << " " << field;
      Record pupil(RecordKind::pupil);
      pupil.set("person_ref", "P1").set("census_date", "2026-01-15").set("urn", "100001");
      pupil.set(field, good_bad.at(field).first);
      EXPECT_NO_THROW(codes.check(pupil)) << r.id;
      pupil.set(field, good_bad.at(field).second);
      try {
        codes.check(pupil);
        ADD_FAILURE() << r.id << " let " << field << " through";
      } catch (const Error& e) {
        EXPECT_EQ(e.rule(), "record.code");
        EXPECT_EQ(e.field(), field);
        EXPECT_EQ(e.describe().find(good_bad.at(field).second + " "), std::string::npos) << "no value in the message";
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5) << "CEN-01..04 over five fields";
}

TEST(Rules, AnIssueNamesTheElementItsLineAndThePersonButNoValue) {
  Case c{"SEN2-R10", "<RequestOutcomeDate>2025-03-10<", "<RequestOutcomeDate>2025-02-02<", true};
  auto report = validate_text(mutate(c));
  auto it = std::find_if(report.issues.begin(), report.issues.end(), [](const Issue& i) { return i.rule == "SEN2-R10"; });
  ASSERT_NE(it, report.issues.end());
  EXPECT_EQ(it->severity, "error");
  EXPECT_EQ(it->field, "RequestOutcomeDate");
  EXPECT_EQ(it->path, "/Message/Persons/Person[1]/Requests[1]/RequestOutcomeDate");
  EXPECT_EQ(it->line, 6);
  EXPECT_EQ(it->person, "2026-P1");
  EXPECT_EQ(it->message.find("2025"), std::string::npos);
}

TEST(Rules, SeverityChangesByYear) {
  Case c{"SEN2-V12", "<ReviewOutcome>M</ReviewOutcome>", "", true, 2024};
  auto report = validate_text(mutate(c));
  auto it = std::find_if(report.issues.begin(), report.issues.end(), [](const Issue& i) { return i.rule == "SEN2-V12"; });
  ASSERT_NE(it, report.issues.end());
  EXPECT_EQ(it->severity, "query");  // voluntary in 2024, an error from 2025
  c.year = 2026;
  report = validate_text(mutate(c));
  it = std::find_if(report.issues.begin(), report.issues.end(), [](const Issue& i) { return i.rule == "SEN2-V12"; });
  ASSERT_NE(it, report.issues.end());
  EXPECT_EQ(it->severity, "error");
}

TEST(RuleCatalogue, YearsInheritAddAndChange) {
  RuleCatalogue catalogue(SENDHUB_SOURCE_DIR "/schemas");
  auto has = [&](int year, const std::string& id) {
    const auto& rules = catalogue.rules(year);
    return std::any_of(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == id; });
  };
  EXPECT_FALSE(has(2024, "SEN2-R03"));
  EXPECT_FALSE(has(2025, "SEN2-R03"));
  EXPECT_TRUE(has(2026, "SEN2-R03"));
  EXPECT_TRUE(has(2026, "SEN2-P08"));
  EXPECT_THROW(catalogue.rules(2019), Error);
  EXPECT_TRUE(catalogue.codes().contains("sen_type", 2025, "DS"));
  EXPECT_FALSE(catalogue.codes().contains("sen_type", 2024, "DS"));
  EXPECT_TRUE(catalogue.codes().contains("la", 2026, "351"));
  EXPECT_FALSE(catalogue.codes().contains("la", 2026, "909"));  // retired Cumbria
}

TEST(RuleCatalogue, AMistakeInTheCatalogueIsRefusedNamingTheRule) {
  test::TempDir dir;
  std::filesystem::copy(SENDHUB_SOURCE_DIR "/schemas", dir.path(), std::filesystem::copy_options::recursive);
  std::string rules = test::read_file(dir / "sen2/rules.json");
  rules.replace(rules.find("\"field\": \"sex\""), 14, "\"field\": \"sexx\"");
  test::write_file(dir / "sen2/rules.json", rules);
  try {
    RuleCatalogue catalogue(dir.path());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(e.describe().find("SEN2-P03"), std::string::npos) << e.describe();
  }
}

}  // namespace
}  // namespace sendhub

// `sendhub validate` writes its report as issues are found: with a sink, the report keeps
// only the totals, and the sink gets every issue the in-memory report would hold, in order.
TEST(ValidationReport, IssuesGoToTheSinkAsFoundAndOnlyTotalsAreKept) {
  struct Collect : sendhub::IssueSink {
    std::vector<std::string> seen;
    void add(const sendhub::Issue& i) override { seen.push_back(i.rule + "@" + std::to_string(i.line)); }
  } sink;
  sendhub::test::TempDir dir;
  std::string xml = sendhub::baseline(2026);
  for (const char* bad : {"<Sex>F</Sex>", "<Sex>M</Sex>"})
    if (auto at = xml.find(bad); at != std::string::npos) xml.replace(at, 12, "<Sex>Q</Sex>");
  sendhub::test::write_file(dir / "r.xml", xml);
  const sendhub::FileValidator validator({SENDHUB_TEST_PLUGIN_DIR, SENDHUB_SOURCE_DIR "/schemas", "351", 0, ""});
  const auto kept = validator.validate({dir / "r.xml"});
  const auto streamed = validator.validate({dir / "r.xml"}, &sink);
  ASSERT_FALSE(kept.issues.empty());
  EXPECT_TRUE(streamed.issues.empty());
  std::vector<std::string> expected;
  for (const auto& i : kept.issues) expected.push_back(i.rule + "@" + std::to_string(i.line));
  EXPECT_EQ(sink.seen, expected);
  EXPECT_EQ(streamed.errors, kept.errors);
  EXPECT_EQ(streamed.queries, kept.queries);
  EXPECT_EQ(streamed.errors + streamed.queries, static_cast<std::int64_t>(kept.issues.size()));
}

// The uniqueness rules' set of key hashes: every duplicate is found, across its growth,
// and a hash of 0 (its free-slot mark) is kept like any other.
TEST(KeyHashes, FindsEveryDuplicateAcrossGrowth) {
  sendhub::KeyHashes set;
  for (std::uint64_t i = 0; i < 100000; ++i) EXPECT_TRUE(set.insert(i * 0x9E3779B97F4A7C15ULL)) << i;
  EXPECT_EQ(set.size(), 100000U);
  for (std::uint64_t i = 0; i < 100000; i += 997) EXPECT_FALSE(set.insert(i * 0x9E3779B97F4A7C15ULL)) << i;
  EXPECT_FALSE(set.insert(0)) << "0 was the first key inserted";
  sendhub::KeyHashes other;
  EXPECT_TRUE(other.insert(0));
  EXPECT_FALSE(other.insert(0));
  EXPECT_TRUE(other.insert(1024));   // slot 0 of a 1,024-slot table: taken by no one yet
  EXPECT_FALSE(other.insert(1024));
}
