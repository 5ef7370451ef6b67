#!/bin/sh
# make fuzz: each target in turn for SECONDS, one process (the machine is
# shared), from a copy of its seed corpus in build/fuzz/corpus/TARGET (what
# it finds stays there between runs); crashes go to build/fuzz/crashes/.
# Prints libFuzzer's last status line (runs, cov, ft) per target.
set -e
secs=$1
shift
mkdir -p build/fuzz/crashes
for t in "$@"; do
	c=build/fuzz/corpus/$t
	mkdir -p "$c"
	if [ "$t" = pdf ]; then
		sh fuzz/pdf-seeds.sh "$c"
	elif [ -d "fuzz/corpus/$t" ]; then
		cp -n fuzz/corpus/"$t"/* "$c"/ 2>/dev/null || true
	fi
	case $t in
	pdf) len=65536 ;;
	html) len=32768 ;;
	*) len=8192 ;;
	esac
	log=build/fuzz/$t.log
	echo "fuzz: $t for ${secs}s" >&2
	rc=0
	./build/fuzz/"$t" -max_total_time="$secs" -max_len=$len -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=build/fuzz/crashes/"$t"- "$c" >"$log" 2>&1 || rc=$?
	grep -E '^#[0-9]+' "$log" | tail -1 >&2
	grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log" >&2 || true
	if [ $rc -ne 0 ]; then
		echo "fuzz: $t failed (exit $rc), see $log and build/fuzz/crashes/" >&2
		exit 1
	fi
done
