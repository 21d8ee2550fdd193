#!/usr/bin/env bash
# Validation speed and memory on a large generated return, against `xmllint --stream
# --noout` (well-formedness only, streaming) on the same file.
#   scripts/bench_validate.sh [CHILDREN]   (default 200000: a return of about 250 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-200000}
scripts/setup.sh >/dev/null
command -v /usr/bin/time >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo; $sudo apt-get install -y -qq time >/dev/null; }
dir=var/bench
if [ ! -f "$dir/n$children/sen2/sen2_2026.xml" ]; then
  echo "bench: generating $children children..." >&2
  python3 scripts/gen_sample.py --out "$dir/n$children" --children "$children" --years 2026
fi
file=$dir/n$children/sen2/sen2_2026.xml
size_mb=$(( $(stat -c %s "$file") / 1048576 ))
persons=$(grep -c "<Person>" "$file")
measure() {  # prints "seconds max_rss_mb"
  /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$dir/time.txt" || true
  tail -n 1 "$dir/time.txt" | awk '{printf "%s %d", $1, $2 / 1024}'
}
read -r s_sec s_mb <<<"$(measure ./build/sendhub validate "$file")"
read -r x_sec x_mb <<<"$(measure xmllint --stream --noout "$file")"
echo "file: $size_mb MB, $persons persons"
echo "sendhub validate:        ${s_sec}s  max RSS ${s_mb} MB  ($(awk -v m="$size_mb" -v s="$s_sec" 'BEGIN{printf "%.0f", m/s}') MB/s)"
echo "xmllint --stream --noout: ${x_sec}s  max RSS ${x_mb} MB  ($(awk -v m="$size_mb" -v s="$x_sec" 'BEGIN{printf "%.0f", m/s}') MB/s)"
