#!/bin/sh
# mailshot.sh FILE.eml OUT.png [WIDTH]: the message's HTML part as a reader
# sees it, rendered by headless chromium at WIDTH pixels (default 420, a
# phone). Look at OUT.png; OUT.html keeps the part.
set -eu
eml=$1
png=$2
width=${3:-420}
html="${png%.png}.html"
python3 - "$eml" "$html" <<'PY'
import email, email.policy, sys
with open(sys.argv[1], "rb") as f:
    msg = email.message_from_bytes(f.read(), policy=email.policy.default)
part = msg.get_body(preferencelist=("html",))
if part is None:
    sys.exit("no HTML part in " + sys.argv[1])
with open(sys.argv[2], "w") as f:
    f.write(part.get_content())
PY
browser=${CLAUSEWATCH_CHROMIUM:-chromium}
nosandbox=
[ "$(id -u)" = 0 ] && nosandbox=--no-sandbox
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless $nosandbox --disable-gpu --no-first-run \
	--user-data-dir="$profile" --hide-scrollbars \
	--screenshot="$png" --window-size="$width,1600" "file://$(realpath "$html")" \
	>/dev/null 2>&1
echo "$png"
