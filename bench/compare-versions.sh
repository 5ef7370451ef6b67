#!/bin/bash
# Judge every pair of consecutive versions in an Open Terms Archive style
# version repository (one "Service/Document Type.md" per document; commit
# date = when the version was fetched) with `clausewatch compare --json
# --seen <commit date>`, and print a summary per document and overall.
#
#   bench/compare-versions.sh [REPO]      (default /tmp/versions)
#
# Make the repository once with
#   git clone -q ../shared/realworld/demo-versions.bundle /tmp/versions
# Environment: CLAUSEWATCH_BIN (default ./clausewatch), OUT (folder kept for
# reading the verdicts: OUT/NNN.json, OUT/NNN.meta; default a temp folder).
# Needs git and jq. Exit status 1 when a compare crashed or a change came
# without a reason.
set -u
BIN=${CLAUSEWATCH_BIN:-./clausewatch}
REPO=${1:-/tmp/versions}
OUT=${OUT:-$(mktemp -d /tmp/compare-versions.XXXXXX)}
mkdir -p "$OUT"
command -v jq >/dev/null || { echo "compare-versions: needs jq" >&2; exit 2; }
[ -x "$BIN" ] || { echo "compare-versions: no binary at $BIN (make clausewatch)" >&2; exit 2; }
[ -d "$REPO/.git" ] || { echo "compare-versions: no git repository at $REPO" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
T_PAIRS=0 T_CHANGED=0 T_MAT=0 T_EDIT=0 T_CRASH=0 T_NOREASON=0
: >"$tmp/allcats"
printf '%-44s %5s %7s %8s %9s %7s %8s  %s\n' document pairs changed material editorial crashes noreason categories
start=$(date +%s.%N)
while IFS= read -r -d '' path; do
	pairs=0 changed=0 mat=0 edit=0 crash=0 noreason=0
	: >"$tmp/cats"
	prev=
	while read -r rev when; do
		if [ -n "$prev" ] &&
		    git -C "$REPO" show "$prev:$path" >"$tmp/old.md" 2>/dev/null &&
		    git -C "$REPO" show "$rev:$path" >"$tmp/new.md" 2>/dev/null; then
			n=$((n + 1))
			id=$(printf '%03d' "$n")
			pairs=$((pairs + 1))
			printf '%s\t%s\t%s\t%s\n' "$path" "$prev" "$rev" "${when%%T*}" >"$OUT/$id.meta"
			"$BIN" compare "$tmp/old.md" "$tmp/new.md" --json --seen "${when%%T*}" \
			    >"$OUT/$id.json" 2>"$OUT/$id.err"
			rc=$?
			if [ "$rc" -gt 1 ] || ! jq -e . "$OUT/$id.json" >/dev/null 2>&1; then
				crash=$((crash + 1))
				echo "CRASH (exit $rc): $path $prev..$rev" >&2
			else
				read -r c m e nr <<EOF
$(jq -r '[.changed, .material,
    (.changed and ([.changes[] | select(.editorial | not)] | length) == 0),
    ([.changes[] | select(.reason == null or .reason == "")] | length)] | @tsv' "$OUT/$id.json")
EOF
				[ "$c" = true ] && changed=$((changed + 1))
				[ "$m" = true ] && mat=$((mat + 1))
				[ "$e" = true ] && edit=$((edit + 1))
				noreason=$((noreason + nr))
				jq -r '.categories[]' "$OUT/$id.json" >>"$tmp/cats"
			fi
		fi
		prev=$rev
	done < <(git -C "$REPO" log --reverse --format='%H %cI' -- "$path")
	cats=$(sort "$tmp/cats" | uniq -c | sort -rn | awk '{printf "%s%s:%s", sep, $2, $1; sep=" "}')
	cat "$tmp/cats" >>"$tmp/allcats"
	printf '%-44s %5d %7d %8d %9d %7d %8d  %s\n' "$path" "$pairs" "$changed" "$mat" "$edit" \
	    "$crash" "$noreason" "$cats"
	T_PAIRS=$((T_PAIRS + pairs)) T_CHANGED=$((T_CHANGED + changed))
	T_MAT=$((T_MAT + mat)) T_EDIT=$((T_EDIT + edit))
	T_CRASH=$((T_CRASH + crash)) T_NOREASON=$((T_NOREASON + noreason))
done < <(git -C "$REPO" ls-files -z -- '*.md')
end=$(date +%s.%N)
cats=$(sort "$tmp/allcats" | uniq -c | sort -rn | awk '{printf "%s%s:%s", sep, $2, $1; sep=" "}')
printf '%-44s %5d %7d %8d %9d %7d %8d\n' TOTAL "$T_PAIRS" "$T_CHANGED" "$T_MAT" "$T_EDIT" \
    "$T_CRASH" "$T_NOREASON"
echo "categories (pairs naming each): $cats"
echo "substantive but not material: $((T_CHANGED - T_MAT - T_EDIT))"
awk -v s="$start" -v e="$end" -v n="$T_PAIRS" \
    'BEGIN { printf "time: %.2f s for %d pairs, git and jq included\n", e - s, n }'
echo "verdicts kept in $OUT (NNN.json, NNN.meta: path, old, new, seen)"
[ "$T_CRASH" -eq 0 ] && [ "$T_NOREASON" -eq 0 ]
