#!/usr/bin/env bash
# npuctl --socket PATH through a running npud (libnpu's socket mode): exec
# fill/copy/timestamp with the bytes checked and the same JSON as in-process,
# status (JSON, text, --watch), probe, reset (root; refused to another user),
# selftest as a client, the commands that need the registers refused, and the
# words for a missing socket, nobody listening, and no permission on the socket.
set -u
: "${NPUCTL:?NPUCTL must point at the npuctl binary}"
# shellcheck source=users.sh
. "$(dirname "$0")/users.sh"
try_other_users "$@" # as root of a user namespace when not root, where it can
other_users=$?
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=npud_lib.sh
. "$(dirname "$0")/npud_lib.sh"

sock=$tmp/npud.sock
chmod 755 "$tmp" # other users reach the socket through $tmp
start_npud "$sock" "$tmp/log" --gen 40xx --socket-mode 0666 --allow-uid 12345 || {
	finish
	exit
}
ctl() { "$NPUCTL" --socket "$sock" "$@"; }

# exec: the bytes, and the JSON keys of the in-process report.
ctl exec fill --size 3M --pattern 0x5C --out "$tmp/fill" >"$tmp/out" 2>"$tmp/err"
expect_rc "exec fill" 0 $?
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); sys.exit(0 if d == b'\x5c' * (3 << 20) else 1)" "$tmp/fill" &&
	ok || bad "exec fill: output is not 3 MiB of 0x5C"
head -c $((2 * 1024 * 1024 + 77)) /dev/urandom >"$tmp/in"
ctl --json exec copy --in "$tmp/in" --out "$tmp/copy" >"$tmp/out" 2>"$tmp/err"
expect_rc "exec copy" 0 $?
cmp -s "$tmp/in" "$tmp/copy" && ok || bad "exec copy: bytes differ"
json_check "exec copy json" "$tmp/out" \
	"sorted(d) == sorted(['command','device','generation','job_id','status','status_name','job_us','bytes','output']) and d['generation'] == '40xx' and d['device'] == 'sim' and d['status'] == 0 and d['bytes'] == 2*1024*1024+77"
ctl exec timestamp --json >"$tmp/out" 2>"$tmp/err"
expect_rc "exec timestamp" 0 $?
json_check "exec timestamp json" "$tmp/out" "d['timestamp'] > 0"
ctl exec fill --size 1M --pattern 1 --trace-mmio "$tmp/trace" >"$tmp/out" 2>"$tmp/err"
expect_rc "exec --trace-mmio with --socket" 2 $?
grep -q "^npuctl: exec: --trace-mmio needs the device's registers" "$tmp/err" && ok || bad "trace message: $(cat "$tmp/err")"

# status: npud's counters, this client among the clients.
ctl status --json >"$tmp/out" 2>"$tmp/err"
expect_rc "status --json" 0 $?
[[ $(wc -l <"$tmp/out") -eq 1 ]] && ok || bad "status --json: not one line"
json_check "status json" "$tmp/out" \
	"d['generation'] == '40xx' and d['state'] == 'ready' and d['jobs_completed'] >= 3 and d['busy_time_us'] > 0 and any(c.get('name') == 'npuctl' for c in d['clients']) and all(k in d for k in ('pci_id','firmware_version','utilization','frequency_mhz','power_state','memory_used_bytes','memory_total_bytes','jobs_failed','recoveries','mmu_faults','timeouts'))"
# Priorities: npuctl runs as npud's user, who may ask for realtime; the report shows it.
ctl --priority realtime status --json >"$tmp/out" 2>"$tmp/err"
expect_rc "status --priority realtime" 0 $?
json_check "status priority" "$tmp/out" \
	"d['scheduling'] == 'hws' and any(c.get('name') == 'npuctl' and c.get('priority') == 'realtime' for c in d['clients'])"
ctl --priority idle exec fill --size 64K --pattern 0x3C --out "$tmp/fill_idle" >"$tmp/out" 2>"$tmp/err"
expect_rc "exec --priority idle" 0 $?
ctl --sched os status >"$tmp/out" 2>"$tmp/err"
expect_rc "status --sched with --socket" 2 $?
grep -q "npud --sched" "$tmp/err" && ok || bad "--sched with --socket message: $(cat "$tmp/err")"
ctl status >"$tmp/out" 2>"$tmp/err"
expect_rc "status text" 0 $?
for want in "^device  *sim \(8086:643e, 40xx\)" "^state  *ready" "^frequency  *[0-9]+ MHz$" \
	"^jobs  *[0-9]+ completed" "^clients  *1$" " npuctl$"; do
	grep -Eq "$want" "$tmp/out" && ok || bad "status text: no line matching '$want': $(cat "$tmp/out")"
done
# --watch: reports keep coming (four are waited for, not a time), each at least
# the interval after the one before it by npud's own clock (uptime_us).
"$NPUCTL" --socket "$sock" status --json --watch 100 >"$tmp/watch" 2>"$tmp/err" &
watch=$!
for _ in $(seq 600); do
	(($(wc -l <"$tmp/watch") >= 4)) && break
	kill -0 $watch 2>/dev/null || break
	sleep 0.05
done
kill -INT $watch
for _ in $(seq 50); do
	kill -0 $watch 2>/dev/null || break
	sleep 0.1
done
kill -0 $watch 2>/dev/null && bad "status --watch: still running 5 s after SIGINT" && kill -KILL $watch
wait $watch
expect_rc "status --watch, SIGINT" 0 $?
lines=$(wc -l <"$tmp/watch")
((lines >= 4)) && ok || bad "status --watch: $lines report(s), 4 expected before SIGINT"
python3 - "$tmp/watch" <<'PY' && ok || bad "status --watch: $(cat "$tmp/watch")"
import json, sys
up = [json.loads(line)["uptime_us"] for line in open(sys.argv[1])]
gaps = [b - a for a, b in zip(up, up[1:])]
if not gaps or min(gaps) < 100000:
    sys.exit(f"reports not 100 ms apart by npud's clock: uptime_us {up}")
PY

# probe: the daemon's device.
ctl probe >"$tmp/out" 2>"$tmp/err"
expect_rc "probe" 0 $?
for want in "npud at $sock" "Device:      sim (simulated NPU)" "8086:643e" "Lunar Lake" \
	"Generation:  40xx" "State:       ready"; do
	grep -qF "$want" "$tmp/out" && ok || bad "probe: no '$want': $(cat "$tmp/out")"
done
ctl probe --json >"$tmp/out" 2>"$tmp/err"
json_check "probe json" "$tmp/out" "d['socket'] == '$sock' and d['device']['generation'] == '40xx' and d['device']['simulated'] and d['limits']['max_buffers'] > 0"

# reset: root may; afterwards jobs still run.
ctl reset --json >"$tmp/out" 2>"$tmp/err"
expect_rc "reset as root" 0 $?
json_check "reset json" "$tmp/out" "d['via'] == 'npud' and d['state'] == 'ready' and d['recoveries'] == 1 and d['boot_count'] == 2"
ctl exec fill --size 64K --pattern 0x33 >"$tmp/out" 2>"$tmp/err"
expect_rc "exec after reset" 0 $?

# selftest through npud: the battery a client can run.
ctl selftest --json >"$tmp/out" 2>"$tmp/err"
expect_rc "selftest --socket" 0 $?
json_check "selftest --socket json" "$tmp/out" \
	"[t['name'] for t in d['tests']] == ['commands','fences','unmapped_fault','unknown_command','two_clients','full_queue'] and d['failed'] == 0 and all(t['passed'] for t in d['tests']) and d['via'] == 'npud'"

# Commands that read registers: refused, saying why.
for c in boot diag fw-log; do
	ctl $c >"$tmp/out" 2>"$tmp/err"
	expect_rc "$c --socket" 2 $?
	grep -q "^npuctl: $c needs direct access to the device's registers, and npud holds the device" "$tmp/err" &&
		ok || bad "$c --socket: $(cat "$tmp/err")"
done

# No npud: a missing socket, and a socket nobody listens on.
"$NPUCTL" --socket "$tmp/none.sock" probe >"$tmp/out" 2>"$tmp/err"
expect_rc "probe, no socket" 1 $?
grep -qx "npuctl: no npud at $tmp/none.sock: the socket does not exist (is npud running?)" "$tmp/err" &&
	ok || bad "no socket message: $(cat "$tmp/err")"
"$NPUCTL" --socket "$tmp/none.sock" exec timestamp >"$tmp/out" 2>"$tmp/err"
expect_rc "exec, no socket" 1 $?
python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1])" "$tmp/dead.sock"
"$NPUCTL" --socket "$tmp/dead.sock" status >"$tmp/out" 2>"$tmp/err"
expect_rc "status, nobody listening" 1 $?
grep -q "^npuctl: no npud listening at $tmp/dead.sock" "$tmp/err" && ok || bad "refused message: $(cat "$tmp/err")"

# Other users (setpriv: root, or root of a user namespace, users.sh).
if ((other_users == 0)); then
	as() { setpriv --reuid="$1" --regid="$1" --clear-groups "${@:2}"; }
	as 12345 "$NPUCTL" --socket "$sock" exec fill --size 4K --pattern 7 >"$tmp/out" 2>"$tmp/err"
	expect_rc "exec as an allowed uid" 0 $?
	as 12345 "$NPUCTL" --socket "$sock" reset >"$tmp/out" 2>"$tmp/err"
	expect_rc "reset as an allowed uid" 1 $?
	grep -q "^npuctl: reset: not permitted: reset is for root and npud's own user" "$tmp/err" &&
		ok || bad "reset refusal: $(cat "$tmp/err")"
	as 65534 "$NPUCTL" --socket "$sock" probe >"$tmp/out" 2>"$tmp/err"
	expect_rc "probe as a uid npud does not allow" 1 $?
	grep -q "uid 65534 (gid 65534) is not allowed" "$tmp/err" && ok || bad "not allowed: $(cat "$tmp/err")"
	chmod 0660 "$sock"
	as 65534 "$NPUCTL" --socket "$sock" probe >"$tmp/out" 2>"$tmp/err"
	expect_rc "probe without permission on the socket" 1 $?
	grep -qx "npuctl: no permission on $sock: add your user to group npu (and log in again)" "$tmp/err" &&
		ok || bad "permission message: $(cat "$tmp/err")"
	chmod 0666 "$sock"
elif [[ -n ${CI:-} ]]; then
	bad "other users: $other_users_why"
else
	echo "note: other users not tested: $other_users_why"
fi

alive "at the end"
stop_npud "stop"
finish
