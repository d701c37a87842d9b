#!/bin/sh
# Builds npud for Redox (docs/redox.md): the portable sources (hardware tables,
# driver, server, Redox backend and scheme, utilities) and
# tools/npud/npud_redox.c, without the Linux-only ones
# (Unix socket transport, systemd notification, libnpu, the simulated NPU).
# The cookbook recipe runs it with its cross compiler in CC.
#
# Usage: build.sh SOURCE_DIR OUTPUT    (CC, CFLAGS, LDFLAGS from the environment)
#        build.sh --list SOURCE_DIR    the sources, one a line
set -eu

sources() {
	for f in "$1"/src/hw/*.c "$1"/src/driver/*.c "$1"/src/redox/*.c "$1"/src/util/*.c \
		"$1"/src/server/server.c "$1"/src/server/server_ops.c "$1"/src/server/server_jobs.c \
		"$1"/src/server/server_prio.c \
		"$1"/src/platform/dma.c "$1"/src/platform/cache.c \
		"$1"/src/platform/host.c "$1"/tools/npud/npud_redox.c; do
		echo "$f"
	done
}

if [ "${1:-}" = --list ]; then
	sources "$2"
	exit 0
fi
if [ $# -ne 2 ]; then
	echo "usage: build.sh SOURCE_DIR OUTPUT | --list SOURCE_DIR" >&2
	exit 2
fi
src=$1
version=$(sed -n 's/^project(npud VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
# shellcheck disable=SC2046,SC2086 # the source list and the flags split on purpose
${CC:-cc} -std=c11 -O2 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -DNPU_VERSION="\"$version\"" \
	${CFLAGS:-} -I"$src/src" -I"$src/include" $(sources "$src") -o "$2" ${LDFLAGS:-} -lm -lpthread
