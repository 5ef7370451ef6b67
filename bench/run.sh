#!/bin/sh
# make bench: N generated ~20 KB agreement pages served by nginx on four
# loopback addresses (so the 2-per-host cap still allows 8 connections);
# times a first run, a no-change run, the curl --parallel floor, and
# urlwatch when installed. BENCH_N="200 1000 5000" to check growth.
set -e
top=$(pwd)
N=${BENCH_N:-200}
J=${BENCH_JOBS:-8}
port=${BENCH_PORT:-18473}
work="$top/build/bench"
cw="$top/clausewatch"

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
}
CONF
mkdir -p "$work/tmp"
"$nginx_bin" -c "$work/nginx.conf" -e "$work/logs/error.log"
trap 'kill $(cat "$work/nginx.pid") 2>/dev/null' EXIT INT TERM

printf '%-6s %-22s %8s %9s %6s\n' N what seconds maxrss_kb exit
for n in $N; do
	python3 bench/gen.py "$work/www" "$n"
	rm -rf "$work/wl" "$work/store" "$work/urls"
	mkdir -p "$work/wl"
	i=0
	while [ $i -lt "$n" ]; do
		h=$((i % 4 + 1))
		printf '[document "pub%d/doc%d"]\n\turl = http://127.0.0.%d:%d/doc%d.html\n\tselect = main\n' \
			$((i / 50)) $i $h "$port" $i
		printf 'url = "http://127.0.0.%d:%d/doc%d.html"\noutput = /dev/null\n' $h "$port" $i >> "$work/urls"
		i=$((i + 1))
	done > "$work/wl/bench.conf"
	printf '[run]\n\tjobs = %d\n' "$J" >> "$work/wl/bench.conf"
	m() { printf '%-6s %-22s %s\n' "$n" "$1" "$(shift; python3 bench/measure.py "$@")"; }
	m "curl --parallel" curl -s --no-progress-meter --parallel --parallel-max "$J" -K "$work/urls"
	m "clausewatch first" "$cw" -q -w "$work/wl" -s "$work/store" run
	m "clausewatch no-change" "$cw" -q -w "$work/wl" -s "$work/store" run
	if command -v urlwatch >/dev/null 2>&1; then
		i=0
		while [ $i -lt "$n" ]; do
			printf -- '---\nurl: http://127.0.0.%d:%d/doc%d.html\n' $((i % 4 + 1)) "$port" $i
			i=$((i + 1))
		done > "$work/urlwatch.yaml"
		rm -f "$work/urlwatch.db"
		m "urlwatch first" urlwatch --urls "$work/urlwatch.yaml" --cache "$work/urlwatch.db" \
			--config "$top/bench/urlwatch.yaml"
		m "urlwatch no-change" urlwatch --urls "$work/urlwatch.yaml" --cache "$work/urlwatch.db" \
			--config "$top/bench/urlwatch.yaml"
	fi
done
