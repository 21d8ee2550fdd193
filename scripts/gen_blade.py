"""Writes a SEN2 return (XML) as COLLECT's Blade CSV export (shared/spec/blade.md): one CSV per
module, Blade-Export_<DD-MM-YYYY>_<module>.csv, with the columns of the export version of the
return's year (1.1 for 2023, 1.2 for 2024, 1.3 from 2025), table ids joining the modules and
dates written 2022-Sep-28 00:00:00. For the demo and the tests: a return loaded from the export
must be the return it came from."""

import argparse
import csv
import datetime as dt
import os
import re
import xml.etree.ElementTree as ET

BOOK = ["{m}tableid", "NativeId", "{m}orderseqcolumn", "sourceid"]
V11 = {
    "sen2": ["collection", "year", "referencedate", "sourcelevel", "softwarecode", "release", "serialno", "datetime", "lea",
             "dmo", "dco"],
    "person": ["surname", "forename", "personbirthdate", "gendercurrent", "ethnicity", "postcode", "upn",
               "uniquelearnernumber", "upnunknown"],
    "requests": ["receiveddate", "rya", "requestoutcomedate", "requestoutcome", "requestmediation", "requesttribunal",
                 "exported"],
    "assessment": ["assessmentoutcome", "assessmentoutcomedate", "assessmentmediation", "assessmenttribunal",
                   "othermediation", "othertribunal", "week20"],
    "namedplan": ["startdate", "planres", "planwbp", "pb", "oa", "dp", "ceasedate", "ceasereason"],
    "plandetail": ["urn", "ukprn", "sensetting", "sensettingother", "placementrank", "senunitindicator",
                   "resourcedprovisionindicator"],
    "activeplans": ["transferla", "res", "wbp", "lastreview"],
    "placementdetail": ["urn", "ukprn", "sensetting", "sensettingother", "placementrank", "entrydate", "leavingdate",
                        "attendancepattern", "senunitindicator", "resourcedprovisionindicator"],
    "senneed": ["sentype", "sentyperank"],
}
PARENT = {"person": "sen2", "requests": "person", "assessment": "requests", "namedplan": "assessment",
          "plandetail": "namedplan", "activeplans": "requests", "placementdetail": "activeplans", "senneed": "activeplans"}


def columns(year):
    c = {m: list(v) for m, v in V11.items()}
    if year >= 2024:   # 1.2
        c["person"][c["person"].index("gendercurrent")] = "sex"
        c["activeplans"] = ["transferla", "reviewmeeting", "reviewoutcome", "lastreview"]
        c["placementdetail"].remove("attendancepattern")
        c["placementdetail"] += ["res", "wbp"]
    if year >= 2025:   # 1.3
        c["sen2"].append("dsco")
        c["requests"].insert(1, "requestsource")
        c["activeplans"] += ["reviewdraft", "phasetransferduedate", "phasetransferfinaldate"]
    return c


def blade_value(text):
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text).strftime("%Y-%b-%d 00:00:00")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", text):
        return dt.datetime.fromisoformat(text).strftime("%Y-%b-%d %H:%M:%S")
    return text


def convert(xml_path, out_dir):
    root = ET.parse(xml_path).getroot()
    year = int(root.find("Header/CollectionDetails/Year").text)
    cols = columns(year)
    rows = {m: [] for m in cols}
    ids = {m: 0 for m in cols}

    def add(module, element, parent_id, seq):
        ids[module] += 1
        values = {}
        for child in element.iter():
            if child is not element and len(child) == 0:
                values.setdefault(child.tag.lower(), child.text)
        row = {f"{module}tableid": ids[module], "NativeId": f"N{ids[module]}", f"{module}orderseqcolumn": seq,
               "sourceid": 1}
        if module in PARENT:
            row[f"{PARENT[module]}tableid"] = parent_id
        for c in cols[module]:
            row[c] = blade_value(values.get(c))
        rows[module].append(row)
        return ids[module]

    sen2_id = add("sen2", root.find("Header"), None, 1)
    for p_seq, person in enumerate(root.find("Persons"), start=1):
        pid = add("person", ET.Element("x"), sen2_id, p_seq)
        own = {c.tag.lower(): c.text for c in person if len(c) == 0}
        rows["person"][-1].update({c: blade_value(own.get(c)) for c in cols["person"]})
        for r_seq, req in enumerate(person.findall("Requests"), start=1):
            rid = add("requests", ET.Element("x"), pid, r_seq)
            own = {c.tag.lower(): c.text for c in req if len(c) == 0}
            rows["requests"][-1].update({c: blade_value(own.get(c)) for c in cols["requests"]})
            for a in req.findall("Assessment"):
                aid = add("assessment", ET.Element("x"), rid, 1)
                own = {c.tag.lower(): c.text for c in a if len(c) == 0}
                rows["assessment"][-1].update({c: blade_value(own.get(c)) for c in cols["assessment"]})
                for plan in a.findall("NamedPlan"):
                    nid = add("namedplan", ET.Element("x"), aid, 1)
                    own = {c.tag.lower(): c.text for c in plan if len(c) == 0}
                    rows["namedplan"][-1].update({c: blade_value(own.get(c)) for c in cols["namedplan"]})
                    for d_seq, d in enumerate(plan.findall("PlanDetail"), start=1):
                        add("plandetail", d, nid, d_seq)
            for ap in req.findall("ActivePlans"):
                apid = add("activeplans", ET.Element("x"), rid, 1)
                own = {c.tag.lower(): c.text for c in ap if len(c) == 0}
                rows["activeplans"][-1].update({c: blade_value(own.get(c)) for c in cols["activeplans"]})
                for s, pl in enumerate(ap.findall("PlacementDetail"), start=1):
                    add("placementdetail", pl, apid, s)
                for s, n in enumerate(ap.findall("SENneed"), start=1):
                    add("senneed", n, apid, s)
    stamp = dt.date(year, 1, 31).strftime("%d-%m-%Y")
    os.makedirs(out_dir, exist_ok=True)
    for module, body in rows.items():
        head = [c.format(m=module) for c in BOOK] + ([f"{PARENT[module]}tableid"] if module in PARENT else []) + cols[module]
        with open(os.path.join(out_dir, f"Blade-Export_{stamp}_{module}.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=head, lineterminator="\r\n")
            w.writeheader()
            w.writerows(body)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xml", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    old = os.umask(0o077)
    try:
        convert(args.xml, args.out)
    finally:
        os.umask(old)


if __name__ == "__main__":
    main()
