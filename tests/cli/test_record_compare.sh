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
compare="$(dirname "$0")/../../scripts/record-compare.py"
mkdir -p "$tmp/fw" # an empty firmware folder: driver and model use the synthetic image

for run in a b; do
	NPU_FIRMWARE_PATH=$tmp/fw NPU_SIM_RECORD=$tmp/$run "$npuctl" --device sim \
		exec fill --size 4096 --pattern 0xA5 >"$tmp/out" 2>"$tmp/err"
	expect_rc "record $run" 0 $?
	for f in boot-params-1.hex jsm.log regs.log counts.json; do
		if [[ -s $tmp/$run/$f ]]; then ok; else bad "record $run: no $f"; fi
	done
done
json_check "counts" "$tmp/a/counts.json" 'd["boots"] == 1 and d["jobs"] == 1 and d["phases"]["boot"]["reads"] > 0'

python3 "$compare" --json "$tmp/a" "$tmp/b" >"$tmp/same.json" 2>"$tmp/err"
expect_rc "same driver twice" 0 $?
json_check "only clocks differ" "$tmp/same.json" \
	'all(f["kind"] == "clock" for f in d["boot_params"]) and d["jsm"]["a"] == d["jsm"]["b"]'

# perf_clk_frequency (0x054) changed in b's page: a difference not by nature.
sed -i 's/^0050: \(.. .. .. ..\) ../0050: \1 5a/' "$tmp/b/boot-params-1.hex"
python3 "$compare" "$tmp/a" "$tmp/b" >"$tmp/diff.txt" 2>"$tmp/err"
expect_rc "a changed field" 1 $?
if grep -q "perf_clk_frequency .* different" "$tmp/diff.txt"; then ok; else bad "not reported: $(cat "$tmp/diff.txt")"; fi

python3 "$compare" "$tmp/a" >"$tmp/out" 2>"$tmp/err"
expect_rc "one record only" 2 $?
python3 "$compare" "$tmp/a" "$tmp/none" >"$tmp/out" 2>"$tmp/err"
expect_rc "a missing record" 2 $?

finish
