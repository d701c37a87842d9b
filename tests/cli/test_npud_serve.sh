#!/usr/bin/env bash
# npud's life: foreground and daemon start, readiness (NOTIFY_SOCKET, path and
# abstract), the socket's folder, mode, group and stale file, a second npud on
# the same socket, start-up failures in daemon mode, and the stop on SIGTERM
# and SIGINT, with jobs in flight too.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=npud_lib.sh
. "$(dirname "$0")/npud_lib.sh"


# Foreground: makes the socket's folder, serves, stops on SIGTERM with exit 0, removes its socket.
sock=$tmp/run/npud.sock
start_npud "$sock" "$tmp/log" && {
	python3 "$client" smoke "$sock" >"$tmp/err" 2>&1
	expect_rc "smoke" 0 $?
	[[ $(stat -c %a "$sock") == 660 && $(stat -c %a "$tmp/run") == 755 ]] && ok ||
		bad "socket mode $(stat -c %a "$sock"), folder $(stat -c %a "$tmp/run"); expected 660, 755"
	# A second npud on the same socket refuses to start, and the first one keeps it.
	"$NPUD" --device sim --foreground --socket "$sock" >"$tmp/err" 2>&1
	expect_rc "second npud" 1 $?
	grep -q "^npud: $sock: another server answers there" "$tmp/err" && ok || bad "second npud: $(cat "$tmp/err")"
	python3 "$client" smoke "$sock" >"$tmp/err" 2>&1
	expect_rc "smoke after a second npud" 0 $?
	stop_npud "SIGTERM"
	[[ -e $sock ]] && bad "socket left behind after SIGTERM" || ok
	grep -q "received SIGTERM" "$tmp/log" && ok || bad "no SIGTERM log line: $(tail -3 "$tmp/log")"
}

# A stale socket file is replaced; anything else at the path is refused.
python3 -c "import socket,sys; socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET).bind(sys.argv[1])" "$tmp/stale.sock"
start_npud "$tmp/stale.sock" "$tmp/log" --socket-mode 0600 --socket-group nogroup && {
	grep -q "removing the stale socket" "$tmp/log" && ok || bad "stale socket: $(tail -3 "$tmp/log")"
	[[ $(stat -c %a:%G "$tmp/stale.sock") == 600:nogroup ]] && ok ||
		bad "--socket-mode 0600 --socket-group nogroup gave $(stat -c %a:%G "$tmp/stale.sock")"
	python3 "$client" smoke "$tmp/stale.sock" >"$tmp/err" 2>&1
	expect_rc "smoke on a replaced stale socket" 0 $?
	stop_npud "SIGTERM after a stale socket"
}
touch "$tmp/file"
"$NPUD" --device sim --foreground --socket "$tmp/file" >"$tmp/err" 2>&1
expect_rc "not a socket" 1 $?
grep -q "^npud: $tmp/file exists and is not a socket" "$tmp/err" && ok || bad "not a socket: $(cat "$tmp/err")"
"$NPUD" --device sim --foreground --socket "$tmp/$(printf 'x%.0s' $(seq 120))" >"$tmp/err" 2>&1
expect_rc "path too long" 1 $?
grep -q "too long" "$tmp/err" && ok || bad "path too long: $(cat "$tmp/err")"
"$NPUD" --device sim --foreground --socket "$tmp/g.sock" --socket-group no-such-group-here >"$tmp/err" 2>&1
expect_rc "unknown group" 1 $?
grep -q "^npud: group 'no-such-group-here' does not exist" "$tmp/err" && ok || bad "unknown group: $(cat "$tmp/err")"

# Readiness through NOTIFY_SOCKET, at a path and at an abstract name; STOPPING=1 on SIGTERM.
for addr in "$tmp/notify.sock" "@npud-test-$$"; do
	rm -f "$tmp/notes" "$tmp/notes.bound"
	python3 "$client" notify-listen "$addr" "$tmp/notes" &
	listener=$!
	for _ in $(seq 200); do [[ -e $tmp/notes.bound ]] && break; sleep 0.1; done
	[[ -e $tmp/notes.bound ]] || bad "the notify listener at $addr did not start"
	NOTIFY_SOCKET=$addr start_npud "$tmp/n.sock" "$tmp/log" && {
		if wait_for "$tmp/notes" "READY=1"; then
			ok
			# Ready means serving: a client is served at once.
			python3 "$client" smoke "$tmp/n.sock" >"$tmp/err" 2>&1
			expect_rc "smoke after READY=1 ($addr)" 0 $?
		else
			bad "no READY=1 at $addr: $(tail -3 "$tmp/log")"
		fi
		stop_npud "SIGTERM with NOTIFY_SOCKET=$addr"
		wait_for "$tmp/notes" "STOPPING=1" && ok || bad "no STOPPING=1 at $addr: $(cat "$tmp/notes")"
	}
	kill "$listener" 2>/dev/null
	wait "$listener" 2>/dev/null
done

# Daemon mode: the parent exits 0 once the daemon serves; the daemon is in its own session.
"$NPUD" --device sim --socket "$tmp/d.sock" >"$tmp/err" 2>&1
expect_rc "daemon start" 0 $?
dpid=$(python3 "$client" pid "$tmp/d.sock" 2>/dev/null)
if [[ -n $dpid ]]; then
	ok
	[[ $(ps -o sid= -p "$dpid" | tr -d ' ') == "$dpid" ]] && ok || bad "the daemon is not a session leader"
	python3 "$client" smoke "$tmp/d.sock" >"$tmp/err" 2>&1
	expect_rc "smoke on the daemon" 0 $?
	# Start-up failures reach the terminal through the parent, exit 1.
	"$NPUD" --device sim --socket "$tmp/d.sock" >"$tmp/err" 2>&1
	expect_rc "second daemon" 1 $?
	grep -q "^npud: $tmp/d.sock: another server answers there" "$tmp/err" && ok ||
		bad "second daemon: $(cat "$tmp/err")"
	kill -TERM "$dpid"
	for _ in $(seq 100); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$dpid" 2>/dev/null && { bad "daemon still runs 10 s after SIGTERM"; kill -KILL "$dpid"; } || ok
	[[ -e $tmp/d.sock ]] && bad "the daemon left its socket behind" || ok
else
	bad "no daemon answers on $tmp/d.sock: $(cat "$tmp/err")"
fi
NPU_SIM_FAULT=no-ready "$NPUD" --device sim --socket "$tmp/f.sock" >"$tmp/err" 2>&1
expect_rc "daemon whose NPU does not boot" 1 $?
grep -q "^npud: boot failed at " "$tmp/err" && ok || bad "boot failure in daemon mode: $(cat "$tmp/err")"
[[ -e $tmp/f.sock ]] && bad "a failed start left its socket behind" || ok

# SIGTERM and SIGINT with many short jobs queued: exit 0 within a few seconds.
for sig in TERM INT; do
	start_npud "$tmp/j.sock" "$tmp/log" || continue
	python3 "$client" flood "$tmp/j.sock" 60 32 >"$tmp/flood" 2>&1 &
	flood=$!
	wait_for "$tmp/flood" "queued" || bad "flood: $(cat "$tmp/flood")"
	stop_npud "SIG$sig with jobs queued" "$sig"
	((stop_ms < 8000)) && ok || bad "SIG$sig with jobs queued took $stop_ms ms"
	grep -q "the NPU is powered down" "$tmp/log" && ok || bad "SIG$sig: $(tail -3 "$tmp/log")"
	kill -KILL "$flood" 2>/dev/null
	wait "$flood" 2>/dev/null
done
# Jobs in flight when SIGTERM comes (they wait on a fence): npud waits for them.
# Released, they finish and npud exits at once; never released, they are
# dropped after the wait and npud still exits 0; a second signal cuts the wait short.
for release in yes no again; do
	start_npud "$tmp/j.sock" "$tmp/log" || continue
	python3 "$client" hold "$tmp/j.sock" 4 >"$tmp/hold" 2>&1 &
	holder=$!
	wait_for "$tmp/hold" "queued" || bad "hold: $(cat "$tmp/hold")"
	kill -TERM "$npud_pid"
	wait_for "$tmp/log" "stopping: waiting up to 5000 ms for 4 jobs in flight" && ok ||
		bad "npud did not wait for the jobs in flight: $(tail -3 "$tmp/log")"
	[[ $release == yes ]] && kill -USR1 "$holder"
	[[ $release == again ]] && kill -TERM "$npud_pid"
	stop_npud "SIGTERM with jobs in flight (released: $release)" -
	if [[ $release == yes ]]; then
		((stop_ms < 3000)) && ok || bad "the released jobs did not end the stop at once: $stop_ms ms"
		grep -q "jobs still in flight" "$tmp/log" && bad "released jobs were dropped: $(tail -3 "$tmp/log")" || ok
	elif [[ $release == again ]]; then
		((stop_ms < 3000)) && ok || bad "a second SIGTERM did not end the wait at once: $stop_ms ms"
		grep -q "stopping with 4 jobs still in flight: they are dropped" "$tmp/log" && ok ||
			bad "the jobs cut short were not reported dropped: $(tail -3 "$tmp/log")"
	else
		((stop_ms < 8000)) && ok || bad "SIGTERM with jobs never done took $stop_ms ms"
		grep -q "stopping with 4 jobs still in flight: they are dropped" "$tmp/log" && ok ||
			bad "the jobs never done were not reported dropped: $(tail -3 "$tmp/log")"
	fi
	grep -q "the NPU is powered down" "$tmp/log" && ok || bad "jobs in flight: $(tail -3 "$tmp/log")"
	kill -KILL "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
done
# Jobs that never end (a hung firmware): npud waits for them, they fail with the
# recovery or are dropped when the wait is over, and npud still exits 0 in time.
NPU_SIM_FAULT=hang-job NPU_TDR_TIMEOUT_MS=300 start_npud "$tmp/h.sock" "$tmp/log" && {
	python3 "$client" flood "$tmp/h.sock" 3 1 >"$tmp/flood" 2>&1 &
	flood=$!
	wait_for "$tmp/flood" "queued" || bad "flood: $(cat "$tmp/flood")"
	stop_npud "SIGTERM with hung jobs"
	((stop_ms < 8000)) && ok || bad "SIGTERM with hung jobs took $stop_ms ms"
	grep -Eq "stopping: waiting up to [0-9]+ ms for 3 jobs in flight" "$tmp/log" && ok ||
		bad "npud did not wait for the hung jobs: $(tail -3 "$tmp/log")"
	grep -q "the NPU is powered down" "$tmp/log" && ok || bad "hung jobs: $(tail -3 "$tmp/log")"
	kill -KILL "$flood" 2>/dev/null
	wait "$flood" 2>/dev/null
}
finish
