#!/bin/sh
# Install the Debian 12 packages clausewatch needs to build and test, if missing.
# libmupdf-dev is a static library whose .pc names the libraries it links
# against without depending on their -dev packages: those are listed too.
# chromium renders pages that need JavaScript (render = chromium); the
# tests make PDFs with python3-reportlab and the WenQuanYi font, and parse
# the report's calendar feed with python3-icalendar; clang builds the
# libFuzzer targets (make check runs their seed corpora).
set -e
pkgs="build-essential pkg-config git ca-certificates curl python3 python3-aiosmtpd
libcurl4-openssl-dev libxml2-dev libgit2-dev libesmtp-dev libunistring-dev
libcriterion-dev libssl-dev openssl libjansson-dev
libmupdf-dev libmujs-dev libgumbo-dev libopenjp2-7-dev libjbig2dec0-dev libjpeg-dev
libfreetype-dev zlib1g-dev libisal-dev
chromium python3-reportlab fonts-wqy-microhei python3-icalendar
clang"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
