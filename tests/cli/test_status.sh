#!/usr/bin/env bash
# npuctl status against the simulated NPU, both generations: every key of the
# JSON report with its type, the text report, --watch (one JSON object per line
# until SIGINT, then exit 0) and its usage errors.
set -u
: "${NPUCTL:?NPUCTL must point at the npuctl binary}"
tmp=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fails=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_rc() { [[ $2 -eq $3 ]] && ok || bad "$1: exit $3, expected $2 ($(head -c 400 "$tmp/err" 2>/dev/null))"; }

# The synthetic image keeps this test independent of the firmware package.
export NPU_FIRMWARE_PATH=$tmp/nofw
mkdir "$NPU_FIRMWARE_PATH"

# Types of every key of one report (a JSON object on one line).
cat >"$tmp/check.py" <<'EOF'
import json, sys

def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0

def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)

gen = sys.argv[1]
errors = []
for n, line in enumerate(open(sys.argv[2])):
    d = json.loads(line)
    want = {
        "generation": lambda v: v == gen,
        "pci_id": lambda v: v in ("8086:7d1d", "8086:643e"),
        "firmware_version": lambda v: isinstance(v, str) and v,
        "state": lambda v: v == "ready",
        "scheduling": lambda v: v in ("os", "hws"),
        "busy_time_us": is_int,
        "utilization": lambda v: is_num(v) and 0 <= v <= 1,
        "frequency_mhz": lambda v: is_int(v) and v > 0,
        "power_state": lambda v: v == "D0",
        "memory_used_bytes": lambda v: is_int(v) and v > 0,
        "memory_total_bytes": lambda v: is_int(v) and v >= d["memory_used_bytes"],
        "clients": lambda v: isinstance(v, list),
        "jobs_completed": is_int,
        "jobs_failed": is_int,
        "recoveries": is_int,
        "mmu_faults": is_int,
        "timeouts": is_int,
        "boot_count": lambda v: v == 1,
        "uptime_us": is_int,
    }
    for k, f in want.items():
        if k not in d:
            errors.append(f"line {n + 1}: no key {k}")
        elif not f(d[k]):
            errors.append(f"line {n + 1}: {k} = {d[k]!r}")
    # In-process the counters start at zero after the boot.
    for k in ("busy_time_us", "jobs_completed", "jobs_failed", "recoveries", "mmu_faults", "timeouts"):
        if d.get(k) != 0:
            errors.append(f"line {n + 1}: {k} = {d.get(k)!r}, expected 0 in a fresh process")
    if d.get("clients") != []:
        errors.append(f"line {n + 1}: clients = {d.get('clients')!r}")
print("\n".join(errors))
sys.exit(1 if errors else 0)
EOF

for g in 37xx 40xx; do
	"$NPUCTL" status --device sim --gen $g --json >"$tmp/out" 2>"$tmp/err"
	expect_rc "status $g" 0 $?
	[[ $(wc -l <"$tmp/out") -eq 1 ]] && ok || bad "status $g: not one line: $(cat "$tmp/out")"
	python3 "$tmp/check.py" $g "$tmp/out" >"$tmp/why" 2>&1 && ok || bad "status $g json: $(cat "$tmp/why")"

	# The text report: one aligned screen in human units.
	"$NPUCTL" status --device sim --gen $g >"$tmp/out" 2>"$tmp/err"
	expect_rc "status $g text" 0 $?
	for want in "^device  *sim" "^state  *ready" "^power  *D0$" "^frequency  *[0-9]+ MHz" \
		"^memory  *[0-9.]+ [KMG]iB of 256.0 MiB DMA" "^jobs  *0 completed, 0 failed" \
		"^errors  *0 recoveries, 0 MMU faults, 0 timeouts" "^clients  *0"; do
		grep -Eq "$want" "$tmp/out" && ok || bad "status $g text: no line matching '$want': $(cat "$tmp/out")"
	done
done

# --watch 100 --json: one object per line, 100 ms or more apart, exit 0 on
# SIGINT. The test waits for five lines rather than a fixed time, so a slow
# (sanitizer) build or a busy machine changes how long it takes, not its result.
"$NPUCTL" status --device sim --json --watch 100 >"$tmp/watch" 2>"$tmp/err" &
pid=$!
for _ in $(seq 600); do
	(($(wc -l <"$tmp/watch") >= 5)) && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
kill -INT $pid 2>/dev/null
for _ in $(seq 50); do
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
if kill -0 $pid 2>/dev/null; then
	bad "watch: still running 5 s after SIGINT"
	kill -KILL $pid
fi
wait $pid
expect_rc "watch SIGINT" 0 $?
pid=
lines=$(wc -l <"$tmp/watch")
((lines >= 5)) && ok || bad "watch: $lines lines at 100 ms, 5 wanted (within 60 s)"
python3 "$tmp/check.py" 37xx "$tmp/watch" >"$tmp/why" 2>&1 && ok || bad "watch json: $(cat "$tmp/why")"
python3 - "$tmp/watch" <<'EOF' && ok || bad "watch: uptimes not 100 ms or more apart: $(cat "$tmp/watch")"
import json, sys
up = [json.loads(l)["uptime_us"] for l in open(sys.argv[1])]
sys.exit(0 if len(up) >= 2 and all(b - a >= 90000 for a, b in zip(up, up[1:])) else 1)
EOF

# Usage errors: exit 2, one line, nothing started.
for arg in 5 99 0 -100 abc 100x ""; do
	"$NPUCTL" status --device sim --watch "$arg" >"$tmp/out" 2>"$tmp/err"
	expect_rc "--watch '$arg'" 2 $?
	grep -q "^npuctl: status: --watch" "$tmp/err" && ok || bad "--watch '$arg': message: $(cat "$tmp/err")"
	[[ ! -s $tmp/out ]] && ok || bad "--watch '$arg': output on stdout"
done
"$NPUCTL" status --device sim --watch >"$tmp/out" 2>"$tmp/err"
expect_rc "--watch without a value" 2 $?
"$NPUCTL" status --device sim extra >"$tmp/out" 2>"$tmp/err"
expect_rc "status extra" 2 $?
"$NPUCTL" status --help >"$tmp/out" 2>"$tmp/err"
expect_rc "status --help" 0 $?
grep -q -- "--watch MS" "$tmp/out" && ok || bad "help lacks --watch: $(cat "$tmp/out")"
"$NPUCTL" --help >"$tmp/out" 2>&1
grep -q "^  status " "$tmp/out" && ok || bad "npuctl --help does not list status"

# A device that does not boot: exit 1, and the report still says so.
NPU_SIM_FAULT=no-ready "$NPUCTL" status --device sim --json >"$tmp/out" 2>"$tmp/err"
expect_rc "status no-ready" 1 $?
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['state']=='failed' and d['utilization'] is None and d['uptime_us'] is None else 1)" "$tmp/out" \
	&& ok || bad "no-ready json: $(cat "$tmp/out")"
grep -q "^npuctl: boot failed at" "$tmp/err" && ok || bad "no-ready message: $(cat "$tmp/err")"

echo "status: $pass passed, $fails failed"
((fails == 0))
