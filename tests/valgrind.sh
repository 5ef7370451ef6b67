#!/bin/sh
# make valgrind: the unit tests (plain build) and the binary's file commands
# under valgrind's memcheck; any error or definite leak fails.
set -u
vg="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite"
fail=0
for t in "$@"; do
	$vg ./build/"$t" --jobs 1 >/dev/null 2>build/valgrind-"$t".log || {
		echo "valgrind: $t" >&2; tail -30 build/valgrind-"$t".log >&2; fail=1; }
done
for f in contrib/demo/privacy-v1.html contrib/demo/agreement-v1.txt; do
	$vg ./clausewatch analyze --json "$f" >/dev/null || { echo "valgrind: analyze $f" >&2; fail=1; }
done
$vg ./clausewatch compare contrib/demo/privacy-v1.html contrib/demo/privacy-v2.html >/dev/null
[ $? -eq 1 ] || { echo "valgrind: compare" >&2; fail=1; }
[ $fail -eq 0 ] && echo "valgrind: clean"
exit $fail
