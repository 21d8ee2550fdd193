#!/usr/bin/env bash
# libFuzzer over the hub's input parsers: scripts/fuzz.sh [SECONDS_EACH] [TARGET...]
# Builds a clang ASan/UBSan/fuzzer tree in build-fuzz/, seeds each target's corpus from the
# bundled samples and tests/fuzz/corpus/<target>/ (every crash ever found, kept as a
# regression input), then runs each target for SECONDS_EACH (default 60). A crash stops the
# run with exit 1 and leaves the input in build-fuzz/crashes/<target>/: add it to
# tests/fuzz/corpus/<target>/ with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_sen2 fuzz_csv fuzz_profile fuzz_config fuzz_fhir)

# Only the harnesses and the plugins they load are built (not the CLI, nor the sink plugins),
# in CMake's unity batches: a clean clone's fuzzing build took 290 s of the test command's
# 19 minutes one file at a time, 141 s in batches. The main build stays one file at a time, so
# that each file is still compiled on its own includes.
EXTRA_PACKAGES="clang libclang-rt-dev ${EXTRA_PACKAGES:-}" BUILD_DIR=build-fuzz BUILD_TYPE=RelWithDebInfo \
  BUILD_TARGETS="${targets[*]}" \
  CMAKE_ARGS="-DCMAKE_CXX_COMPILER=clang++ -DSENDHUB_FUZZ=ON -DSENDHUB_TESTS=OFF -DCMAKE_UNITY_BUILD=ON" \
  scripts/setup.sh >/dev/null

work=build-fuzz/corpus
rm -rf "$work" build-fuzz/sample
mkdir -p "$work" build-fuzz/crashes
python3 scripts/gen_sample.py --out build-fuzz/sample --children 12 >/dev/null
seed() {  # seed TARGET FILE...: small copies of real inputs
  mkdir -p "$work/$1"
  for f in "${@:2}"; do [ -f "$f" ] && head -c 65536 "$f" > "$work/$1/$(basename "$f")"; done
  if [ -d "tests/fuzz/corpus/$1" ]; then cp tests/fuzz/corpus/"$1"/* "$work/$1/" 2>/dev/null || true; fi
}
seed fuzz_sen2 build-fuzz/sample/sen2/*.xml
seed fuzz_csv build-fuzz/sample/cms/involvements.csv
seed fuzz_profile config/profiles/*.json
seed fuzz_config config/demo.json
seed fuzz_fhir build-fuzz/sample/fhir/Task.json

export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/crashes/$t"
  echo "fuzz: $t for ${seconds}s" >&2
  if ! build-fuzz/fuzz/"$t" "$work/$t" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
       -timeout=10 -artifact_prefix="build-fuzz/crashes/$t/" -print_final_stats=1 > "build-fuzz/$t.log" 2>&1; then
    tail -n 40 "build-fuzz/$t.log" >&2
    echo "fuzz: $t FAILED; the input is in build-fuzz/crashes/$t/" >&2
    exit 1
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "build-fuzz/$t.log" | grep -oE '[0-9]+$' || echo "?")
  echo "fuzz: $t clean, $runs inputs" >&2
done
