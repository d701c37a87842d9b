#!/usr/bin/env bash
# npud for Redox as packaging/redox/build.sh builds it (docs/redox.md), here
# with the host's compiler and NPU_REDOX_MAIN: its sources hold nothing
# Linux-only, they compile with warnings as errors and link on their own,
# and the program's options and exit statuses are as documented; with no
# Redox system calls it fails to start and says so.
# Usage: test_npud_redox.sh SOURCE_DIR   (CC: the compiler)
set -u
src=$1
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

mapfile -t files < <(sh "$src/packaging/redox/build.sh" --list "$src")
((${#files[@]} > 20)) || fail "build.sh --list gave ${#files[@]} sources"
# Linux-only interfaces npud must not use on Redox.
if grep -nE 'eventfd|memfd|SO_PEERCRED|SCM_RIGHTS|signalfd|epoll_|"/proc/|"/sys/|sd_notify' \
	"${files[@]}"; then
	fail "Linux-only interfaces in the Redox sources (above)"
fi

CFLAGS="-DNPU_REDOX_MAIN -Werror -Wshadow -Wformat=2 -Wmissing-prototypes -Wvla \
-Wstrict-prototypes -fno-strict-aliasing" sh "$src/packaging/redox/build.sh" "$src" "$tmp/npud" ||
	fail "build.sh did not build npud"
bin=$tmp/npud

# expect STATUS PATTERN ARGS...: the exit status, and PATTERN in the output.
expect() {
	local want=$1 pattern=$2 got
	shift 2
	"$bin" "$@" >"$tmp/out" 2>&1
	got=$?
	if [[ $got != "$want" ]] || ! grep -qF -- "$pattern" "$tmp/out"; then
		fail "npud $* exited $got (want $want and '$pattern'), output:"
		sed 's/^/  | /' "$tmp/out" >&2
	fi
}

expect 0 'INIT_NOTIFY' --help
expect 0 '(Redox)' --version
expect 2 'unknown option: --socket' --socket /run/npud.sock
expect 2 'a value is missing after: --group' --group
expect 2 'numeric group id, not: npu' --group npu
expect 2 'numeric group id, not: -1' --group -1
NPU_LOG=nonsense expect 2 'NPU_LOG: unknown level or category: nonsense'
expect 1 'runs on Redox only' --group 77 --firmware /nonexistent
exit $((fails > 0))
