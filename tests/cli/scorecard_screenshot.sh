#!/usr/bin/env bash
# Renders the demo council's scorecard in headless Chromium (Debian's chromium package):
# a screenshot must be written and the rendered page must show the key figures of kpis.csv.
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
SENDHUB_SALT=screenshot-test "$sendhub" run --config "$dir/config/demo.json" >"$dir/run.log" 2>&1 || { cat "$dir/run.log"; exit 1; }
page="file://$dir/var/out/kpis/scorecard.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars)
timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$dir/profile1" --window-size=1280,2400 \
  --screenshot="$dir/scorecard.png" "$page" >/dev/null 2>&1
timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$dir/profile2" --dump-dom "$page" >"$dir/dom.html" 2>/dev/null
failed=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failed=$((failed + 1)); fi; }
check "screenshot written" '[ -s "$dir/scorecard.png" ] && [ "$(head -c 8 "$dir/scorecard.png" | od -An -tx1 | tr -d " \n")" = "89504e470d0a1a0a" ]'
check "screenshot has content" '[ "$(stat -c %s "$dir/scorecard.png")" -gt 40000 ]'
for measure in active_plans requests_received plans_within_20_weeks_excl_exceptions_pct annual_reviews_overdue; do
  value=$(grep "^$measure,.*,,," "$dir/var/out/kpis/kpis.csv" | head -n 1 | cut -d, -f9 | tr -d '\r')
  check "page shows $measure = $value" 'grep -q "id=\"kpi-$measure\">$value<" "$dir/dom.html"'
done
check "six charts drawn" '[ "$(grep -o "<svg" "$dir/dom.html" | wc -l)" -ge 6 ]'
echo "scorecard screenshot: $((7 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
