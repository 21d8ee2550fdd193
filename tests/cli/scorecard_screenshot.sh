#!/usr/bin/env bash
# Renders the demo council's scorecard in headless Chromium (Debian's chromium package) after
# two demo runs at different as-at dates, at two window widths. Checks, from the rendered
# page's DOM: the key figures of kpis.csv are shown, no two chart labels overlap (the page
# counts them once laid out), no raw measure id is visible, every group and chart is there,
# and the history holds both runs' snapshots. SCORECARD_PNG=FILE keeps the wide screenshot.
#   scorecard_screenshot.sh SENDHUB_BINARY SOURCE_DIR PLUGIN_DIR
set -euo pipefail
sendhub=$1 src=$2 plugins=$3
chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then echo "chromium is not installed (scripts/test.sh installs it)"; exit 77; fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp -r "$src/config" "$dir/config"
python3 "$src/scripts/gen_sample.py" --out "$dir/var/sample" --children 120
python3 - "$dir/config/demo.json" "$plugins" "$src/schemas" <<'PY'
import json, sys
path, plugins, schemas = sys.argv[1:]
cfg = json.load(open(path))
cfg["plugins_dir"], cfg["schemas_dir"] = plugins, schemas
json.dump(cfg, open(path, "w"))
PY
for as_at in 2025-10-31 2026-01-15; do
  SENDHUB_SALT=screenshot-test "$sendhub" run --as-at "$as_at" --config "$dir/config/demo.json" >"$dir/run.log" 2>&1 \
    || { [ $? -le 1 ] || { cat "$dir/run.log"; exit 1; }; }
done
SENDHUB_SALT=screenshot-test "$sendhub" kpis --history "$dir/history.csv" --config "$dir/config/demo.json" >/dev/null
page="file://$dir/var/out/kpis/scorecard.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars)
for width in 1280 720; do
  timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$dir/profile-s$width" --window-size=$width,3200 \
    --screenshot="$dir/scorecard-$width.png" "$page" >/dev/null 2>&1
  timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$dir/profile-d$width" --window-size=$width,3200 \
    --dump-dom "$page" >"$dir/dom-$width.html" 2>/dev/null
done
[ -n "${SCORECARD_PNG:-}" ] && cp "$dir/scorecard-1280.png" "$SCORECARD_PNG"
python3 - "$dir" "$src/schemas/kpi/measures.json" <<'PY'
import csv, html, json, re, sys
d, measures = sys.argv[1], sys.argv[2]
failed = 0
def check(name, ok):
    global failed
    print(("ok: " if ok else "FAILED: ") + name)
    failed += 0 if ok else 1
for width in (1280, 720):
    png = open(f"{d}/scorecard-{width}.png", "rb").read()
    check(f"{width}px: screenshot written", png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 40000)
    dom = open(f"{d}/dom-{width}.html", encoding="utf-8").read()
    m = re.search(r'data-label-overlaps="(\d+)"', dom)
    check(f"{width}px: the page checked its labels", m is not None)
    check(f"{width}px: no two chart labels overlap ({m.group(1) if m else '?'})", m is not None and m.group(1) == "0")
    visible = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", dom, flags=re.S)))
    ids = json.load(open(measures))["order"]
    raw = [i for i in ids if re.search(r"\b" + re.escape(i) + r"\b", visible)]
    check(f"{width}px: no raw measure id visible {raw}", not raw)
    check(f"{width}px: every group", all(f'id="group-{g}"' in dom for g in
          ("demand", "timeliness", "plans_and_reviews", "waiting", "data_quality")))
    check(f"{width}px: seven charts", dom.count("<figure") >= 7)
    # Issue 27: the council beside England, its region and its neighbours, from the DfE's releases.
    check(f"{width}px: four trend charts beside England", dom.count('id="chart-trend-') == 4)
    check(f"{width}px: the council's rank among its neighbours", "Rank among its ten statistical neighbours" in dom)
rows = list(csv.DictReader(open(f"{d}/var/out/kpis/kpis.csv", encoding="utf-8")))
dom = open(f"{d}/dom-1280.html", encoding="utf-8").read()
for measure in ("active_plans", "requests_received", "plans_within_20_weeks_excl_exceptions_pct", "annual_reviews_overdue"):
    value = next(r["value"] for r in rows if r["measure"] == measure and r["breakdown"] == "")
    m = re.search(r'id="kpi-' + measure + r'">([^<]*)<', dom)
    shown = m.group(1).replace(",", "").rstrip("%") if m else None
    check(f"page shows {measure} = {value}", shown == value)
check("kpis.csv has target and rag columns", "target" in rows[0] and "rag" in rows[0])
history = list(csv.DictReader(open(f"{d}/history.csv", encoding="utf-8")))
check("the history holds both runs' snapshots", {"2025-10-31", "2026-01-15"} <= {r["as_at"] for r in history})
check("and back-filled quarter ends", "2025-09-30" in {r["as_at"] for r in history})
check("the page shows earlier snapshots", dom.count('class="spark"') > 5)
print(f"scorecard screenshot: {failed} failed")
sys.exit(1 if failed else 0)
PY
