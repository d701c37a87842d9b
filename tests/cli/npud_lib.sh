# Shared by the npud CLI tests (sourced after lib.sh): start npud in the
# foreground on a socket in $tmp, stop it with SIGTERM, never leave it running.
# shellcheck shell=bash disable=SC2034,SC2154

: "${NPUD:?NPUD must point at the npud binary}"
client=$(dirname "$0")/npud_client.py
npud_pid=
# The synthetic firmware image keeps these tests independent of the firmware package.
export NPU_FIRMWARE_PATH=$tmp/nofw
mkdir -p "$NPU_FIRMWARE_PATH"
trap '[[ -n $npud_pid ]] && kill -KILL "$npud_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# start_npud SOCK LOG [npud options...]: sets npud_pid; waits up to 30 s until
# this npud answers on the socket (a file there before is not enough).
start_npud() {
	local sock=$1 log=$2
	shift 2
	"$NPUD" --device sim --foreground --socket "$sock" "$@" >"$log" 2>&1 &
	npud_pid=$!
	for _ in $(seq 300); do
		[[ -S $sock && $(python3 "$client" pid "$sock" 2>/dev/null) == "$npud_pid" ]] && return 0
		kill -0 "$npud_pid" 2>/dev/null || break
		sleep 0.1
	done
	bad "npud did not start on $sock: $(tail -5 "$log")"
	return 1
}

# stop_npud NAME [SIGNAL]: SIGTERM (or SIGNAL; "-": sent already); npud must
# exit 0 within 10 s. Sets stop_ms.
stop_npud() {
	local t0 rc
	t0=$(date +%s%N)
	[[ ${2:-TERM} == - ]] || kill -"${2:-TERM}" "$npud_pid"
	for _ in $(seq 100); do
		kill -0 "$npud_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$npud_pid" 2>/dev/null; then
		bad "$1: npud still runs 10 s after SIG${2:-TERM}"
		kill -KILL "$npud_pid"
	fi
	wait "$npud_pid"
	rc=$?
	npud_pid=
	[[ $rc -eq 0 ]] && ok || bad "$1: npud exited $rc after SIG${2:-TERM}"
	stop_ms=$((($(date +%s%N) - t0) / 1000000))
}

# alive NAME: npud still runs.
alive() {
	kill -0 "$npud_pid" 2>/dev/null && ok || bad "$1: npud is gone"
}

# wait_for FILE TEXT: up to 20 s.
wait_for() {
	for _ in $(seq 200); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
