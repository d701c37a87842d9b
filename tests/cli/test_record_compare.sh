#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The model's recording (NPU_SIM_RECORD, docs/virtual-npu.md) and
# scripts/record-compare.py: npud's driver recorded twice on the same device
# differs only by nature (clocks); a boot-parameter byte changed in one record
# is reported as a difference, with exit status 1.
set -uo pipefail
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/lib.sh"

npuctl=${NPUCTL:?NPUCTL must name the npuctl binary}
# OS scheduling: the checks below edit REGISTER_DB and count SSID_RELEASE.
export NPU_SCHED=os
compare="$(dirname "$0")/../../scripts/record-compare.py"
mkdir -p "$tmp/fw" # an empty firmware folder: driver and model use the synthetic image

# a and b under OS scheduling (the messages the cases below edit: REGISTER_DB, SSID_RELEASE);
# h1 and h2 under hardware scheduling, whose queue ids and process ids each run chooses.
for run in a b h1 h2; do
	sched=os
	[[ $run == h* ]] && sched=hws
	NPU_SCHED=$sched NPU_FIRMWARE_PATH=$tmp/fw NPU_SIM_RECORD=$tmp/$run "$npuctl" --device sim \
		exec fill --size 4096 --pattern 0xA5 >"$tmp/out" 2>"$tmp/err"
	expect_rc "record $run" 0 $?
	for f in boot-params-1.hex jsm.log regs.log counts.json; do
		if [[ -s $tmp/$run/$f ]]; then ok; else bad "record $run: no $f"; fi
	done
done
json_check "counts" "$tmp/a/counts.json" 'd["boots"] == 1 and d["jobs"] == 1 and d["phases"]["boot"]["reads"] > 0'

python3 "$compare" "$tmp/h1" "$tmp/h2" >"$tmp/hws.txt" 2>"$tmp/err"
expect_rc "same driver twice under hardware scheduling" 0 $?
grep -q "host 0 CREATE_CMD_QUEUE x1" "$tmp/hws.txt" && ok || bad "no CREATE_CMD_QUEUE under hardware scheduling: $(cat "$tmp/hws.txt")"

python3 "$compare" --json "$tmp/a" "$tmp/b" >"$tmp/same.json" 2>"$tmp/err"
expect_rc "same driver twice" 0 $?
json_check "only clocks differ" "$tmp/same.json" \
	'all(f["kind"] == "clock" for f in d["boot_params"]) and d["jsm"]["a"] == d["jsm"]["b"]'

# A recovery's STATE_DUMP reaches the firmware before the power-down (Linux
# sleeps after sending it, ivpu_jsm_state_dump): selftest's hang_recovery.
NPU_FIRMWARE_PATH=$tmp/fw NPU_SIM_RECORD=$tmp/rec "$npuctl" --device sim selftest >"$tmp/out" 2>"$tmp/err"
expect_rc "selftest recorded" 0 $?
if grep -q '^[0-9]* host 0 0x11ff ' "$tmp/rec/jsm.log"; then ok; else bad "no STATE_DUMP read by the firmware: $(grep -c . "$tmp/rec/jsm.log") messages"; fi

# A third record of the same driver counts with the second.
python3 "$compare" --gen 37xx --json "$tmp/a" "$tmp/b" "$tmp/a" >"$tmp/three.json" 2>"$tmp/err"
expect_rc "two records of one side" 0 $?
json_check "messages of both" "$tmp/three.json" \
	'all(v == 2 * d["jsm"]["a"][k] for k, v in d["jsm"]["b"].items()) and d["unexplained"] == 0'
json_check "a job's path" "$tmp/three.json" \
	'all(r["job_path"]["reads"] > 0 for r in d["registers"].values())'
# npud's driver in-process: an interrupt that brings one JOB_DONE reads the buttress
# status, ICB_STATUS_0, FIFO_STAT, FIFO_ATM and FIFO_STAT again; a wait polls no register.
json_check "one message's interrupt" "$tmp/three.json" \
	'all(r["one_message_interrupt"]["count"] > 0 and r["one_message_interrupt"]["median_reads"] == 5 for r in d["registers"].values())'

# A JSM message type only one side sent, and not in the list of explained ones.
cp -r "$tmp/b" "$tmp/c"
first=$(grep -v '^#' "$tmp/c/jsm.log" | head -1)
echo "99999 host 0 0x1119 99 0x0 ${first##* }" >>"$tmp/c/jsm.log"
python3 "$compare" "$tmp/a" "$tmp/c" >"$tmp/diff.txt" 2>"$tmp/err"
expect_rc "a message only one side sent" 1 $?
if grep -q "HWS_SUSPEND_CMDQ .*only B: UNEXPLAINED" "$tmp/diff.txt"; then ok; else bad "not reported: $(cat "$tmp/diff.txt")"; fi

# The same type with another payload: the first REGISTER_DB's jobq_size (bytes 48..51).
rm -rf "$tmp/c" && cp -r "$tmp/b" "$tmp/c"
python3 - "$tmp/c/jsm.log" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines(True)
for i, line in enumerate(lines):
    f = line.split()
    if f and f[0] != "#" and f[3] == "0x1102":
        data = bytearray.fromhex(f[6])
        data[48] ^= 0xFF
        f[6] = data.hex()
        lines[i] = " ".join(f) + "\n"
        break
open(sys.argv[1], "w").write("".join(lines))
PY
python3 "$compare" "$tmp/a" "$tmp/c" >"$tmp/diff.txt" 2>"$tmp/err"
expect_rc "a payload field changed" 1 $?
if grep -q "REGISTER_DB .*bytes 48..48 differ.*UNEXPLAINED" "$tmp/diff.txt"; then ok; else bad "not reported: $(cat "$tmp/diff.txt")"; fi

# Contexts that end with SSID_RELEASE on one side only (npud's, B; A's record
# made to close three contexts, one with it) are explained; on the other side
# (A) they are not.
rm -rf "$tmp/c" && cp -r "$tmp/b" "$tmp/c"
unreg=$(grep -m1 '^[0-9]* host [0-9]* 0x1103 ' "$tmp/c/jsm.log")
printf '%s\n%s\n' "$unreg" "$unreg" >>"$tmp/c/jsm.log" # 1 SSID_RELEASE in 3 closes
python3 "$compare" "$tmp/c" "$tmp/b" >"$tmp/diff.txt" 2>"$tmp/err"
expect_rc "npud releases SSIDs at close" 0 $?
if grep -q "b releases SSIDs at context close: npud sends" "$tmp/diff.txt"; then ok; else bad "not reported: $(cat "$tmp/diff.txt")"; fi
python3 "$compare" "$tmp/b" "$tmp/c" >"$tmp/diff.txt" 2>"$tmp/err"
expect_rc "the other side releases SSIDs at close" 1 $?
if grep -q "a releases SSIDs at context close: UNEXPLAINED" "$tmp/diff.txt"; then ok; else bad "not reported: $(cat "$tmp/diff.txt")"; fi

# autoconfig (0x130) changed in b's page: a difference not explained.
sed -i 's/^0130: ../0130: 5a/' "$tmp/b/boot-params-1.hex"
python3 "$compare" "$tmp/a" "$tmp/b" >"$tmp/diff.txt" 2>"$tmp/err"
expect_rc "a changed field" 1 $?
if grep -q "autoconfig .* UNEXPLAINED" "$tmp/diff.txt"; then ok; else bad "not reported: $(cat "$tmp/diff.txt")"; fi

python3 "$compare" "$tmp/a" >"$tmp/out" 2>"$tmp/err"
expect_rc "one record only" 2 $?
python3 "$compare" "$tmp/a" "$tmp/none" >"$tmp/out" 2>"$tmp/err"
expect_rc "a missing record" 2 $?

finish
