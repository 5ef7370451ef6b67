#!/bin/sh
# make demo: an offline tour. Two documents served from file:// URLs, a first
# run, the platform edits its pages, a second run that records and judges the
# change and writes the mail to the store's outbox. Needs no network or SMTP.
set -e
top=$(pwd)
demo=${DEMO_DIR:-$top/build/demo}	# the tests run it elsewhere, with their binary
cw=${CLAUSEWATCH_BIN:-$top/clausewatch}
rm -rf "$demo"
mkdir -p "$demo/pages" "$demo/watchlist"
sed "s|@DEMO@|$demo|g" watchlist/demo/demo.conf.in > "$demo/watchlist/demo.conf"
cp contrib/demo/privacy-v1.html "$demo/pages/privacy.html"
cp contrib/demo/agreement-v1.txt "$demo/pages/agreement.txt"
run() { echo "\$ clausewatch $*"; "$cw" -w "$demo/watchlist" -s "$demo/store" "$@"; }

echo "== 1. first run (2026-11-01): every document recorded once"
run --now 2026-11-01T06:00:00Z run
echo
echo "== 2. the platform edits its pages; the next cron run (2026-11-22)"
cp contrib/demo/privacy-v2.html "$demo/pages/privacy.html"
cp contrib/demo/agreement-v2.txt "$demo/pages/agreement.txt"
run --now 2026-11-22T06:00:00Z run || true
echo
echo "== 3. the clause history is git log"
echo "\$ git -C build/demo/store log --oneline main"
git -C "$demo/store" log --oneline main
echo
echo "== 4. what changed, clause by clause"
run --now 2026-11-22T06:00:00Z diff acme/privacy-policy
echo
echo "== 5. open deadlines"
run --now 2026-11-22T06:00:00Z deadlines
echo
echo "== 6. the next morning's run: nothing changed, so nothing on stdout; it sends"
echo "      the platform team's daily digest of yesterday's editorial changes"
run --now 2026-11-23T06:00:00Z run
echo
echo "== 7. the mail that went out (no [smtp] host: the store's outbox)"
# in the order they were written (the names are hashes of their keys)
ls -1tr "$demo/store/outbox/new" | grep '\.eml$' | while read -r f; do
	echo "$f"
done
ls -1tr "$demo/store/outbox/new" | grep '\.eml$' | while read -r f; do
	python3 contrib/showmail.py "$demo/store/outbox/new/$f"
	echo "------------------------------------------------------------------"
done
echo
echo "== 8. the clause history as a website and a calendar feed"
run --now 2026-11-23T06:00:00Z report "$demo/site"
echo
echo "Store: $demo/store   (try: git -C $demo/store log -p main)"
echo "Site:  $demo/site/index.html"
echo "       (chromium $demo/site/index.html; subscribe to $demo/site/deadlines.ics)"
