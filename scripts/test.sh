#!/usr/bin/env bash
# Installs, builds and runs every test (CTest over GoogleTest).
set -euo pipefail
cd "$(dirname "$0")/.."
# Headless Chromium (Debian's package) renders the scorecard in a test; the pool's store is
# tested against Debian's PostgreSQL server; the alerts sink against Debian's aiosmtpd (SMTP
# with STARTTLS and SMTPS; openssl makes its certificate), each started by its test. clang and
# its runtime are the fuzzing build's, installed here too so that a clean machine updates and
# installs from Debian once.
EXTRA_PACKAGES="chromium postgresql python3-aiosmtpd openssl clang libclang-rt-dev" scripts/setup.sh
# Every libFuzzer harness briefly (about 25 s in all; the long runs: scripts/fuzz.sh 600).
scripts/fuzz.sh 5
# A throwaway PostgreSQL server on loopback for the pool's tests, stopped when they end.
eval "$(scripts/pg_test_server.sh start)"
trap 'scripts/pg_test_server.sh stop "$SENDHUB_TEST_PG_DIR"' EXIT
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
