#!/usr/bin/env bash
# Issue 12.1: the .deb installs and runs. Builds the package with CPack, unpacks it with
# dpkg -x (no root needed) and runs the unpacked sendhub: it must find its own plugins and
# schemas beside it, list the connectors and run the demo on generated sample data.
# Usage: deb_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
command -v dpkg >/dev/null || { echo "dpkg is missing: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pkg/*.deb)
# (no `| grep -q` under pipefail: grep's early exit would SIGPIPE the writer and fail the test)
info=$(dpkg-deb --info "$deb")
[[ "$info" == *"Package: sendhub"* ]] || { echo "not a sendhub package: $info"; exit 1; }
dpkg -x "$deb" "$work/root"
exe="$work/root/usr/bin/sendhub"
[ -x "$exe" ] || { echo "no usr/bin/sendhub in the package"; exit 1; }
ls "$work/root/usr/lib/sendhub/plugins/"libsendhub_*.so >/dev/null || { echo "no plugins in the package"; exit 1; }
[ -f "$work/root/usr/share/sendhub/schemas/sen2/rules.json" ] || { echo "no schemas"; exit 1; }
[ -f "$work/root/usr/include/sendhub/abi_fingerprint.h" ] || { echo "no plugin API headers"; exit 1; }
version=$("$exe" --version)
[[ "$version" == "sendhub "* ]] || { echo "--version said: $version"; exit 1; }
out=$("$exe" connectors 2>&1) || { echo "$out"; exit 1; }
for c in sen2_xml cms_csv fhir_advice kpi_extract; do
  [[ $'\n'"$out" == *$'\n'"$c "* ]] || { echo "connector $c not found by the unpacked sendhub: $out"; exit 1; }
done
[[ "$out" == *"$work/root/usr/lib/sendhub/plugins"* ]] || { echo "plugins not from the package: $out"; exit 1; }
# The demo, from the examples the package ships, on generated sample data.
mkdir -p "$work/demo"
cp -r "$work/root/usr/share/sendhub/examples" "$work/demo/config"
python3 "$source/scripts/gen_sample.py" --out "$work/demo/var/sample" --children 40 >/dev/null
set +e
SENDHUB_SALT=deb-test-salt "$exe" run --config "$work/demo/config/demo.json" >"$work/run.log" 2>&1
rc=$?
set -e
if [ "$rc" -gt 1 ]; then cat "$work/run.log"; echo "the demo run from the package exited $rc"; exit 1; fi
[ -f "$work/demo/var/out/sen2-2026.xml" ] || { cat "$work/run.log"; echo "no return written"; exit 1; }
echo "deb package: installs, finds its plugins and schemas, runs the demo (exit $rc)"
