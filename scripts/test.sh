#!/usr/bin/env bash
# Installs, builds and runs every test (CTest over GoogleTest).
set -euo pipefail
cd "$(dirname "$0")/.."
# Headless Chromium (Debian's package) renders the scorecard in a test.
EXTRA_PACKAGES="chromium" scripts/setup.sh
# Every libFuzzer harness briefly (about 25 s in all; the long runs: scripts/fuzz.sh 600).
scripts/fuzz.sh 5
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
