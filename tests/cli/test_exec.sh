#!/usr/bin/env bash
# npuctl exec and selftest against the simulated NPU, both generations: the
# bytes the device wrote, the IPC send and doorbell in the MMIO trace, the hang
# fault, and the selftest battery.
set -u
: "${NPUCTL:?NPUCTL must point at the npuctl binary}"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# The synthetic image keeps this test independent of the firmware package.
export NPU_FIRMWARE_PATH=$tmp/nofw
mkdir "$NPU_FIRMWARE_PATH"
python3 -c "import os; open('$tmp/in.bin','wb').write(os.urandom(5*1024*1024+123))"

for g in 37xx 40xx; do
	# fill: 3 MiB of 0xA5, checked byte for byte.
	"$NPUCTL" exec fill --size 3M --pattern 0xA5 --out "$tmp/fill_$g" --device sim --gen $g \
		--trace-mmio "$tmp/trace_fill_$g" >"$tmp/out" 2>"$tmp/err"
	expect_rc "fill $g" 0 $?
	if python3 -c "import sys; d=open('$tmp/fill_$g','rb').read(); sys.exit(0 if len(d)==3*1024*1024 and d==b'\xa5'*len(d) else 1)"; then
		ok
	else
		bad "fill $g: output is not 3 MiB of 0xA5"
	fi
	# copy: 5 MiB + 123 bytes of random data comes back identical.
	"$NPUCTL" exec copy --in "$tmp/in.bin" --out "$tmp/copy_$g" --device sim --gen $g --json >"$tmp/out" 2>"$tmp/err"
	expect_rc "copy $g" 0 $?
	cmp -s "$tmp/in.bin" "$tmp/copy_$g" && ok || bad "copy $g: output differs from input"
	python3 -c "import json; d=json.load(open('$tmp/out')); assert d['status']==0 and d['bytes']==5*1024*1024+123 and d['generation']=='$g'" && ok || bad "copy $g json: $(cat "$tmp/out")"
	# timestamp: a non-zero counter value.
	"$NPUCTL" --json exec timestamp --device sim --gen $g >"$tmp/out" 2>"$tmp/err"
	expect_rc "timestamp $g" 0 $?
	python3 -c "import json; d=json.load(open('$tmp/out')); assert d['timestamp']>0" && ok || bad "timestamp $g: $(cat "$tmp/out")"

	# The trace: REGISTER_DB goes out through the TX FIFO register (§1.4), then the doorbell (§3.4).
	if [[ $g == 37xx ]]; then fifo=0x60200f0 db=0x6301000; else fifo=0x10200f0 db=0x1301000; fi
	printf 'W 32 0 %s *\nW 32 0 %s 0x1\nR 32 0 0x200fc *\n' "$fifo" "$db" >"$tmp/expect"
	if python3 "$(dirname "$0")/trace_order.py" "$tmp/trace_fill_$g" "$tmp/expect" >"$tmp/order" 2>&1; then
		ok
	else
		bad "fill $g trace: $(cat "$tmp/order")"
	fi

	# selftest battery, in both scheduling modes (hardware scheduling is the default
	# with this firmware, JSM API 3.29, as Linux chooses; it adds the priorities test).
	for sched in default hws os; do
		args=()
		[[ $sched != default ]] && args=(--sched $sched)
		"$NPUCTL" selftest --device sim --gen $g "${args[@]}" --json >"$tmp/out" 2>"$tmp/err"
		expect_rc "selftest $g $sched" 0 $?
		python3 -c "
import json, sys
d = json.load(open('$tmp/out'))
names = [t['name'] for t in d['tests']]
want = ['commands', 'fences', 'unmapped_fault', 'read_only_fault', 'unknown_command', 'two_contexts', 'full_queue']
mode = 'os' if '$sched' == 'os' else 'hws'
want += ['priorities', 'hang_recovery'] if mode == 'hws' else ['hang_recovery']
bad = [t for t in d['tests'] if not t['passed']]
# The no-op job's command follows the firmware's job-command API: NOP from 4.10 on.
major, minor = (int(x) for x in d['job_cmd_api'].split('.'))
noop = 'NOP' if (major, minor) >= (4, 10) else 'BARRIER'
ok_noop = d['noop_command'] == noop and d['tests'][0]['detail'].startswith(noop + ' (no-op)')
sys.exit(0 if names == want and not bad and d['failed'] == 0 and ok_noop and d['scheduling'] == mode else 1)" && ok || bad "selftest $g $sched: $(cat "$tmp/out")"
	done
done

# The text report opens with the scheduling mode and the command no-op jobs carried.
"$NPUCTL" selftest --device sim --sched os >"$tmp/out" 2>"$tmp/err"
expect_rc "selftest text" 0 $?
[[ $(sed -n 1p "$tmp/out") == "scheduling: os" && $(sed -n 2p "$tmp/out") == "no-op jobs carry "* ]] && ok ||
	bad "selftest text report: $(head -3 "$tmp/out")"

# A firmware that stops completing jobs: exit 1 within the hang timeout plus recovery.
start=$(date +%s%N)
NPU_SIM_FAULT=hang-job NPU_TDR_TIMEOUT_MS=300 "$NPUCTL" exec fill --size 4096 --pattern 0x11 --device sim >"$tmp/out" 2>"$tmp/err"
rc=$?
end=$(date +%s%N)
expect_rc "hang-job" 1 $rc
grep -q "hung and the device was recovered" "$tmp/err" && ok || bad "hang-job message: $(cat "$tmp/err")"
(((end - start) / 1000000 < 15000)) && ok || bad "hang-job took $(((end - start) / 1000000)) ms"

# The firmware posting garbage next to its real replies: the job still completes.
NPU_SIM_FAULT=ipc-garbage "$NPUCTL" exec fill --size 64K --pattern 0x22 --out "$tmp/g" --device sim >"$tmp/out" 2>"$tmp/err"
expect_rc "ipc-garbage" 0 $?

# Usage errors.
"$NPUCTL" selftest --device sim --sched fifo >/dev/null 2>"$tmp/err"
expect_rc "selftest --sched fifo" 2 $?
grep -q "fifo" "$tmp/err" && ok || bad "--sched fifo message: $(cat "$tmp/err")"
"$NPUCTL" exec fill --size 4096 --pattern 1 --device sim --priority urgent >/dev/null 2>"$tmp/err"
expect_rc "--priority urgent" 2 $?
"$NPUCTL" exec >/dev/null 2>&1
expect_rc "exec without op" 2 $?
"$NPUCTL" exec fill --size 0 --pattern 1 --device sim >/dev/null 2>&1
expect_rc "fill size 0" 2 $?
"$NPUCTL" exec fill --size 1M --pattern 0x100 --device sim >/dev/null 2>&1
expect_rc "fill bad pattern" 2 $?
"$NPUCTL" exec copy --in "$tmp/missing" --device sim >/dev/null 2>"$tmp/err"
expect_rc "copy missing input" 1 $?

finish
