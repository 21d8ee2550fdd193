#!/usr/bin/env bash
# The main job on the bundled synthetic council: installs, builds, makes the sample data
# (deterministic, under var/), then runs `sendhub run --config config/demo.json`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
python3 scripts/gen_sample.py --out var/sample
if [ -z "${SENDHUB_SALT:-}" ]; then
  # person_key needs a secret salt; this one is for the synthetic demo only.
  echo "demo: SENDHUB_SALT is not set; using a demo-only salt (set your own for real data)" >&2
  export SENDHUB_SALT=sendhub-demo-salt-synthetic-data-only
fi
set +e
# The sample council's data runs to its 2026 census day: report as at then, unless asked.
as_at=()
[[ " $* " == *" --as-at "* ]] || as_at=(--as-at 2026-01-15)
./build/sendhub run --config config/demo.json "${as_at[@]}" "$@"
rc=$?
set -e
echo "demo: store var/sendhub.db; outputs in var/out/ (sen2-2026.xml with return_readiness_2026.html and" \
     "return_reconciliation_2026.csv, conflicts.csv, kpis/scorecard.html, pool/ the pseudonymised extract); exit code $rc" >&2
echo "demo: a trend: scripts/demo.sh --as-at 2025-10-31, then scripts/demo.sh; the scorecard shows both snapshots" >&2
echo "demo: the return from case-management exports alone: build/sendhub run --as-at 2026-01-15 --config config/casework.json" >&2
exit $rc
