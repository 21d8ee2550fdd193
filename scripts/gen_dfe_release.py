"""Synthetic DfE "Education, health and care plans" releases and a statistical-neighbours
workbook in the shapes of shared/spec/benchmarks.md (generated, never copied from the DfE).

The demo council's published figures come from the sample's own timeline (each year's
requests and plans), less a few records "entered after the return", so published_vs_own.csv
has differences to explain. Every other figure is drawn from a seeded generator."""

import csv
import datetime as dt
import io
import os
import random
import zipfile

LEADING = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
           "region_name", "new_la_code", "old_la_code", "la_name", "breakdown_topic", "breakdown"]
REGIONS = [("E12000001", "North East"), ("E12000002", "North West"), ("E12000003", "Yorkshire and The Humber"),
           ("E12000004", "East Midlands"), ("E12000005", "West Midlands"), ("E12000006", "East of England"),
           ("E12000007", "London"), ("E12000008", "South East"), ("E12000009", "South West")]
BANDS = ["Extremely close", "Extremely close", "Very close", "Very close", "Very close", "Close", "Close", "Close",
         "Somewhat close", "Not close"]


def councils(demo_code):
    """About 150 councils: the demo council in the North West, the others spread over the regions.
    909 (Cumbria) is one of them: the DfE's neighbours workbook still lists councils that are gone."""
    rng = random.Random(2025)
    codes = sorted(set([201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 909] +
                       rng.sample(range(301, 940), 140)) - {int(demo_code)})
    out = [(demo_code, "Example Council (synthetic)", "E12000002")]
    for i, code in enumerate(codes):
        out.append((f"{code:03d}", f"Synthetic Council {code:03d}, ({REGIONS[i % 9][1]})", REGIONS[i % 9][0]))
    return out


class DfeWriter:
    """Counts the demo council's requests and plans per calendar year as the sample is made,
    then writes the releases and the neighbours workbook at close."""

    def __init__(self, out, la):
        self.dir = os.path.join(out, "dfe")
        self.la = la
        self.requests, self.plans, self.refused, self.in_20, self.six, self.decided, self.active = {}, {}, {}, {}, {}, {}, {}

    def add(self, children):
        for child in children:
            for req in child.requests:
                y = req.received.year
                self.requests[y] = self.requests.get(y, 0) + 1
                if req.outcome == "N":
                    self.refused[req.decided.year] = self.refused.get(req.decided.year, 0) + 1
                if req.outcome in "YN":
                    d = req.decided.year
                    self.decided[d] = self.decided.get(d, 0) + 1
                    self.six[d] = self.six.get(d, 0) + ((req.decided - req.received).days <= 42)
                a = req.assessment
                if a and a.outcome == "Y":
                    self.plans[a.decided.year] = self.plans.get(a.decided.year, 0) + 1
                    if (a.decided - req.received).days <= 140:
                        self.in_20[a.decided.year] = self.in_20.get(a.decided.year, 0) + 1
                    for year in range(2015, 2027):   # active in January (about census day)
                        census = dt.date(year, 1, 15)
                        if a.plan.start <= census and (a.plan.ceased is None or a.plan.ceased >= census):
                            self.active[year] = self.active.get(year, 0) + 1

    def close(self):
        os.makedirs(self.dir, exist_ok=True)
        las = councils(self.la)
        write_release(os.path.join(self.dir, "education-health-and-care-plans_2025.zip"), 2025, range(2019, 2025),
                      las, self, zipped=True)
        write_release(os.path.join(self.dir, "education-health-and-care-plans_2024"), 2024, range(2014, 2024),
                      las, self, zipped=False)
        write_neighbours(os.path.join(self.dir, "statistical-neighbours.xlsx"), las)


def figures(rng, scale, year):
    """One area's flow figures for a year, growing about 9% a year as the DfE's do."""
    growth = 1.09 ** (year - 2019)
    received = int(scale * growth * rng.uniform(0.85, 1.15))
    six = int(received * rng.uniform(0.6, 0.95))
    plans = int(received * rng.uniform(0.55, 0.7))
    den_ex = int(plans * rng.uniform(0.85, 0.95))
    return {"received": received, "refused": int(received * rng.uniform(0.15, 0.3)), "six": six,
            "over6": int(received * 0.9) - six if int(received * 0.9) > six else 0, "plans": plans,
            "in20": int(plans * rng.uniform(0.2, 0.8)), "den_ex": den_ex, "in20_ex": int(den_ex * rng.uniform(0.2, 0.85)),
            "caseload": int(scale * 4 * growth * rng.uniform(0.9, 1.1))}


def own_figures(w, year, rng):
    """The demo council's, from its timeline: a few records fewer than its own data (entered late)."""
    received = w.requests.get(year, 0)
    plans = w.plans.get(year, 0)
    late = rng.randint(0, 2) if received > 2 else 0
    six = w.six.get(year, 0)
    return {"received": max(received - late, 0), "refused": w.refused.get(year, 0), "six": six,
            "over6": w.decided.get(year, 0) - six, "plans": plans, "in20": w.in_20.get(year, 0),
            "den_ex": plans, "in20_ex": w.in_20.get(year, 0), "caseload": w.active.get(year + 1, 0) - late}


def pc(n, d):
    return f"{100 * n / d:.1f}" if d else "z"


def write_release(path, release, years, las, w, zipped):
    rng = random.Random(release)
    rows = {"requests.csv": [], "timeliness_20_week.csv": [], "newplans.csv": [], "caseload.csv": [], "sen2_mi.csv": []}
    ex = "PC_plans_issued_20_weeks_ex" if release >= 2025 else "pc_plans_issued_20_weeks_ex"
    heads = {
        "requests.csv": ["requests_received_in_year", "requests_decided_to_assess", "requests_decided_not_to_assess",
                         "request_outcome_six_weeks", "request_outcome_over_6_weeks", "request_outcome_six_weeks_pc"],
        "timeliness_20_week.csv": ["plans_issued_den", "plans_issued_den_ex", "plans_issued_within_20_weeks",
                                   "plans_issued_20_weeks_ex", "pc_plans_issued_within_20_weeks", ex],
        "newplans.csv": ["new_ehc_plans"],
        "caseload.csv": ["ehcplans"],
        "sen2_mi.csv": ["new_all_ehc", "no_exc_20week_rate"],
    }
    for year in years:
        areas = [("National", "E92000001", "", "", "", "", 150000 / 1.09 ** 5)]
        areas += [("Regional", "E92000001", code, name, "", "", 16000 / 1.09 ** 5) for code, name in REGIONS]
        areas += [("Local authority", "E92000001", region, dict(REGIONS)[region], code, name, 0)
                  for code, name, region in las]
        for level, country, region, region_name, code, name, scale in areas:
            f = own_figures(w, year, rng) if code == w.la else figures(rng, scale or rng.uniform(40, 110), year)
            lead = [str(year), "Calendar year", level, country, "England", region, region_name,
                    f"E0{rng.randint(6000001, 9000099)}" if code else "", code, name]
            marker = "x" if code and code != w.la and rng.random() < 0.03 else None   # a figure not available
            if year >= 2019 or release >= 2025:
                total = "All requests for EHC needs assessments"
                rows["requests.csv"].append(lead + [total, "Total", marker or str(f["received"]), str(f["received"] - f["refused"]),
                                                    str(f["refused"]), str(f["six"]), str(f["over6"]),
                                                    marker or pc(f["six"], f["six"] + f["over6"])])
                rows["requests.csv"].append(lead + ["Age", "Under 5", str(f["received"] // 4), "", "", "", "", ""])
                rows["timeliness_20_week.csv"].append(lead + ["All EHC plans", "Total", str(f["plans"]), str(f["den_ex"]),
                                                              str(f["in20"]), str(f["in20_ex"]), pc(f["in20"], f["plans"]),
                                                              "c" if marker else pc(f["in20_ex"], f["den_ex"])])
                rows["newplans.csv"].append(lead + ["All new EHC plans", "Total", str(f["plans"])])
                academic = f"{year}{(year + 1) % 100:02d}"   # 202425: the January 2025 census
                rows["caseload.csv"].append([academic, "Academic year"] + lead[2:] + ["All EHC plans", "Total", str(f["caseload"])])
            if release < 2025:
                rows["sen2_mi.csv"].append(lead + ["All EHC plans", "Total", str(f["plans"]), pc(f["in20_ex"], f["den_ex"])])
    files = {}
    if release >= 2025:   # the report-style tribunal table among the supporting files (benchmarks.md §1)
        files["supporting-files/SEND Tribunals and appeal rate 2014-2024.csv"] = tribunal_table(rng, las, w)
    for name, body in rows.items():
        if not body:
            continue
        text = io.StringIO()
        out = csv.writer(text, lineterminator="\n")
        out.writerow(LEADING + heads[name])
        out.writerows(body)
        files[name] = "\ufeff" + text.getvalue()   # UTF-8 with a byte-order mark, as the DfE writes
    guidance = f"Education, health and care plans, reporting year {release} (synthetic, generated for sendhub's demo)\n"
    if zipped:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in files.items():
                z.writestr(name if "/" in name else f"data/{name}", text.encode("utf-8"))
            z.writestr("data-guidance/data-guidance.txt", guidance)
    else:
        os.makedirs(os.path.join(path, "data"), exist_ok=True)
        os.makedirs(os.path.join(path, "data-guidance"), exist_ok=True)
        for name, text in files.items():
            target = os.path.join(path, name if "/" in name else os.path.join("data", name))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        with open(os.path.join(path, "data-guidance", "data-guidance.txt"), "w", encoding="utf-8") as f:
            f.write(guidance)


def tribunal_table(rng, las, w):
    """The report shape of 'SEND Tribunals and appeal rate 2014-2024.csv': title rows, a row of
    years (each over three columns), a row of labels, then England, the regions and each council
    (name, code), appeals registered, total appealable decisions and the rate per year."""
    years = list(range(2014, 2025))
    out = io.StringIO()
    c = csv.writer(out, lineterminator="\n")
    c.writerow(["SEND Tribunal appeals and appeal rate, by local authority (synthetic)"])
    c.writerow(["Source: Ministry of Justice; appealable decisions from SEN2 (generated for sendhub's demo)"])
    c.writerow([])
    c.writerow(["", ""] + [str(y) if k == 0 else "" for y in years for k in range(3)])
    c.writerow(["Local authority", "LA code"] + ["Appeals registered", "Total Appealable Decisions", "Appeal Rate"] * len(years))
    def block(scale, own=None):
        row = []
        for y in years:
            decisions = own(y) if own else int(scale * 1.08 ** (y - 2014) * rng.uniform(0.9, 1.1))
            appeals = int(decisions * rng.uniform(0.005, 0.04))
            row += [str(appeals), str(decisions), f"{100 * appeals / decisions:.1f}%" if decisions else "z"]
        return row
    c.writerow(["England", ""] + block(400000))
    for code, name in REGIONS:
        c.writerow([name, ""] + block(45000))
    for code, name, region in las:
        if code == w.la:
            c.writerow([name, code] + block(0, lambda y: w.refused.get(y, 0) + w.active.get(y, 0) + 5))
        else:
            c.writerow([name, code] + block(rng.uniform(300, 900)))
    return "\ufeff" + out.getvalue()


def cell(ref, value):
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_neighbours(path, las):
    """The DfE's workbook shape: sheet "LA SN Groups", two index rows, the header, a row per council."""
    rng = random.Random(10)
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    for k in range(1, 11):
        header += [f"SN{k}", "SNP"]
    rows = [["Statistical neighbours (synthetic)"], ["Index of councils"], header]
    codes = [code for code, _, _ in las]
    for i, (code, name, region) in enumerate(las):
        others = rng.sample([c for c in codes if c != code], 10)
        row = [i + 1, name, int(code), REGIONS.index(next(r for r in REGIONS if r[0] == region)) + 1, region]
        for k, other in enumerate(others):
            row += [int(other), BANDS[k]]
        rows.append(row)
    sheet = "".join(f'<row r="{n + 1}">' + "".join(cell(f"{col(j)}{n + 1}", v) for j, v in enumerate(r)) + "</row>"
                    for n, r in enumerate(rows))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="Notes" sheetId="1" r:id="rId1"/><sheet name="LA SN Groups" sheetId="2" r:id="rId2"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<sheetData><row r="1">' + cell("A1", "Synthetic statistical neighbours for sendhub's demo") + '</row></sheetData></worksheet>')
        z.writestr("xl/worksheets/sheet2.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   f'<sheetData>{sheet}</sheetData></worksheet>')
