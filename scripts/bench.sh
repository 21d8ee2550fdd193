#!/usr/bin/env bash
# The benchmarks of issue 11, measured in one run, each beside its baseline or target:
#   - `sendhub validate` against `xmllint --stream --noout` on the same SEN2 return;
#   - CSV ingest (one people export into a fresh store) against `sqlite3 .import` of the
#     same rows into a plain table;
#   - a council's everyday run (issue 30): one SEN2 source, the return and KPI sinks, into a
#     fresh store, at 10,000 and 300,000 children;
#   - the full run (every source kind, linking, validation, both sinks) at a council's size
#     and at national size, with peak RSS, an unchanged rerun of each, and a run after a
#     night's changes (1% of the people export), which links only what changed;
#   - the FHIR connector pulling the Tasks of a 100,000-child set from a loopback server;
#   - a regional pool (issue 14): the 1,000,000-person people export loaded into PostgreSQL
#     (COPY; a throwaway server from scripts/pg_test_server.sh) beside the same load into
#     SQLite, then reloaded with 1% of the rows changed.
# Data comes from scripts/gen_sample.py (deterministic, streamed) and is kept in var/bench/
# between runs. Prints one table; BENCHMARKS.md records the figures.
#
#   scripts/bench.sh                      # 10,000 and 1,000,000 children
#   BENCH_LARGE=100000 scripts/bench.sh   # a shorter run
#   BENCH_ONLY="validate csv fhir" scripts/bench.sh   # some sections only (council full validate csv fhir pool)
set -euo pipefail
cd "$(dirname "$0")/.."
ONLY=" ${BENCH_ONLY:-council full validate csv fhir pool} "
want() { [[ "$ONLY" == *" $1 "* ]]; }
SMALL=${BENCH_SMALL:-10000}
MEDIUM=${BENCH_MEDIUM:-100000}
LARGE=${BENCH_LARGE:-1000000}
COUNCIL_LARGE=${BENCH_COUNCIL_LARGE:-300000}
FHIR_CHILDREN=${BENCH_FHIR:-100000}
EXTRA_PACKAGES="time libxml2-utils sqlite3 postgresql" scripts/setup.sh >/dev/null
bin=${BUILD_DIR:-build}/sendhub
export SENDHUB_SALT=${SENDHUB_SALT:-bench-salt-synthetic-data-only}
root=$PWD
bench=$root/var/bench
mkdir -p "$bench"
gen_mark=$(sha256sum scripts/gen_sample.py | cut -c1-16)

# Synthetic data for n children, made once per generator version.
dataset() {
  local n=$1 dir=$bench/n$1
  if [ "$(cat "$dir/.generated" 2>/dev/null)" != "$gen_mark" ]; then
    echo "bench: generating $n children..." >&2
    rm -rf "$dir"
    python3 scripts/gen_sample.py --out "$dir" --children "$n" --clean
    echo "$gen_mark" >"$dir/.generated"
  fi
  echo "$dir"
}

# The demo configuration pointed at a data set, with a store of its own.
config_for() {
  local dir=$1 store=$2
  sed -e "s#\.\./var/sample#$dir#g" -e "s#\.\./var/sendhub.db#$store/sendhub.db#" \
      -e "s#\.\./var/sendhub.log#$store/sendhub.log#" -e "s#\.\./var/out#$store/out#g" \
      -e "s#\"profiles/#\"$root/config/profiles/#g" -e "s#\"targets/#\"$root/config/targets/#g" \
      -e "s#\"benchmarks/#\"$root/config/benchmarks/#g" -e "s#\"alerts/#\"$root/config/alerts/#g" \
      -e "s#\"connector\": \"fhir_advice\",#\"connector\": \"fhir_advice\", \"max_pages\": 1000000,#" \
      config/demo.json >"$store/hub.json"
  echo "$store/hub.json"
}

# Runs a command; prints "seconds peak_rss_mb".
measure() {
  /usr/bin/time -f "%e %M" -o "$bench/time.txt" "$@" >"$bench/last.log" 2>&1 || true
  tail -n 1 "$bench/time.txt" | awk '{printf "%s %d", $1, $2 / 1024}'
}

# A source's seconds from the run summary in the log.
source_seconds() {
  grep -o "\"name\":\"$1\",\"status\":\"ok\",\"seconds\":[0-9.]*" "$bench/last.log" | tail -1 | sed 's/.*://'
}

# The fastest of n runs ("seconds peak_rss_mb"): on a shared 2-core machine one run can
# lose a third to a neighbour, and a tool is as fast as its best undisturbed run.
best_of() {
  local n=$1 best=""
  shift
  for _ in $(seq "$n"); do best=$(faster "$(measure "$@")" "$best"); done
  echo "$best"
}

# The faster of two "seconds peak_rss_mb" (the first when the second is empty).
faster() {
  if [ -z "$2" ] || awk -v a="${1% *}" -v b="${2% *}" 'BEGIN { exit !(a < b) }'; then echo "$1"; else echo "$2"; fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

rows=()
row() { rows+=("$(printf '%-44s %14s %14s %10s  %s' "$@")"); }

# Linking's seconds from the run summary in the log.
linking_seconds() { grep -o '"linking":{"status":"ok","seconds":[0-9.]*' "$bench/last.log" | tail -1 | sed 's/.*://'; }

full_run() {
  local n=$1 dir store cfg
  store=$bench/store-n$n
  rm -rf "$store" && mkdir -p "$store"
  # The data seen through links, so one export can be changed for this store alone (the folder
  # itself resolved: were var/bench/nN a link, `cp -rs` would copy the link, and the night's change
  # would land in the generated data).
  cp -rs "$(readlink -f "$(dataset "$n")")" "$store/data"
  dir=$store/data
  cfg=$(config_for "$dir" "$store")
  read -r sec mb <<<"$(measure "$bin" run --as-at 2026-11-24 --config "$cfg" --verbose)"
  cp "$bench/last.log" "$store/full-run.log"   # the stages' seconds and linking's laps
  local target=""
  [ "$n" = "$SMALL" ] && target="target < 1.5 s; "
  [ "$n" = "$LARGE" ] && target="target < 5 min, aim 1 min; "
  row "full run (the demo's configuration), $n children" "${sec} s" "${mb} MB" "" "${target}exit $(grep -o '"exit_code":[0-9]*' "$bench/last.log" | tail -1 | cut -d: -f2); linking $(linking_seconds) s"
  eval "full_$n=$sec rss_$n=$mb"
  read -r again amb <<<"$(measure "$bin" run --as-at 2026-11-24 --config "$cfg")"
  row "unchanged rerun, $n children" "${again} s" "${amb} MB" "$(ratio "$again" "$sec")" "of the full run (target < 0.05)"
  # A night's changes: one person in a hundred moves house in the case-management export.
  local people=$dir/cms/people.csv
  awk -F, -v OFS=, 'NR > 1 && NR % 100 == 0 { $7 = "bl9 9zz" } { print }' "$(readlink -f "$people")" >"$people.new"
  rm "$people" && mv "$people.new" "$people"
  read -r night nmb <<<"$(measure "$bin" run --as-at 2026-11-24 --config "$cfg" --verbose)"
  cp "$bench/last.log" "$store/night-run.log"
  row "1% of people changed, $n children" "${night} s" "${nmb} MB" "$(ratio "$night" "$sec")" "of the full run (target < 0.10, aim 0.03); linking $(linking_seconds) s"
}

# A council's everyday run: one SEN2 source (the 2026 return), the return and KPI sinks, a
# fresh store each time. The stages' seconds come from the run summary. "force": the synthetic
# return has duplicate UPNs from 300,000 children, and a withheld return skips its writing.
council_run() {
  local n=$1 tries=$2 target=$3 store=$bench/store-council-n$1 sec mb stages
  rm -rf "$store" && mkdir -p "$store"
  cat >"$store/hub.json" <<EOF
{"store": {"path": "$store/sendhub.db"}, "la": {"code": "351"}, "log": "$store/sendhub.log",
 "link": {"conflicts": "$store/out/conflicts.csv"},
 "sources": [{"name": "sen2", "connector": "sen2_xml", "path": "$(dataset "$n")/sen2/sen2_2026.xml"}],
 "sinks": [{"name": "return", "connector": "sen2_xml", "year": 2026, "out": "$store/out/sen2-2026.xml", "force": true},
           {"name": "kpis", "connector": "kpi_extract", "out": "$store/out/kpis"}]}
EOF
  read -r sec mb <<<"$(best_of "$tries" bash -c "rm -rf '$store'/sendhub.db* '$store'/out '$store'/archive; exec '$bin' run --as-at 2026-11-24 --config '$store/hub.json'")"
  stages=$(grep -o '"seconds":[0-9.]*' "$bench/last.log" | cut -d: -f2 | paste -sd' ')
  row "council run (SEN2 + return + KPIs), $n children" "${sec} s" "${mb} MB" "" "target $target; last run's stages (source, linking, validation, return, KPIs): $stages s"
}

if want council; then
council_run "$SMALL" 3 "< 1 s, aim 0.5 s"
council_run "$COUNCIL_LARGE" 1 "< 90 s"
fi

if want full; then
full_run "$SMALL"
full_run "$MEDIUM"
full_run "$LARGE"
row "peak RSS, $LARGE against $MEDIUM children" "" "" "$(ratio "$(eval echo \$rss_$LARGE)" "$(eval echo \$rss_$MEDIUM)")" "(target: < 1 GB, and within 1.5x)"
fi

# validate against xmllint's streaming parse of the same file: the generator's return, and the
# same return in other software's shapes (scripts/gen_shapes.py: three requests a person, CRLF,
# deep indentation, a long comment in every person).
if want validate; then
base=$(dataset "$MEDIUM")/sen2/sen2_2026.xml
shapes=$(dirname "$base")/shapes_2026.xml
[ "$shapes" -nt "$base" ] && [ "$shapes" -nt scripts/gen_shapes.py ] || python3 scripts/gen_shapes.py "$base" "$shapes"
for file in "$(dataset "$LARGE")/sen2/sen2_2026.xml" "$shapes"; do
size_mb=$(( $(stat -c %s "$file") / 1048576 ))
cat "$file" >/dev/null   # both read it from the page cache
# Taken in turn, ours then xmllint's, three times: this machine's speed changes from one
# minute to the next (BENCHMARKS.md, session 45), and each tool's best should come from the
# same minutes as the other's.
v_best="" x_best=""
for _ in 1 2 3; do
  v_best=$(faster "$(measure "$bin" validate "$file")" "$v_best")
  x_best=$(faster "$(measure xmllint --stream --noout "$file")" "$x_best")
done
read -r v_sec v_mb <<<"$v_best"
read -r x_sec x_mb <<<"$x_best"
row "validate, ${size_mb} MB $(basename "$file")" "${v_sec} s" "${v_mb} MB" "$(ratio "$x_sec" "$v_sec")" "x xmllint --stream --noout (${x_sec} s; target >= 1, aim 2)"
done
fi

# CSV ingest against sqlite3 .import of the same rows.
if want csv; then
people=$(dataset "$LARGE")/cms/people.csv
rows_n=$(( $(wc -l <"$people") - 1 ))
store=$bench/store-csv && rm -rf "$store" && mkdir -p "$store"
cat >"$store/hub.json" <<EOF
{"store": {"path": "$store/sendhub.db"}, "la": {"code": "351"}, "link": {"conflicts": "$store/conflicts.csv"},
 "sources": [{"name": "cms-people", "connector": "cms_csv", "path": "$people",
              "profile": "$root/config/profiles/example-people.json"}], "sinks": []}
EOF
measure "$bin" run --config "$store/hub.json" >/dev/null
c_sec=$(source_seconds cms-people)
rm -f "$store/plain.db"
read -r i_sec i_mb <<<"$(measure sqlite3 "$store/plain.db" ".mode csv" ".import --skip 1 $people people")"
row "CSV ingest, $rows_n people rows" "${c_sec} s" "" "$(ratio "$i_sec" "$c_sec")" "x sqlite3 .import (${i_sec} s; target >= 0.5, aim 1)"
fi

# FHIR from a loopback server.
if want fhir; then
fhir=$(dataset "$FHIR_CHILDREN")/fhir
python3 scripts/bench_fhir_server.py "$fhir" >"$bench/fhir.port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$bench/fhir.port" ] && break; sleep 0.1; done
store=$bench/store-fhir && rm -rf "$store" && mkdir -p "$store"
cat >"$store/hub.json" <<EOF
{"store": {"path": "$store/sendhub.db"}, "la": {"code": "351"}, "link": {"conflicts": "$store/conflicts.csv"},
 "sources": [{"name": "health-advice", "connector": "fhir_advice", "base_url": "http://127.0.0.1:$(cat "$bench/fhir.port")"}],
 "sinks": []}
EOF
measure "$bin" run --config "$store/hub.json" >/dev/null
f_sec=$(source_seconds health-advice)
tasks=$(grep -o '"name":"health-advice","status":"ok","seconds":[0-9.]*,"read":[0-9]*' "$bench/last.log" | tail -1 | sed 's/.*://')
row "FHIR, $tasks Tasks from loopback" "${f_sec} s" "" "$(awk -v t="$tasks" -v s="$f_sec" 'BEGIN{printf "%.0f", t / s}')" "Tasks/s (target >= 5,000)"
fi

# A regional pool: one council's people export loaded into PostgreSQL and into SQLite, each
# in a run of that one source (the load, then linking); then reloaded with 1% changed.
if want pool; then
people_src=$(dataset "$LARGE")/cms/people.csv
rows_n=$(( $(wc -l <"$people_src") - 1 ))
eval "$(scripts/pg_test_server.sh start)"
trap 'scripts/pg_test_server.sh stop "$SENDHUB_TEST_PG_DIR"; kill ${server:-} 2>/dev/null || true' EXIT
SENDHUB_BENCH_COUNCIL_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export SENDHUB_BENCH_COUNCIL_PASSWORD
PGPASSWORD=$SENDHUB_TEST_PG_PASSWORD psql -q "$SENDHUB_TEST_PG" -c "CREATE DATABASE bench_pool" \
  -c "CREATE ROLE council_351 LOGIN PASSWORD '$SENDHUB_BENCH_COUNCIL_PASSWORD'"
pool_config() {   # store JSON, folder: a hub of the one people source
  mkdir -p "$2" && cp "$people_src" "$2/people.csv"
  cat >"$2/hub.json" <<EOF
{"store": $1, "la": {"code": "351"}, "link": {"conflicts": "$2/conflicts.csv"},
 "sources": [{"name": "cms-people", "connector": "cms_csv", "path": "$2/people.csv",
              "profile": "$root/config/profiles/example-people.json"}], "sinks": []}
EOF
  echo "$2/hub.json"
}
pool_store() {   # role, password variable
  echo '{"kind": "postgresql", "conninfo": "'"$SENDHUB_TEST_PG"' dbname=bench_pool user='"$1"'", "password_env": "'"$2"'", "dir": "'"$bench"'/store-pool"}'
}
rm -rf "$bench/store-pool" "$bench/store-pool-sqlite"
"$bin" pool-migrate --config "$(pool_config "$(pool_store sendhub SENDHUB_TEST_PG_PASSWORD)" "$bench/store-pool")" >/dev/null
PGPASSWORD=$SENDHUB_TEST_PG_PASSWORD psql -q "$SENDHUB_TEST_PG dbname=bench_pool" \
  -c "SELECT sendhub_add_council('council_351', '351')" >/dev/null
pg_cfg=$(pool_config "$(pool_store council_351 SENDHUB_BENCH_COUNCIL_PASSWORD)" "$bench/store-pool")
sq_cfg=$(pool_config "{\"path\": \"$bench/store-pool-sqlite/sendhub.db\"}" "$bench/store-pool-sqlite")
for kind in pg sq; do
  cfg_var=${kind}_cfg
  read -r sec mb <<<"$(measure "$bin" run --as-at 2026-11-24 --config "${!cfg_var}")"
  eval "${kind}_run=$sec ${kind}_mb=$mb ${kind}_load=$(source_seconds cms-people) ${kind}_link=$(linking_seconds)"
  cp "$bench/last.log" "$(dirname "${!cfg_var}")/load.log"
  dir=$(dirname "${!cfg_var}")
  awk -F, -v OFS=, 'NR > 1 && NR % 100 == 0 { $7 = "bl9 9zz" } { print }' "$dir/people.csv" >"$dir/people.new"
  mv "$dir/people.new" "$dir/people.csv"
  read -r sec mb <<<"$(measure "$bin" run --as-at 2026-11-24 --config "${!cfg_var}")"
  eval "${kind}_again=$sec ${kind}_again_mb=$mb ${kind}_reload=$(source_seconds cms-people)"
  cp "$bench/last.log" "$dir/reload.log"
done
row "pool: load $rows_n people rows, PostgreSQL" "${pg_load} s" "" "$(ratio "$sq_load" "$pg_load")" "x the same load into SQLite (${sq_load} s)"
row "pool: that run (load, link), PostgreSQL" "${pg_run} s" "${pg_mb} MB" "$(ratio "$sq_run" "$pg_run")" "x SQLite's run (${sq_run} s, ${sq_mb} MB); linking ${pg_link} s against ${sq_link} s"
row "pool: reload, 1% of rows changed, PostgreSQL" "${pg_reload} s" "" "$(ratio "$sq_reload" "$pg_reload")" "x SQLite's reload (${sq_reload} s); run ${pg_again} s, ${pg_again_mb} MB against ${sq_again} s"
fi

echo
echo "$("$bin" --version 2>&1 | head -1), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(date -u +%Y-%m-%d)"
printf '%-44s %14s %14s %10s  %s\n' "measure" "time" "peak RSS" "ratio" "against"
printf '%s\n' "${rows[@]}"
