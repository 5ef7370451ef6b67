#!/bin/sh
# make bench: N generated ~20 KB agreement pages served by nginx on four
# loopback addresses (so the 2-per-host cap still allows 8 connections),
# once with validators (ETag, Last-Modified) and once without (etag off,
# if_modified_since off: most dynamic agreement pages). One table per run:
# the curl --parallel floor, clausewatch's first run, its no-change runs
# against both servers (each against a store its own first run made), the
# time per page, the first run's CPU time (user + system: steadier than
# the wall time on a shared machine), peak RSS, `run --only` of one
# document in the store of N (wall, ms), and urlwatch when installed (up
# to BENCH_URLWATCH_MAX pages, 5,000: it takes about 5 ms a page).
# BENCH_N="500 5000 20000" for the growth series. Each number is the
# median of BENCH_REPEAT runs (default 3; a first run each time into a
# store made afresh). BENCH_BIN: another build of clausewatch to compare.
set -e
top=$(pwd)
N=${BENCH_N:-200}
J=${BENCH_JOBS:-8}
R=${BENCH_REPEAT:-3}
UWMAX=${BENCH_URLWATCH_MAX:-5000}	# urlwatch takes ~5 ms a page: not beyond
port=${BENCH_PORT:-18473}
port2=$((port + 1))
work="$top/build/bench"
cw=${BENCH_BIN:-$top/clausewatch}	# BENCH_BIN: another build to compare

command -v nginx >/dev/null 2>&1 || {
	echo "bench: installing nginx (the page server)" >&2
	sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx-core >/dev/null ||
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx >/dev/null
}
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

rm -rf "$work"
mkdir -p "$work/www" "$work/logs"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $work/tmp;
	proxy_temp_path $work/tmp;
	fastcgi_temp_path $work/tmp;
	uwsgi_temp_path $work/tmp;
	scgi_temp_path $work/tmp;
	default_type text/html;
	keepalive_requests 100000;
	server {
		listen 127.0.0.1:$port; listen 127.0.0.2:$port;
		listen 127.0.0.3:$port; listen 127.0.0.4:$port;
		root $work/www;
	}
	server {
		listen 127.0.0.1:$port2; listen 127.0.0.2:$port2;
		listen 127.0.0.3:$port2; listen 127.0.0.4:$port2;
		root $work/www;
		etag off;
		if_modified_since off;
	}
}
CONF
mkdir -p "$work/tmp"
"$nginx_bin" -c "$work/nginx.conf" -e "$work/logs/error.log"
trap 'kill $(cat "$work/nginx.pid") 2>/dev/null' EXIT INT TERM

# watchlist for server port $1 into $2 (a file per 2,000 documents: a
# watchlist file is capped at 1 MB), and curl's URL list into $3
watchlist() {
	mkdir -p "$2"
	i=0
	: > "$3"
	while [ $i -lt "$n" ]; do
		h=$((i % 4 + 1))
		printf '[document "pub%d/doc%d"]\n\turl = http://127.0.0.%d:%d/doc%d.html\n\tselect = main\n' \
			$((i / 50)) $i $h "$1" $i >> "$2/bench$((i / 2000)).conf"
		printf 'url = "http://127.0.0.%d:%d/doc%d.html"\noutput = /dev/null\n' $h "$1" $i >> "$3"
		i=$((i + 1))
	done
	printf '[run]\n\tjobs = %d\n[team "bench"]\n\temail = bench@example.invalid\n[mail]\n\tdefault-team = bench\n' \
		"$J" > "$2/run.conf"
}
# m NAME [--fresh DIR] CMD...: sets NAME_s (seconds), NAME_kb (peak RSS),
# NAME_rc and NAME_cpu (user + system seconds), medians of $R runs
m() {
	name=$1
	shift
	set -- $(python3 "$top/bench/measure.py" -r "$R" "$@")
	eval "${name}_s=$1 ${name}_kb=$2 ${name}_rc=$3 ${name}_cpu=$4"
}
x() { python3 -c "import sys; print('%.1fx' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
ms() { python3 -c "import sys; print('%.3f' % (1000 * float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
mb() { python3 -c "import sys; print('%.1f' % (int(sys.argv[1]) / 1024))" "$1"; }

echo "bench: $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf '%-6s | %-7s | %-15s | %-8s | %-9s | %-15s | %-15s | %-7s | %-7s | %-15s | %-8s | %s\n' \
	N "curl s" "first s (xcurl)" "ms/page" "first cpu" "no-chg ETag s" "no-chg none s" \
	"RSS MB" "only ms" "urlwatch first" "urlw nc" "exit codes"
for n in $N; do
	python3 bench/gen.py "$work/www" "$n"
	rm -rf "$work/wl" "$work/wl2" "$work/store" "$work/store2"
	watchlist "$port" "$work/wl" "$work/urls"
	watchlist "$port2" "$work/wl2" "$work/urls2"
	load=$(cut -d' ' -f1 /proc/loadavg)
	m curl curl -s --no-progress-meter --parallel --parallel-max "$J" -K "$work/urls"
	m first --fresh "$work/store" "$cw" -q -w "$work/wl" -s "$work/store" run
	m same "$cw" -q -w "$work/wl" -s "$work/store" run
	m first2 --fresh "$work/store2" "$cw" -q -w "$work/wl2" -s "$work/store2" run
	m same2 "$cw" -q -w "$work/wl2" -s "$work/store2" run
	# one document of a store of n: nothing may walk the rest
	m only "$cw" -q -w "$work/wl" -s "$work/store" run --only pub0/doc0
	rss=$first_kb
	for k in $first2_kb $same_kb $same2_kb; do [ "$k" -gt "$rss" ] && rss=$k; done
	uw="-"; uwn="-"
	if command -v urlwatch >/dev/null 2>&1 && [ "$n" -le "$UWMAX" ]; then
		i=0
		while [ $i -lt "$n" ]; do
			printf -- '---\nurl: http://127.0.0.%d:%d/doc%d.html\n' $((i % 4 + 1)) "$port" $i
			i=$((i + 1))
		done > "$work/urlwatch.yaml"
		m uwf --fresh "$work/urlwatch.db" urlwatch --urls "$work/urlwatch.yaml" --cache "$work/urlwatch.db" \
			--config "$top/bench/urlwatch.yaml"
		m uwn urlwatch --urls "$work/urlwatch.yaml" --cache "$work/urlwatch.db" \
			--config "$top/bench/urlwatch.yaml"
		uw="$uwf_s ($(x "$uwf_s" "$curl_s"))"; uwn="$uwn_s"
	fi
	printf '%-6s | %-7s | %-15s | %-8s | %-9s | %-15s | %-15s | %-7s | %-7s | %-15s | %-8s | %s\n' \
		"$n" "$curl_s" "$first_s ($(x "$first_s" "$curl_s"))" "$(ms "$first_s" "$n")" \
		"$first_cpu" "$same_s ($(x "$same_s" "$curl_s"))" "$same2_s ($(x "$same2_s" "$curl_s"))" \
		"$(mb "$rss")" "$(ms "$only_s" 1)" "$uw" "$uwn" \
		"$curl_rc/$first_rc/$same_rc/$first2_rc/$same2_rc/$only_rc load $load"
done
