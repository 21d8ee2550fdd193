"""A synthetic ONS postcode directory and ward lookup for the sample council (issue 29), in the
shape ONS publishes them (ONSPD, 2025 vintage: `pcds`, `doterm`, `lad25cd`, `wd25cd`; the ward
names lookup `WD25CD,WD25NM,...`), and residents aged 0-25 per ward. It covers every postcode gen_sample.py can make (six outward
codes, ten sectors, 400 units each), less the units ending ZZ, which stay unknown, as a
postcode missing from the directory does; units ending YY are terminated. Codes are fictional
(E08000999, E05099001...), so nothing is mistaken for a real place."""
import csv
import os

OUTWARDS = ["BL9", "BL8", "BL0", "M25", "M26", "M45"]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LA_CODE, LA_NAME = "E08000999", "Example Council (synthetic)"
WARDS = ["Ashworth Vale", "Brookside", "Castle Hill", "Dearden Moor", "Elton Park", "Fernhill", "Greenmount",
         "Holcombe", "Irwell Bank", "Jericho", "Kirklees Brook", "Limefield"]


def ward_of(outward, sector):
    return f"E05099{(OUTWARDS.index(outward) * 10 + sector) % len(WARDS) + 1:03d}"


def write(out):
    folder = os.path.join(out, "ons")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "postcodes.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["pcd7", "pcd8", "pcds", "dointr", "doterm", "usrtypind", "oa21cd", "lad25cd", "wd25cd", "ctry25cd"])
        for outward in OUTWARDS:
            for sector in range(10):
                for a in LETTERS:
                    for b in LETTERS:
                        if a + b == "ZZ":
                            continue
                        pcds = f"{outward} {sector}{a}{b}"
                        pcd7 = f"{outward:<4}{sector}{a}{b}"[:7]
                        w.writerow([pcd7, f"{outward} {sector}{a}{b}", pcds, "198001", "202303" if a + b == "YY" else "",
                                    "0", "E00099999", LA_CODE, ward_of(outward, sector), "E92000001"])
    with open(os.path.join(folder, "wards.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["WD25CD", "WD25NM", "LAD25CD", "LAD25NM", "ObjectId"])
        for i, name in enumerate(WARDS, start=1):
            w.writerow([f"E05099{i:03d}", name, LA_CODE, LA_NAME, i])
    # Residents aged 0-25 per ward (as a council takes them from ONS's ward population
    # estimates), for EHC plans per 10,000 by ward.
    with open(os.path.join(folder, "ward_population.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["ward", "population"])
        for i in range(1, len(WARDS) + 1):
            w.writerow([f"E05099{i:03d}", 5200 + 173 * (i % 5)])
