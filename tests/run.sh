#!/bin/sh
# Run every unit test (sanitizer build) and every end-to-end test.
# Usage: tests/run.sh test_a test_b ...   (names of tests/test_*.c)
set -u
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export CLAUSEWATCH_BIN="$PWD/build/asan/clausewatch"
[ -d ../shared/corpus ] && export CLAUSEWATCH_CORPUS="$PWD/../shared/corpus"
fail=0
pass=0
for t in "$@"; do
	if ./build/asan/"$t" --jobs 2; then
		pass=$((pass + 1))
	else
		echo "FAILED: $t" >&2
		fail=$((fail + 1))
	fi
done
for t in tests/e2e/test_*.py; do
	[ -f "$t" ] || continue
	if (cd tests/e2e && python3 -m unittest -v "$(basename "$t" .py)"); then
		pass=$((pass + 1))
	else
		echo "FAILED: $t" >&2
		fail=$((fail + 1))
	fi
done
echo "suites: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
