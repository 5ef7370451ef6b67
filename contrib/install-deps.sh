#!/bin/sh
# Install the Debian 12 packages clausewatch needs to build and test, if missing.
set -e
pkgs="build-essential pkg-config git ca-certificates curl python3 python3-aiosmtpd
libcurl4-openssl-dev libxml2-dev libgit2-dev libesmtp-dev libunistring-dev
libcriterion-dev libssl-dev openssl libjansson-dev"
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
