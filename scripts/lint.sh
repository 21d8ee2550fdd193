#!/usr/bin/env bash
# clang-tidy (.clang-tidy's checks) over the project's own C++, using the build's compile
# database. Exit 1 when it reports anything.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/compile_commands.json ] || scripts/setup.sh >/dev/null
files=$(git ls-files 'hub/*.cpp' 'plugins/*.cpp')
# A reference into a temporary Poco::Dynamic::Var: `for (... : *parse(...).extract<...>())`
# or `const X& y = <call>(...).extract<...>()` dangles once the statement ends (issue 15.8).
dangling=$(git grep -nE 'for \(.*: \*[^;]*\)\.extract<|const [A-Za-z:<>]+& *[a-z_]+ = [^;]*\([^;]*\)\.extract<' -- 'hub/*.cpp' 'plugins/*.cpp' 'hub/*.h' 'plugins/*.h' || true)
if [ -n "$dangling" ]; then printf '%s\n' "$dangling"; echo "lint: a reference into a temporary Var (hold the parsed value in a variable)"; exit 1; fi
out=$(printf '%s\n' $files | xargs -P "$(nproc)" -n 4 clang-tidy -p build --quiet 2>/dev/null | grep -E "warning:|error:" || true)
if [ -n "$out" ]; then printf '%s\n' "$out"; echo "lint: $(printf '%s\n' "$out" | wc -l) findings"; exit 1; fi
echo "lint: clean"
