#!/bin/sh
# Installs the Debian packages milecast needs to build and test, only those
# missing, so `make test` works on a fresh machine with nothing done by hand.
set -eu
PKGS="gcc make pkg-config libc6-dev libcsv-dev libpcre2-dev libinih-dev zlib1g-dev
libcriterion-dev uthash-dev libyaml-dev libjansson-dev nettle-dev libxxhash-dev sqlite3 unzip
gawk time python3 tzdata clang libclang-rt-14-dev jq groff-base"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
