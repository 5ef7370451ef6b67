#!/bin/sh
# Replay the real Open Terms Archive demo histories (../shared/realworld)
# through clausewatch's pipeline and compare with the versions they
# recorded: one table row per document, total time, per-snapshot cost.
# Usage: sh bench/replay.sh [--only "Service/Document Type"]...
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
real=${CLAUSEWATCH_REALWORLD:-$top/../shared/realworld}
bin=${CLAUSEWATCH_BIN:-$top/clausewatch}
out=$top/build/replay
if [ ! -d "$real" ]; then
	echo "replay: $real not found (set CLAUSEWATCH_REALWORLD)" >&2
	exit 2
fi
[ -x "$bin" ] || make -C "$top" clausewatch >/dev/null
mkdir -p "$out"
for b in snapshots versions; do
	if [ ! -d "$out/$b" ]; then
		git clone -q "$real/demo-$b.bundle" "$out/$b.tmp"
		mv "$out/$b.tmp" "$out/$b"
	fi
done
# a fresh store each time: it is kept for inspection, e.g.
#   git -C build/replay/store log -p -- brevo/privacy-policy.md
rm -rf "$out/store"
set +e
"$bin" replay "$out/snapshots" "$out/versions" "$real/demo-declarations" \
    --store "$out/store" "$@"
rc=$?
echo "store: $out/store"
exit $rc
