#!/usr/bin/env python3
"""Deterministic synthetic SEND data for one fictional council (never real people).

Builds one timeline of children, requests, assessments, plans, placements, needs and
reviews, then renders the SEN2 return of each year as at that year's census day, in that
year's element order (shared/spec/sen2.md §2). Identifiers pass their check algorithms
(UPN check letter, ULN mod-11). Same seed, same bytes.

    scripts/gen_sample.py --out var/sample [--children 300] [--seed 20260115] [--clean] [--chunk 10000]

Children are made and written a chunk at a time, so any size (10,000 to 1,000,000 and
more) runs in flat memory; the same seed and chunk give the same bytes.

By default some decisions are late, as in real data, so validation raises timeliness
queries; --clean keeps every statutory time limit, so the returns validate with no issue.
"""
import argparse
import datetime as dt
import json
import os
import random
from xml.sax.saxutils import escape

import gen_blade
import gen_ons
from gen_dfe_release import DfeWriter

LA = "351"
CLEAN = False  # --clean: every time limit kept
# Mediations and appeals about plans issued years before (plan content, named setting): a
# stream of their own, so adding them left every other generated value as it was.
LATER = random.Random(25)
# Who holds each case (a profile's extras: case officer and team, for the clinic's tracker), from
# a stream of their own too.
OFFICERS = random.Random(28)
# Requests still open on the export day (issue 28.5): a separate stream of children, added after
# the others, whose requests arrive from mid-2025, so the clinic's tracker has cases at every
# stage; its own random streams leave every other child's data as it was.
FRESH = random.Random(30)
DRAFTS = random.Random(31)
SOCIAL = random.Random(33)   # social care and disability in the people export (issue 29)
CENSUS_RNG = random.Random(35)   # the school census extract (issue 29)
CASE_OFFICERS = [("A. Ashworth", "North"), ("B. Bramley", "North"), ("C. Crossley", "South"), ("D. Dearden", "South"),
                 ("E. Entwistle", "Post-16")]
CENSUS = {2023: dt.date(2023, 1, 19), 2024: dt.date(2024, 1, 18), 2025: dt.date(2025, 1, 16), 2026: dt.date(2026, 1, 15)}
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
SURNAMES = ["Ashby", "Brook", "Calder", "Dunmore", "Ellery", "Fenwick", "Garside", "Holloway",
            "Ingram", "Jessop", "Kettle", "Lowther", "Marsden", "Northey", "Oakes", "Pardoe",
            "Quarmby", "Rowntree", "Sefton", "Thackray", "Umpleby", "Varley", "Whitlock", "Yeadon"]
FORENAMES = ["Alex", "Bea", "Cal", "Dee", "Eli", "Fern", "Gus", "Hana", "Ivo", "Jude", "Kit",
             "Lior", "Mo", "Nell", "Oren", "Pip", "Quin", "Remy", "Sol", "Tam", "Uma", "Vic",
             "Wren", "Zed", "Anaïs", "Zoë", "Seán", "O'Neil"]
ETHNICITY = ["WBRI"] * 12 + ["WIRI", "WOTH", "MWBC", "MWBA", "MOTH", "AIND", "APKN", "ABAN",
                             "BAFR", "BCRB", "CHNE", "OOTH", "REFU", "NOBT", "WROM", "WPOR"]
NEEDS = ["ASD"] * 8 + ["SLCN"] * 6 + ["SEMH"] * 6 + ["MLD"] * 3 + ["SLD", "PD", "SPLD", "HI",
                                                                   "VI", "PMLD", "MSI", "OTH"]
SCHOOLS = [str(100000 + 37 * i) for i in range(1, 40)]
COLLEGES = ["10001234", "10004567", "10007890"]


def upn_check_letter(body):
    """body = the 12 characters after the check letter; weights 2..13."""
    total = sum(int(c) * (i + 2) for i, c in enumerate(body))
    return UPN_LETTERS[total % 23]


def make_upn(rng):
    body = LA + f"{rng.randint(2000, 7999):04d}" + f"{rng.randint(5, 24):02d}" + f"{rng.randint(0, 999):03d}"
    return upn_check_letter(body) + body


def make_uln(rng):
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        r = sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
        if r != 0:
            return "".join(map(str, digits)) + str(10 - r)


def make_postcode(rng):
    outward = rng.choice(["BL9", "BL8", "BL0", "M25", "M26", "M45"])
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{outward} {rng.randint(0, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def days(d, n):
    return d + dt.timedelta(days=n)


class Child:
    def __init__(self, rng, i, fresh=False):
        self.cms_id = f"P{100000 + i:06d}"
        self.fresh = fresh
        self.surname = rng.choice(SURNAMES)
        self.forename = rng.choice(FORENAMES)
        self.birth = days(dt.date(2010, 1, 1), rng.randint(0, 365 * 12)) if fresh else \
            days(dt.date(2001, 1, 1), rng.randint(0, 365 * 23))
        self.sex = rng.choice("MF") if rng.random() < 0.98 else "M"
        self.ethnicity = rng.choice(ETHNICITY)
        self.postcode = make_postcode(rng)
        age_2025 = (dt.date(2025, 9, 1) - self.birth).days // 365
        self.upn = make_upn(rng) if age_2025 >= 4 and rng.random() < 0.9 else ""
        self.uln = make_uln(rng) if age_2025 >= 15 and rng.random() < 0.6 else ""
        self.upn_unknown = "" if (self.upn or self.uln) else ("UN1" if age_2025 < 6 else rng.choice(["UN2", "UN9", "UN10"]))
        self.requests = [Request(rng, self, historical=(i % 3 == 0) and not fresh, fresh=fresh)]
        if not fresh and rng.random() < 0.08 and self.requests[0].outcome == "N":
            self.requests.append(Request(rng, self, historical=False, after=self.requests[0].decided))


class Request:
    def __init__(self, rng, child, historical, after=None, fresh=False):
        start = after + dt.timedelta(days=90) if after else dt.date(2022, 1, 5)
        lo = dt.date(2014, 1, 1) if historical else start
        self.received = days(dt.date(2025, 6, 20), rng.randint(0, 208)) if fresh else \
            days(lo, rng.randint(0, 365 * (7 if historical else 4) - 200))
        self.received = max(self.received, days(child.birth, 200))
        self.source = str(rng.choice([1, 1, 1, 2, 2, 3, 4, 5]))
        self.rya = "1" if rng.random() < 0.01 else "0"
        self.decided = days(self.received, rng.randint(18, 42 if CLEAN else 70))
        self.outcome = "Y" if historical else rng.choices("YNW", [75, 21, 4])[0]
        self.mediation = "1" if self.outcome == "N" and rng.random() < 0.3 else "0"
        self.tribunal = "1" if self.mediation == "1" and rng.random() < 0.4 else "0"
        self.exported = rng.choice(["350", "352", "354"]) if self.outcome == "W" and rng.random() < 0.5 else ""
        self.assessment = Assessment(rng, self) if self.outcome == "Y" else None


class Assessment:
    def __init__(self, rng, req):
        self.outcome = rng.choices("YN", [92, 8])[0]
        late = rng.randint(141, 400) if not CLEAN else rng.randint(95, 112 if self.outcome == "N" else 140)
        self.decided = days(req.received, rng.choice([rng.randint(95, 140), rng.randint(100, 139), late]))
        if CLEAN and self.outcome == "N":
            self.decided = min(self.decided, days(req.received, 112))
        self.mediation = "1" if rng.random() < 0.05 else "0"
        self.tribunal = "1" if self.outcome == "N" and rng.random() < 0.3 else "0"
        self.other_mediation = "1" if rng.random() < 0.04 else "0"
        self.other_tribunal = "1" if rng.random() < 0.03 else "0"
        self.week20 = "1" if rng.random() < 0.1 else "0"
        self.plan = Plan(rng, self.decided) if self.outcome == "Y" else None
        # A later mediation or appeal about the plan, in a calendar year after it was issued
        # (so the chain is H in that year's return), while the plan is still active.
        self.later = {}
        if self.plan and self.other_mediation == "0" and self.other_tribunal == "0":
            for what, chance in (("mediation", 0.12), ("tribunal", 0.10)):
                if LATER.random() < chance and self.decided.year < 2025:
                    year = LATER.randint(self.decided.year + 1, 2025)
                    when = dt.date(year, 1, 1) + dt.timedelta(days=LATER.randint(0, 364))
                    if self.plan.ceased is None or when < self.plan.ceased:
                        self.later[what] = when


class Plan:
    def __init__(self, rng, start):
        self.start = start
        kind = rng.random()
        if kind < 0.8:
            self.settings = [("URN", rng.choice(SCHOOLS))]
        elif kind < 0.9:
            self.settings = [("UKPRN", rng.choice(COLLEGES))]
        else:
            self.settings = [("SENSetting", rng.choice(["OLA", "EHE", "OPA", "EYP"]))]
        if rng.random() < 0.1:
            self.settings.append(("URN", rng.choice(SCHOOLS)))
        self.unit = "1" if rng.random() < 0.1 else "0"
        self.resourced = "1" if rng.random() < 0.08 else "0"
        self.res = rng.choice(["A", "B"]) if rng.random() < 0.03 else ""
        self.wbp = rng.choice(["A", "T", "S"]) if self.settings[0][0] == "UKPRN" and rng.random() < 0.3 else ""
        self.pb = "1" if rng.random() < 0.1 else "0"
        self.oa = "1" if self.pb == "1" and rng.random() < 0.5 else ""
        self.dp = rng.choice("ESHI") if self.pb == "1" and rng.random() < 0.6 else ""
        self.ceased = days(start, rng.randint(300, 2500)) if rng.random() < 0.15 else None
        self.cease_reason = str(rng.choice([2, 3, 4, 5, 5, 6, 7, 9])) if self.ceased else ""
        needs = rng.sample(sorted(set(NEEDS)), 2)
        first = rng.choice(NEEDS)
        self.needs = [first] + ([n for n in needs if n != first][:1] if rng.random() < 0.4 else [])
        self.reviews = []
        meeting = days(start, rng.randint(300, 380))
        while meeting < dt.date(2026, 1, 15):
            self.reviews.append((meeting, days(meeting, rng.randint(5, 28 if CLEAN else 45)), rng.choice("MMMAAC")))
            meeting = days(meeting, rng.randint(330, 420))
        self.phase_due = dt.date(2025, 2, 15) if rng.random() < 0.15 else None
        self.phase_final = days(self.phase_due, rng.randint(-30, 40)) if self.phase_due else None


def element(out, indent, name, value):
    if value not in ("", None):
        out.append(f"{'  ' * indent}<{name}>{escape(str(value))}</{name}>")


def in_scope(req, census, period_start):
    """Whether a request chain belongs in the return of the year with this census day."""
    if req.received > census:
        return False
    a = req.assessment
    plan = a.plan if a else None
    plan_active = plan and plan.start <= census and (plan.ceased is None or plan.ceased >= period_start)
    recent = req.received >= period_start or req.decided >= period_start or (a and a.decided >= period_start)
    open_now = req.decided > census or (a and a.decided > census)
    return bool(plan_active or recent or open_now)


def render_request(out, req, year, census, period_start):
    # H: the request and the assessment were both decided before the period (sen2.md §1.3);
    # a plan issued in the period keeps its dates, so its 20-week clock can be measured.
    historical = (req.decided < period_start and req.assessment and req.assessment.plan
                  and req.assessment.decided < period_start)
    out.append("      <Requests>")
    if historical:
        element(out, 4, "RequestOutcome", "H")
    else:
        element(out, 4, "ReceivedDate", req.received)
        if year >= 2025:
            element(out, 4, "RequestSource", req.source)
        element(out, 4, "RYA", req.rya)
        if req.decided <= census:
            element(out, 4, "RequestOutcomeDate", req.decided if req.outcome in "YN" else "")
            element(out, 4, "RequestOutcome", req.outcome)
            if req.outcome in "YN":
                element(out, 4, "RequestMediation", req.mediation)
                element(out, 4, "RequestTribunal", req.tribunal)
            element(out, 4, "Exported", req.exported)
        else:
            element(out, 4, "RequestOutcome", "A")
    a = req.assessment
    if a and (historical or req.decided <= census):
        render_assessment(out, a, year, census, historical)
    out.append("      </Requests>")


def render_assessment(out, a, year, census, historical):
    out.append("        <Assessment>")
    decided = a.decided <= census
    element(out, 5, "AssessmentOutcome", "H" if historical else (a.outcome if decided else "A"))
    later = {what: "1" if dt.date(year - 1, 1, 1) <= when <= dt.date(year - 1, 12, 31) else "0"
             for what, when in a.later.items()}
    if historical and "1" in later.values():  # sen2.md §2.5: an appeal about the plan this year
        for name in ("AssessmentMediation", "AssessmentTribunal"):
            element(out, 5, name, "0")
        element(out, 5, "OtherMediation", later.get("mediation", "0"))
        element(out, 5, "OtherTribunal", later.get("tribunal", "0"))
    if not historical and decided:
        element(out, 5, "AssessmentOutcomeDate", a.decided)
        element(out, 5, "AssessmentMediation", a.mediation)
        element(out, 5, "AssessmentTribunal", a.tribunal)
        element(out, 5, "OtherMediation", a.other_mediation)
        element(out, 5, "OtherTribunal", a.other_tribunal)
        element(out, 5, "Week20", a.week20)
    plan = a.plan
    if plan and plan.start <= census and (historical or decided):
        render_plan(out, plan, census)
    out.append("        </Assessment>")
    if plan and plan.start <= census and (historical or decided):
        render_active(out, plan, year, census)


def render_plan(out, plan, census):
    out.append("          <NamedPlan>")
    element(out, 6, "StartDate", plan.start)
    for rank, (kind, value) in enumerate(plan.settings, start=1):
        out.append("            <PlanDetail>")
        element(out, 7, kind, value)
        element(out, 7, "PlacementRank", rank)
        element(out, 7, "SENunitIndicator", plan.unit)
        element(out, 7, "ResourcedProvisionIndicator", plan.resourced)
        out.append("            </PlanDetail>")
    element(out, 6, "PlanRes", plan.res)
    element(out, 6, "PlanWBP", plan.wbp)
    element(out, 6, "PB", plan.pb)
    element(out, 6, "OA", plan.oa)
    element(out, 6, "DP", plan.dp)
    if plan.ceased and plan.ceased <= census:
        element(out, 6, "CeaseDate", plan.ceased)
        element(out, 6, "CeaseReason", plan.cease_reason)
    out.append("          </NamedPlan>")


def render_active(out, plan, year, census):
    """ActivePlans sits under Requests, after Assessment (sen2.md §2.1)."""
    out.append("        <ActivePlans>")
    for rank, (kind, value) in enumerate(plan.settings, start=1):
        out.append("          <PlacementDetail>")
        element(out, 6, kind, value)
        element(out, 6, "PlacementRank", rank)
        element(out, 6, "EntryDate", plan.start)
        if year == 2023:   # sen2.md §2.9: AttendancePattern on a placement, Res and WBP on ActivePlans
            element(out, 6, "AttendancePattern", "PT" if plan.unit == "1" else "FT")
        element(out, 6, "SENunitIndicator", plan.unit)
        element(out, 6, "ResourcedProvisionIndicator", plan.resourced)
        if year >= 2024:
            element(out, 6, "Res", plan.res)
            element(out, 6, "WBP", plan.wbp)
        out.append("          </PlacementDetail>")
    if year == 2023:
        element(out, 5, "Res", plan.res)
        element(out, 5, "WBP", plan.wbp)
    for rank, need in enumerate(plan.needs, start=1):
        out.append("          <SENneed>")
        element(out, 6, "SENtype", need if (need != "DS" or year >= 2025) else "OTH")
        element(out, 6, "SENtypeRank", rank)
        out.append("          </SENneed>")
    past = [r for r in plan.reviews if r[0] <= census]
    meeting, decision, outcome = past[-1] if past else (None, None, None)
    decision = decision if decision and decision <= census else None
    order = {2023: ["LastReview"],
             2024: ["ReviewMeeting", "ReviewOutcome", "LastReview"],
             2025: ["ReviewMeeting", "LastReview", "ReviewOutcome", "ReviewDraft", "PhaseTransferDueDate", "PhaseTransferFinalDate"],
             2026: ["ReviewMeeting", "ReviewOutcome", "ReviewDraft", "PhaseTransferDueDate", "PhaseTransferFinalDate", "LastReview"]}[year]
    values = {"ReviewMeeting": meeting, "ReviewOutcome": outcome if meeting else None,
              "LastReview": decision,
              "ReviewDraft": days(meeting, 10) if meeting and outcome == "A" and days(meeting, 10) <= census else None,
              "PhaseTransferDueDate": plan.phase_due if plan.phase_due and plan.phase_due <= census else None,
              "PhaseTransferFinalDate": plan.phase_final if plan.phase_final and plan.phase_final <= census else None}
    for name in order:
        element(out, 5, name, values[name])
    out.append("        </ActivePlans>")


class ReturnWriter:
    """The SEN2 return of one year as at its census day, written a chunk of children at a time."""

    def __init__(self, path, year, serial):
        self.year, self.census, self.period_start = year, CENSUS[year], dt.date(year - 1, 1, 1)
        self.f = open(path, "w", encoding="utf-8", newline="\n")
        census = self.census
        out = ['<?xml version="1.0" encoding="UTF-8"?>', "<Message>", "  <Header>", "    <CollectionDetails>",
               "      <Collection>SEN2</Collection>", f"      <Year>{year}</Year>",
               f"      <ReferenceDate>{census}</ReferenceDate>", "    </CollectionDetails>", "    <Source>",
               "      <SourceLevel>L</SourceLevel>", f"      <LEA>{LA}</LEA>",
               "      <SoftwareCode>Synthetic CMS</SoftwareCode>", "      <Release>4.2</Release>",
               f"      <SerialNo>{serial:03d}</SerialNo>", f"      <DateTime>{census}T09:30:00</DateTime>",
               "      <DMO>Y</DMO>", "      <DCO>Y</DCO>"]
        if year >= 2025:
            out.append("      <DSCO>R</DSCO>")
        out += ["    </Source>", "  </Header>", "  <Persons>"]
        self.f.write("\n".join(out) + "\n")

    def add(self, children):
        out = []
        for child in children:
            reqs = [r for r in child.requests if in_scope(r, self.census, self.period_start)]
            if not reqs:
                continue
            out.append("    <Person>")
            element(out, 3, "Surname", child.surname)
            element(out, 3, "Forename", child.forename)
            element(out, 3, "PersonBirthDate", child.birth)
            if self.year == 2023:   # GenderCurrent: 1 male, 2 female
                element(out, 3, "GenderCurrent", {"M": "1", "F": "2"}[child.sex])
            else:
                element(out, 3, "Sex", child.sex)
            element(out, 3, "Ethnicity", child.ethnicity)
            element(out, 3, "PostCode", child.postcode)
            element(out, 3, "UPN", child.upn)
            element(out, 3, "UniqueLearnerNumber", child.uln)
            element(out, 3, "UPNunknown", child.upn_unknown)
            for req in reqs:
                render_request(out, req, self.year, self.census, self.period_start)
            out.append("    </Person>")
        if out:
            self.f.write("\n".join(out) + "\n")

    def close(self):
        self.f.write("  </Persons>\n</Message>\n")
        self.f.close()


def uk(d):
    return d.strftime("%d/%m/%Y") if d else ""


def csv_cell(v):
    v = str(v)
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',";\r\n') else v


class CsvWriter:
    """Exports as case-management systems write them: a BOM and CRLF, or Excel's cp1252."""

    def __init__(self, path, header, sep=",", encoding="utf-8-sig", newline="\r\n"):
        self.f = open(path, "w", encoding=encoding, newline="")
        self.sep, self.newline = sep, newline
        self.rows([header])

    def rows(self, rows):
        self.f.write("".join(self.sep.join(csv_cell(c) for c in row) + self.newline for row in rows))

    def close(self):
        self.f.close()


def social_care():
    """Known to children's social care, its team, and disability, as the people export records them
    (issue 29, the inspection lists); from their own random stream, and now and then not recorded."""
    known = SOCIAL.random() < 0.25
    team = SOCIAL.choice(["Disabled Children", "Child in Need", "Child Protection", "Looked After"]) if known else ""
    disability = "" if SOCIAL.random() < 0.05 else SOCIAL.choice(["Yes", "No", "No"])
    return ["Yes" if known else "No", team, disability]


class CmsWriter:
    """Case-management exports of the same council (config/profiles/example-*.json)."""

    def __init__(self, out):
        self.rng = random.Random(7)
        os.makedirs(os.path.join(out, "cms"), exist_ok=True)
        self.n_involvements = self.n_referrals = 0
        self.people = CsvWriter(os.path.join(out, "cms", "people.csv"),
                                ["Person ID", "Surname", "Forename", "Date of Birth", "Gender", "Ethnicity", "Post Code",
                                 "UPN", "ULN", "Known to Social Care", "Social Care Team", "Disability"])
        self.involvements = CsvWriter(os.path.join(out, "cms", "involvements.csv"),
                                      ["Involvement ID", "Person ID", "Involvement Type", "Received Date",
                                       "Phase 1 Complete", "Decision", "Notified Date", "Outcome", "Phase 2b Exception",
                                       "Plan Start Date", "Notes", "Case Officer", "Team", "Draft Issued"])
        # A front-door referrals system exporting as Excel does on Windows: cp1252, ';', LF,
        # and a curly apostrophe in a header.
        self.referrals = CsvWriter(os.path.join(out, "cms", "referrals.csv"),
                                   ["Referral Ref", "Child\u2019s Ref", "Child Name", "Referral Date", "Referrer",
                                    "Outcome Code"], sep=";", encoding="cp1252", newline="\n")

    def add(self, children):
        rng = self.rng
        people, involvements, referrals = [], [], []
        for child in children:
            # Systems disagree now and then, as real ones do: a move not yet in the return, a
            # nickname, a UPN keyed with two digits swapped.
            postcode, forename, upn = child.postcode, child.forename, child.upn
            quirk = rng.random()
            if quirk < 0.03 and (child.upn or child.uln):  # a move the return has not caught up with
                postcode = make_postcode(rng)
            elif quirk < 0.05 and child.upn:
                forename = forename + "ie"
            elif quirk < 0.06 and child.upn:
                upn = upn[:6] + upn[7] + upn[6] + upn[8:] if upn[6] != upn[7] else upn
            people.append([child.cms_id, child.surname, forename, uk(child.birth),
                           {"M": "Male", "F": "Female"}[child.sex], child.ethnicity, postcode.lower(), upn, child.uln,
                           *social_care()])
            for n, req in enumerate(child.requests):
                if req.received < dt.date(2022, 1, 1):
                    continue
                a = req.assessment
                decision = {"Y": "Agreed", "N": "Refused", "W": "Withdrawn"}[req.outcome]
                outcome = {"Y": "Issue Plan", "N": "Not Issue"}[a.outcome] if a else ""
                note = rng.choice(["", "Parent asked for a call back, re: \"transport\"", "Advice chased,\nhealth late",
                                   "School, EP and health advice in"])
                self.n_involvements += 1
                row = [uk(req.received), uk(req.decided), decision, uk(a.decided) if a else "", outcome,
                       ("Y" if a.week20 == "1" else "N") if a else "", uk(a.plan.start) if a and a.plan else "", ""]
                if child.fresh:
                    row = self.open_row(req)
                involvements.append([f"INV{self.n_involvements + 5000}", child.cms_id, "EHCP Assessment", *row[:7], note,
                                     *OFFICERS.choice(CASE_OFFICERS), row[7]])
                if req.received >= dt.date(2024, 1, 1):
                    self.n_referrals += 1
                    referrals.append([f"R-{req.received.year}-{self.n_referrals:04d}", child.cms_id,
                                      f"{child.forename} {child.surname}", req.received.isoformat(),
                                      {"1": "PAR", "2": "SCH", "3": "HLT", "4": "SOC", "5": "OTH"}[req.source],
                                      {"Y": "ASS", "N": "NFA", "W": "WDN"}[req.outcome]])
        self.people.rows(people)
        self.involvements.rows(involvements)
        self.referrals.rows(referrals)

    drafts = 0   # open requests past their draft so far: every second is awaiting its final plan

    @staticmethod
    def open_row(req):
        """A request as the system knows it on the export day: what has not happened is blank or
        pending; a draft plan issued, or a decision to issue with the final plan still to come."""
        a, as_at = req.assessment, CASEWORK_AS_AT
        if req.decided > as_at:
            return [uk(req.received), "", "Pending", "", "", "", "", ""]
        decision = {"Y": "Agreed", "N": "Refused", "W": "Withdrawn"}[req.outcome]
        if not a:
            return [uk(req.received), uk(req.decided), decision, "", "", "", "", ""]
        if a.decided <= as_at:
            return [uk(req.received), uk(req.decided), decision, uk(a.decided),
                    {"Y": "Issue Plan", "N": "Not Issue"}[a.outcome], "Y" if a.week20 == "1" else "N",
                    uk(a.plan.start) if a.plan else "", ""]
        draft = days(req.received, DRAFTS.randint(84, 125))
        if a.outcome == "Y" and draft <= as_at:
            CmsWriter.drafts += 1
            if CmsWriter.drafts % 2:
                return [uk(req.received), uk(req.decided), decision, "", "In Progress", "", "", draft.isoformat()]
            # decided to issue, the final plan still to come, the draft's date not recorded
            return [uk(req.received), uk(req.decided), decision, "", "Issue Plan", "", "", ""]
        return [uk(req.received), uk(req.decided), decision, "", "In Progress", "", "", ""]

    def close(self):
        for w in (self.people, self.involvements, self.referrals):
            w.close()


CASEWORK_AS_AT = dt.date(2026, 1, 15)  # the casework export is taken on the 2026 census day


def known(d):
    """A date the case-management system knows on the export day; later events are blank."""
    return uk(d) if d and d <= CASEWORK_AS_AT else ""


class CaseworkWriter:
    """The whole casework history as a case-management system exports it on census day:
    every request since the first (historical ones too), its assessment and plan facts,
    the settings named in each plan, placements, needs and every annual review. Built from
    the same timeline as the returns, so a return assembled from these files alone equals
    the generated return of that year (config/profiles/casework-*.json, casework.json)."""

    def __init__(self, out):
        d = os.path.join(out, "casework")
        os.makedirs(d, exist_ok=True)
        self.n = 0
        self.people = CsvWriter(os.path.join(d, "people.csv"), ["Person ID", "Surname", "Forename", "Date of Birth",
                                                                "Sex", "Ethnicity", "Post Code", "UPN", "ULN",
                                                                "UPN Unknown"])
        self.requests = CsvWriter(os.path.join(d, "requests.csv"),
                                  ["Case ID", "Person ID", "Received", "Requested By", "RYA", "Decision Date", "Decision",
                                   "Mediation", "Tribunal", "Exported To", "Assessment Outcome", "Notified Date",
                                   "Assessment Mediation", "Assessment Tribunal", "Other Mediation", "Other Tribunal",
                                   "Exception", "Plan Start", "Residential", "Work Based", "Personal Budget",
                                   "Organised Arrangements", "Direct Payments", "Cease Date", "Cease Reason",
                                   "Phase Transfer Due", "Phase Transfer Final", "Other Mediation Date",
                                   "Other Tribunal Date"])
        self.settings = CsvWriter(os.path.join(d, "plan_settings.csv"), ["Case ID", "URN", "UKPRN", "Setting", "Rank",
                                                                         "SEN Unit", "Resourced Provision"])
        self.placements = CsvWriter(os.path.join(d, "placements.csv"),
                                    ["Case ID", "URN", "UKPRN", "Setting", "Rank", "Entry Date", "Leaving Date",
                                     "SEN Unit", "Resourced Provision", "Res", "WBP"])
        self.needs = CsvWriter(os.path.join(d, "needs.csv"), ["Case ID", "Need", "Rank"])
        self.reviews = CsvWriter(os.path.join(d, "reviews.csv"),
                                 ["Case ID", "Meeting", "Decision Letter", "Outcome", "Draft Issued"])

    def add(self, children):
        words = {"Y": "Agreed", "N": "Refused", "W": "Withdrawn"}
        people, requests, settings, placements, needs, reviews = [], [], [], [], [], []
        for child in children:
            people.append([child.cms_id, child.surname, child.forename, uk(child.birth), child.sex, child.ethnicity,
                           child.postcode, child.upn, child.uln, child.upn_unknown])
            for req in child.requests:
                self.n += 1
                ref = f"CW{self.n:06d}"
                a = req.assessment if req.assessment and req.decided <= CASEWORK_AS_AT else None
                plan = a.plan if a and a.plan and a.decided <= CASEWORK_AS_AT else None
                decided = req.decided <= CASEWORK_AS_AT
                row = [ref, child.cms_id, uk(req.received), req.source, req.rya,
                       known(req.decided) if decided else "", words[req.outcome] if decided else "",
                       req.mediation if decided and req.outcome in "YN" else "", req.tribunal if decided and req.outcome in "YN" else "",
                       req.exported if decided else ""]
                later = {what: when for what, when in (a.later.items() if a else ()) if when <= CASEWORK_AS_AT}
                if a and a.decided <= CASEWORK_AS_AT:
                    row += [{"Y": "Issue Plan", "N": "Not Issue"}[a.outcome], uk(a.decided), a.mediation, a.tribunal,
                            "1" if "mediation" in later else a.other_mediation,
                            "1" if "tribunal" in later else a.other_tribunal, a.week20]
                else:
                    row += ["", "", "", "", "", "", ""]
                if plan:
                    row += [uk(plan.start), plan.res, plan.wbp, plan.pb, plan.oa, plan.dp, known(plan.ceased),
                            plan.cease_reason if plan.ceased and plan.ceased <= CASEWORK_AS_AT else "",
                            known(plan.phase_due), known(plan.phase_final)]
                    for rank, (kind, value) in enumerate(plan.settings, start=1):
                        urn, ukprn, setting = (value if kind == "URN" else ""), (value if kind == "UKPRN" else ""), \
                            (value if kind == "SENSetting" else "")
                        settings.append([ref, urn, ukprn, setting, rank, plan.unit, plan.resourced])
                        placements.append([ref, urn, ukprn, setting, rank, uk(plan.start), "", plan.unit, plan.resourced,
                                           plan.res, plan.wbp])
                    if plan.start < dt.date(2022, 6, 1):  # an early-years setting left long before any return's period
                        placements.append([ref, "", "", "EYP", 2, uk(plan.start), uk(days(plan.start, 120)), "0", "0", "", ""])
                    for rank, need in enumerate(plan.needs, start=1):
                        needs.append([ref, need, rank])
                    for meeting, decision, outcome in plan.reviews:
                        if meeting > CASEWORK_AS_AT:
                            continue
                        draft = days(meeting, 10) if outcome == "A" else None
                        reviews.append([ref, uk(meeting), known(decision), outcome, known(draft)])
                else:
                    row += [""] * 10
                row += [uk(later["mediation"]) if "mediation" in later else "",
                        uk(later["tribunal"]) if "tribunal" in later else ""]
                requests.append(row)
        for writer, rows in ((self.people, people), (self.requests, requests), (self.settings, settings),
                             (self.placements, placements), (self.needs, needs), (self.reviews, reviews)):
            writer.rows(rows)

    def close(self):
        for w in (self.people, self.requests, self.settings, self.placements, self.needs, self.reviews):
            w.close()


def nc_year_at(birth, d):
    """inspection.md §3: the national curriculum year at d (reception 0)."""
    ay = lambda x: x.year - (1 if x.month < 9 else 0)
    return ay(d) - ay(birth) - 5


def plan_at(child, d):
    """The plan of the child active on d, if any."""
    for req in child.requests:
        plan = req.assessment.plan if req.assessment else None
        if plan and plan.start <= d and (plan.ceased is None or plan.ceased > d):
            return plan
    return None


class CensusWriter:
    """The school census as a council receives it (inspection.md §2): one CSV per census date,
    the SEN pupils of the area's schools. A child of school age with an active plan whose named
    setting is a school is E there; a child whose request was refused is K now and then; and a
    stream of pupils on SEN support whom SEN2 never saw (own random stream, so nothing else
    changes). A few disagree with SEN2, as real censuses do: a plan recorded as K, a ceased plan
    still E, a pupil taught out of year group, a dual registration."""

    DATES = [dt.date(2025, 10, 2), dt.date(2026, 1, 15)]
    HEADER = ["UPN", "ULN", "Surname", "Forename", "DOB", "Gender", "Ethnicity", "Postcode", "CensusDate", "URN",
              "Phase", "EnrolStatus", "NCyearActual", "SENprovision", "SENneed1", "SENneed2", "FSMeligible",
              "PupilPremium", "SessionsPossible", "SessionsMissed", "Suspensions", "PermanentExclusions", "HomeEducated"]

    def __init__(self, out):
        folder = os.path.join(out, "census")
        os.makedirs(folder, exist_ok=True)
        self.writers = [CsvWriter(os.path.join(folder, f"census_{d.isoformat()}.csv"), self.HEADER, encoding="utf-8",
                                  newline="\n") for d in self.DATES]
        self.supported = 0

    @staticmethod
    def ncy_text(ncy):
        return {-2: "N1", -1: "N2", 0: "R"}.get(ncy, str(ncy))

    def pupil(self, rng):
        """A pupil on SEN support only: someone SEN2 never saw."""
        self.supported += 1
        birth = days(dt.date(2009, 9, 1), rng.randint(0, 365 * 13))
        upn = make_upn(rng)
        return dict(upn=upn, uln="", surname=rng.choice(SURNAMES), forename=rng.choice(FORENAMES), birth=birth,
                    sex=rng.choice("MF"), ethnicity=rng.choice(ETHNICITY), postcode=make_postcode(rng),
                    urn=rng.choice(SCHOOLS), need=rng.choice(NEEDS + ["NSA"]), provision="K")

    def rows_for(self, rng, p, d):
        ncy = nc_year_at(p["birth"], d)
        if ncy < 0 or ncy > 13:
            return []
        recorded = ncy + (rng.choice([-1, 1]) if rng.random() < 0.02 else 0)
        phase = "SP" if p.get("special") else ("PS" if ncy <= 6 else "SS")
        fsm = "Y" if rng.random() < 0.22 else "N"
        premium = "Y" if fsm == "Y" or rng.random() < 0.04 else "N"
        possible = rng.randint(120, 180)
        missed = min(possible, int(rng.expovariate(1 / 12)))
        suspensions = rng.choice([1, 1, 2, 3]) if rng.random() < 0.06 else 0
        excluded = 1 if rng.random() < 0.004 else 0
        second = p["need"] if p["provision"] == "E" and rng.random() < 0.3 else ""
        base = [p["upn"], p["uln"], p["surname"], p["forename"], uk(p["birth"]), p["sex"], p["ethnicity"], p["postcode"],
                uk(d)]
        dual = rng.random() < 0.03
        rows = [base + [p["urn"], phase, "M" if dual else "C", self.ncy_text(recorded), p["provision"], p["need"],
                        second if second != p["need"] else "", fsm, premium, possible, missed, suspensions, excluded, "N"]]
        if dual:
            rows.append(base + [rng.choice(SCHOOLS), "AP", "S", self.ncy_text(recorded), p["provision"], p["need"], "",
                                fsm, premium, rng.randint(20, 60), rng.randint(0, 10), 0, 0, "N"])
        return rows

    def add(self, children):
        rng = CENSUS_RNG
        for child in children:
            if not child.upn:
                continue
            for w, d in zip(self.writers, self.DATES):
                plan = plan_at(child, d)
                lately = plan_at(child, days(d, -60))
                school = plan and plan.settings[0][0] == "URN"
                if school:
                    provision = "K" if rng.random() < 0.03 else "E"
                elif lately and lately.settings[0][0] == "URN" and not plan:
                    provision = "E"   # ceased lately, the school has not caught up
                elif any(r.outcome == "N" for r in child.requests) and rng.random() < 0.6:
                    provision = "K"
                else:
                    continue
                chosen = plan or lately
                p = dict(upn=child.upn, uln=child.uln, surname=child.surname, forename=child.forename,
                         birth=child.birth, sex=child.sex, ethnicity=child.ethnicity, postcode=child.postcode,
                         urn=chosen.settings[0][1] if chosen and chosen.settings[0][0] == "URN" else rng.choice(SCHOOLS),
                         need=chosen.needs[0] if chosen else rng.choice(NEEDS), provision=provision,
                         special=chosen is not None and rng.random() < 0.2)
                w.rows(self.rows_for(rng, p, d))
        for _ in range(len(children) // 2):   # SEN support pupils SEN2 never saw
            p = self.pupil(rng)
            for w, d in zip(self.writers, self.DATES):
                w.rows(self.rows_for(rng, p, d))

    def close(self):
        for w in self.writers:
            w.close()


def make_nhs_number(rng):
    """Synthetic NHS numbers from the 999 range kept for testing, with a valid mod-11 check digit."""
    while True:
        digits = [9, 9, 9] + [rng.randint(0, 9) for _ in range(6)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


class FhirWriter:
    """Health partners' advice requests as FHIR R4 Task Bundles, paged like a search. Tasks
    are in lastUpdated order within each chunk of children; a page is written once the next
    one is known to exist (its "next" link), the last at close."""

    def __init__(self, out, page_size=50):
        self.rng = random.Random(11)
        self.dir = os.path.join(out, "fhir")
        os.makedirs(self.dir, exist_ok=True)
        self.page_size, self.count, self.involvement, self.pages = page_size, 0, 5000, 0
        self.pending = []   # tasks not yet in a written page

    def add(self, children):
        rng = self.rng
        tasks = []
        for child in children:
            nhs = make_nhs_number(rng)
            for req in child.requests:
                if req.received < dt.date(2022, 1, 1):
                    continue
                self.involvement += 1
                if req.outcome != "Y" or req.decided > dt.date(2026, 1, 10):
                    continue
                for kind in ["health", "educational_psychology"] + (["social_care"] if rng.random() < 0.4 else []):
                    requested = days(req.decided, rng.randint(0, 5))
                    took = rng.randint(15, 41) if CLEAN else rng.choice([rng.randint(15, 42), rng.randint(20, 80)])
                    provided = days(requested, took)
                    done = provided <= dt.date(2026, 1, 10)
                    updated = provided if done else days(requested, 1)
                    task = {"resourceType": "Task", "id": f"t{self.count + len(tasks) + 1}",
                            "meta": {"versionId": "2" if done else "1", "lastUpdated": f"{updated}T{rng.randint(8, 17):02d}:00:00Z"},
                            "identifier": [{"system": "https://example-ics.nhs.uk/send-advice", "value": f"ADV-{self.count + len(tasks) + 1:05d}"}],
                            "status": "completed" if done else "in-progress", "intent": "order",
                            "code": {"coding": [{"system": "https://example-ics.nhs.uk/advice-type", "code": kind}]},
                            "focus": {"identifier": {"value": f"INV{self.involvement}"}},
                            "for": {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs}},
                            "authoredOn": f"{requested}T09:00:00Z",
                            "restriction": {"period": {"end": str(days(requested, 42))}}}
                    if done:
                        task["executionPeriod"] = {"end": f"{provided}T16:00:00Z"}
                    if took > 42 and rng.random() < 0.3:
                        task["statusReason"] = {"coding": [{"code": rng.choice(["absent_4_weeks", "exceptional_circumstances"])}]}
                    tasks.append(task)
        tasks.sort(key=lambda t: t["meta"]["lastUpdated"])
        self.count += len(tasks)
        self.pending += tasks
        while len(self.pending) > self.page_size:   # a page with more after it
            self.write_page(self.pending[:self.page_size], more=True)
            self.pending = self.pending[self.page_size:]

    def write_page(self, page, more):
        self.pages += 1
        n = self.pages
        name = "Task.json" if n == 1 else f"Task-{n}.json"
        links = [{"relation": "self", "url": name}]
        if more:
            links.append({"relation": "next", "url": f"Task-{n + 1}.json"})
        bundle = {"resourceType": "Bundle", "type": "searchset", "link": links,
                  "entry": [{"fullUrl": f"Task/{t['id']}", "resource": t, "search": {"mode": "match"}} for t in page]}
        with open(os.path.join(self.dir, name), "w", encoding="utf-8") as f:
            json.dump(bundle, f, indent=1)

    def close(self):
        self.write_page(self.pending, more=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder to write into (sen2/ is made below it)")
    ap.add_argument("--children", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20260115)
    ap.add_argument("--years", default="2024,2025,2026")
    ap.add_argument("--clean", action="store_true", help="keep every time limit: no validation queries")
    ap.add_argument("--chunk", type=int, default=10000,
                    help="children made and written at a time: memory stays flat at any --children")
    args = ap.parse_args()
    global CLEAN
    CLEAN = args.clean
    rng = random.Random(args.seed)
    old = os.umask(0o077)  # synthetic, but treated like the real thing
    try:
        os.makedirs(os.path.join(args.out, "sen2"), exist_ok=True)
        writers = [ReturnWriter(os.path.join(args.out, "sen2", f"sen2_{year}.xml"), year, serial + 1)
                   for serial, year in enumerate(int(y) for y in args.years.split(","))]
        writers += [CmsWriter(args.out), CaseworkWriter(args.out), FhirWriter(args.out), DfeWriter(args.out, LA),
                    CensusWriter(args.out)]
        for start in range(0, args.children, args.chunk):
            chunk = [Child(rng, i) for i in range(start, min(start + args.chunk, args.children))]
            for w in writers:
                w.add(chunk)
        fresh = max(12, args.children // 15)
        for start in range(0, fresh, args.chunk):
            chunk = [Child(FRESH, args.children + i, fresh=True) for i in range(start, min(start + args.chunk, fresh))]
            for w in writers:
                w.add(chunk)
        for w in writers:
            w.close()
        # The first year's return also as COLLECT exports it (Blade CSV, blade.md), for the
        # sen2_blade source.
        first = args.years.split(",")[0]
        gen_blade.convert(os.path.join(args.out, "sen2", f"sen2_{first}.xml"), os.path.join(args.out, "blade"))
        gen_ons.write(args.out)   # the ONS postcode directory and ward names, for the ward breakdown
        with open(os.path.join(args.out, "population.csv"), "w", encoding="utf-8") as f:
            # Residents by single year of age (a synthetic council of about 80,000 under-26s).
            f.write("age,population\n" + "".join(f"{age},{3000 + 37 * (age % 7)}\n" for age in range(0, 26)))
    finally:
        os.umask(old)


if __name__ == "__main__":
    main()
