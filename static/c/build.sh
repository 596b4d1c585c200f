#!/bin/sh
# Rebuilds the C examples' objects (checked in, so that tests and users need no clang):
#   static/c/build.sh            # every *.c here
#   static/c/build.sh foo.c      # one
# Needs clang with the BPF target (Debian: apt-get install -y clang-19; the script installs it
# with apt-get when it is missing and it runs as root).
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-}
if [ -z "$CLANG" ]; then
	for c in clang-19 clang-22 clang; do
		if command -v "$c" >/dev/null 2>&1; then CLANG=$c; break; fi
	done
fi
if [ -z "$CLANG" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "build.sh: installing clang-19" >&2
		apt-get install -y clang-19 >/dev/null
		CLANG=clang-19
	else
		echo "build.sh: no clang found (install clang-19, or set CLANG=...)" >&2
		exit 1
	fi
fi
[ $# -gt 0 ] || set -- *.c
for src in "$@"; do
	obj=${src%.c}.o
	# -g gives BTF and .BTF.ext line info; the prefix map keeps the build directory out of
	# the object so that a rebuild elsewhere gives the same bytes.
	"$CLANG" -O2 -g -target bpf -fdebug-prefix-map="$PWD"=. -c "$src" -o "$obj"
	echo "$obj"
done
