#!/bin/sh
# make check: every input of each target's seed corpus fuzz/corpus/TARGET,
# once (no fuzzing time): the reproducers of fixed crashes stay fixed.
set -e
for t in "$@"; do
	out=$(./build/fuzz/"$t" -runs=0 -rss_limit_mb=2048 -timeout=60 \
		fuzz/corpus/"$t" 2>&1) || {
		printf '%s\n' "$out" | tail -40 >&2
		echo "fuzz-check: $t FAILED" >&2
		exit 1
	}
	n=$(ls fuzz/corpus/"$t" | wc -l)
	echo "fuzz-check: $t: $n inputs ok"
done
