#!/usr/bin/env bash
# Many clients through npud: 8 in parallel each get exactly their own bytes
# back; a client killed with SIGKILL in the middle of its jobs is reclaimed and
# npud keeps serving. With the protocol client (npud_client.py) and with
# npuctl --socket.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=npud_lib.sh
. "$(dirname "$0")/npud_lib.sh"

# status_check NAME PYTHON-EXPR: npud's status report (d), through a client of its own.
status_check() {
	python3 "$client" status "$sock" >"$tmp/status.json" 2>"$tmp/err" || {
		bad "$1: status: $(cat "$tmp/status.json" "$tmp/err")"
		return
	}
	json_check "$1" "$tmp/status.json" "$2"
}

sock=$tmp/npud.sock
# Room for a 64 MiB copy (source and destination) in one client.
start_npud "$sock" "$tmp/log" --max-bytes 160M || {
	finish
	exit
}

# 8 clients in parallel, each filling 4 MiB of its own with its own pattern.
pids=()
for i in $(seq 8); do
	python3 "$client" fill "$sock" 4 $((0x01020304 * i)) >"$tmp/fill$i" 2>&1 &
	pids+=($!)
done
for i in $(seq 8); do
	wait "${pids[i - 1]}"
	rc=$?
	[[ $rc -eq 0 ]] && ok || bad "parallel fill $i: exit $rc: $(cat "$tmp/fill$i")"
done
status_check "every parallel client is gone" "len(d['clients']) == 1 and d['jobs_queued'] == 0"

# A client killed with SIGKILL while its jobs are in flight (they wait on a
# fence it never sets): its context, buffers and jobs are reclaimed.
python3 "$client" hold "$sock" 5 >"$tmp/hold" 2>&1 &
holder=$!
if wait_for "$tmp/hold" "queued"; then
	status_check "5 jobs in flight" "len(d['clients']) == 2 and d['jobs_queued'] == 5"
	kill -KILL "$holder"
	wait "$holder" 2>/dev/null
	wait_for "$tmp/log" "went away with 5 job(s) in flight: dropped" && ok ||
		bad "npud did not drop the killed client's jobs: $(tail -3 "$tmp/log")"
	status_check "killed client reclaimed" "len(d['clients']) == 1 and d['jobs_queued'] == 0"
	python3 "$client" fill "$sock" 8 0x5aa55aa5 >"$tmp/err" 2>&1
	expect_rc "a job after the killed client" 0 $?
else
	bad "hold: $(cat "$tmp/hold")"
	kill -KILL "$holder"
fi
alive "after the killed client"

# npuctl --socket: copies through npud, and a killed npuctl in the middle of a large copy.
if "$NPUCTL" --socket "$tmp/nothing-here.sock" status >"$tmp/err" 2>&1; then
	bad "npuctl --socket with no npud there succeeded: it did not go through a socket"
else
	pids=()
	for i in $(seq 8); do
		head -c $((3 * 1024 * 1024 + i * 4099)) /dev/urandom >"$tmp/in$i"
	done
	for i in $(seq 8); do
		"$NPUCTL" --socket "$sock" exec copy --in "$tmp/in$i" --out "$tmp/out$i" >"$tmp/copy$i" 2>&1 &
		pids+=($!)
	done
	for i in $(seq 8); do
		wait "${pids[i - 1]}"
		rc=$?
		[[ $rc -eq 0 ]] && ok || bad "npuctl copy $i: exit $rc: $(cat "$tmp/copy$i")"
		cmp -s "$tmp/in$i" "$tmp/out$i" && ok || bad "npuctl copy $i: the bytes that came back differ"
	done
	# A 64 MiB copy killed once its buffers are there (or its job runs): all of it reclaimed.
	head -c $((64 * 1024 * 1024)) /dev/urandom >"$tmp/big"
	python3 "$client" status "$sock" >"$tmp/status.json" 2>"$tmp/err"
	base=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['memory_used_bytes'])" "$tmp/status.json")
	"$NPUCTL" --socket "$sock" exec copy --in "$tmp/big" --out "$tmp/big.out" >"$tmp/copy" 2>&1 &
	copy=$!
	python3 "$client" kill-busy "$sock" "$copy" npuctl >"$tmp/kill" 2>&1
	expect_rc "kill npuctl in the middle of its copy" 0 $?
	echo "note: npuctl $(cat "$tmp/kill")"
	wait "$copy" 2>/dev/null
	[[ $? -eq 137 ]] && ok || bad "npuctl was not killed mid-copy: $(cat "$tmp/copy")"
	for _ in $(seq 100); do
		python3 "$client" status "$sock" >"$tmp/status.json" 2>/dev/null &&
			python3 -c "import json,sys; sys.exit(0 if len(json.load(open(sys.argv[1]))['clients']) == 1 else 1)" "$tmp/status.json" && break
		sleep 0.1
	done
	status_check "killed npuctl reclaimed" "len(d['clients']) == 1 and d['jobs_queued'] == 0 and d['memory_used_bytes'] == $base"
	"$NPUCTL" --socket "$sock" exec copy --in "$tmp/in1" --out "$tmp/again" >"$tmp/err" 2>&1
	expect_rc "npuctl copy after the killed one" 0 $?
	cmp -s "$tmp/in1" "$tmp/again" && ok || bad "npuctl copy after the killed one: bytes differ"
fi

alive "at the end"
stop_npud "stop after the clients"
finish
