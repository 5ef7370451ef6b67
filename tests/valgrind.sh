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
# a first run of two documents (file:// pages): the worker pool, its
# threads' deflaters and arenas, the pack
w=$(mktemp -d)
printf '[document "demo/privacy"]\n\turl = file://%s/contrib/demo/privacy-v1.html\n' "$PWD" > "$w/demo.conf"
printf '[document "demo/agreement"]\n\turl = file://%s/contrib/demo/agreement-v1.txt\n' "$PWD" >> "$w/demo.conf"
printf '[team "legal"]\n\temail = legal@example.invalid\n[mail]\n\tdefault-team = legal\n' > "$w/run.conf"
$vg ./clausewatch -q -w "$w" -s "$w/store" run >/dev/null || { echo "valgrind: run" >&2; fail=1; }
rm -rf "$w"
[ $fail -eq 0 ] && echo "valgrind: clean"
exit $fail
