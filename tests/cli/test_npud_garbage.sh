#!/usr/bin/env bash
# npud under hostile clients: hundreds of malformed, truncated, oversized and
# out-of-order requests, descriptors sent to it, clients that never read, and
# more connections than it takes. It keeps serving, leaks no descriptor, and
# stops cleanly.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=npud_lib.sh
. "$(dirname "$0")/npud_lib.sh"

sock=$tmp/npud.sock
start_npud "$sock" "$tmp/log" --max-connections 64 || {
	finish
	exit
}

# 25 rounds of 16 kinds: 400 connections (npud_client.py hostile()).
NPUD_TEST_SEED=${NPUD_TEST_SEED:-$RANDOM} python3 "$client" garbage "$sock" 25 >"$tmp/err" 2>&1
expect_rc "garbage connections" 0 $?
grep -q "^garbage: 400 hostile connections" "$tmp/err" && ok || bad "garbage: $(cat "$tmp/err")"
alive "after garbage"
grep -q "a message over 4096 bytes is no request; closed" "$tmp/log" && ok ||
	bad "no warning about the oversized requests: $(tail -5 "$tmp/log")"

# The connection limit: 64 kept, the rest closed at once and logged; then serving again.
python3 "$client" limit "$sock" 80 64 >"$tmp/err" 2>&1
expect_rc "connection limit" 0 $?
grep -q "connection refused: 64 connections already" "$tmp/log" && ok ||
	bad "the refused connections were not logged: $(tail -5 "$tmp/log")"
python3 "$client" smoke "$sock" >"$tmp/err" 2>&1
expect_rc "served after the limit" 0 $?
alive "after the limit"

stop_npud "stop after garbage"
[[ -e $sock ]] && bad "the socket is still there after the stop" || ok
finish
