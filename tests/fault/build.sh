#!/bin/sh
# build.sh — compiles the fault-injection shim (tests/fault/shim.c) into a
# shared object for LD_PRELOAD: build/fault/shim.so by default, or the path
# given as $1. Uses cc (or $CC) from PATH. Exits non-zero when it cannot.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/build/fault/shim.so}
mkdir -p "$(dirname "$out")"
# build into a temporary name and rename, so a concurrent user never loads a
# half-written object
${CC:-cc} -shared -fPIC -O1 -Wall -Wextra -o "$out.tmp.$$" "$here/tests/fault/shim.c" -ldl
mv -f "$out.tmp.$$" "$out"
