#!/usr/bin/env bash
# npuctl boot / diag against the simulated NPU: READY with Intel's images on both
# generations, the register sequence of docs/hardware.md §3 in the MMIO trace, the
# synthetic image, and every fault of NPU_SIM_FAULT.
set -u
: "${NPUCTL:?NPUCTL must point at the npuctl binary}"
here=$(cd "$(dirname "$0")" && pwd)
data=${NPU_TEST_DATA_DIR:-$here/../data}
fwdir=${NPU_TEST_FIRMWARE_DIR:-/lib/firmware/intel/vpu}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"


have_fw=1
for g in 37xx 40xx; do
	[[ -r $fwdir/vpu_${g}_v1.bin ]] || have_fw=0
done
if ((!have_fw)); then
	if [[ ${NPU_REQUIRE_FIRMWARE:-0} == 1 ]]; then
		bad "Intel's firmware images missing from $fwdir (firmware-intel-misc) with NPU_REQUIRE_FIRMWARE=1"
	else
		echo "note: Intel's images not in $fwdir (firmware-intel-misc): real-image boots not run"
	fi
fi

if ((have_fw)); then
	for g in 37xx 40xx; do
		"$NPUCTL" boot --device sim --gen $g --json --trace-mmio "$tmp/trace_$g" >"$tmp/out" 2>"$tmp/err"
		expect_rc "boot $g" 0 $?
		json_check "boot $g state" "$tmp/out" "d['state'] == 'ready' and d['generation'] == '$g'"
		json_check "boot $g device" "$tmp/out" "d['device'] == 'sim' and d['simulated'] is True"
		json_check "boot $g phases" "$tmp/out" \
			"[p['name'] for p in d['phases']][-2:] == ['wait_ready', 'irq_enable'] and d['boot_us'] > 0"
		json_check "boot $g firmware" "$tmp/out" "d['firmware_file'] == '$fwdir/vpu_${g}_v1.bin'"
		if python3 "$here/trace_order.py" "$tmp/trace_$g" "$data/boot/order_$g.txt" >"$tmp/order" 2>&1; then
			ok
		else
			bad "trace order $g: $(cat "$tmp/order")"
		fi
	done
	"$NPUCTL" boot --device sim --gen 37xx --json >"$tmp/out" 2>/dev/null
	json_check "37xx version text" "$tmp/out" "d['firmware_version'].startswith('20250306*MTL_CLIENT_SILICON')"
	"$NPUCTL" boot --device sim --gen 40xx --json >"$tmp/out" 2>/dev/null
	json_check "40xx version text" "$tmp/out" "d['firmware_version'].startswith('Mar  6 2025*NPU40xx')"
	# Global options after the subcommand, and the plain-text report.
	"$NPUCTL" --json boot --gen 40xx --device sim >"$tmp/out" 2>/dev/null
	json_check "options before" "$tmp/out" "d['state'] == 'ready'"
	"$NPUCTL" boot --device sim >"$tmp/out" 2>&1
	expect_rc "text boot" 0 $?
	grep -q "READY received" "$tmp/out" && ok || bad "text report lacks 'READY received': $(cat "$tmp/out")"
	# The image the model checks is the file; a different file is refused by the model's firmware.
	"$NPUCTL" diag --device sim --gen 37xx --json >"$tmp/out" 2>"$tmp/err"
	expect_rc "diag" 0 $?
	json_check "diag keys" "$tmp/out" \
		"d['state'] == 'ready' and d['api_versions']['boot'] == '3.28' and d['api_versions']['jsm'] == '3.29' and d['boot_count'] == 1 and d['frequency_mhz'] > 0 and 'VPU_STATUS' in d['registers']"
fi

# No image anywhere: the simulated NPU boots the built-in synthetic image and says so.
mkdir "$tmp/empty"
for g in 37xx 40xx; do
	NPU_FIRMWARE_PATH=$tmp/empty "$NPUCTL" -v boot --device sim --gen $g --json >"$tmp/out" 2>"$tmp/err"
	expect_rc "synthetic $g" 0 $?
	json_check "synthetic $g" "$tmp/out" "d['state'] == 'ready' and d['firmware_file'] == '(synthetic)'"
	grep -q "synthetic image" "$tmp/err" && ok || bad "synthetic $g: not said on stderr: $(cat "$tmp/err")"
done

# Faults: each failing one is exit 1, one line naming the step, in bounded time.
fault_case() { # fault_case FAULT GEN STEP
	local start end rc lines
	start=$(date +%s%N)
	NPU_FIRMWARE_PATH=$tmp/empty NPU_SIM_FAULT=$1 "$NPUCTL" boot --device sim --gen "$2" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	end=$(date +%s%N)
	expect_rc "fault $1 $2" 1 $rc
	lines=$(grep -c '^npuctl: ' "$tmp/err")
	[[ $lines -eq 1 ]] && ok || bad "fault $1 $2: $lines 'npuctl:' lines: $(cat "$tmp/err")"
	grep -q "^npuctl: boot failed at $3: " "$tmp/err" && ok || bad "fault $1 $2: step '$3' not named: $(cat "$tmp/err")"
	(((end - start) / 1000000 < 10000)) && ok || bad "fault $1 $2 took $(((end - start) / 1000000)) ms"
}
for g in 37xx 40xx; do
	fault_case no-ready $g "wait for ready"
	fault_case bad-ready $g "wait for ready"
	fault_case pll-no-lock $g "workpoint request"
	fault_case dead-mmio $g "buttress"
done
NPU_FIRMWARE_PATH=$tmp/empty NPU_SIM_FAULT=bad-ready "$NPUCTL" boot --device sim >/dev/null 2>"$tmp/err"
grep -q "data_addr 0x0badb007" "$tmp/err" && ok || bad "bad-ready: wrong data_addr not reported: $(cat "$tmp/err")"

# late-ready comes within the 1 s boot timeout: the boot succeeds, and takes its time.
NPU_FIRMWARE_PATH=$tmp/empty NPU_SIM_FAULT=late-ready "$NPUCTL" boot --device sim --json >"$tmp/out" 2>/dev/null
expect_rc "late-ready" 0 $?
json_check "late-ready" "$tmp/out" "d['state'] == 'ready' and d['boot_us'] >= 500000"

# -v adds the register dump to a failure.
NPU_FIRMWARE_PATH=$tmp/empty NPU_SIM_FAULT=no-ready "$NPUCTL" -v boot --device sim >/dev/null 2>"$tmp/err"
grep -q "register dump" "$tmp/err" && grep -q "VPU_STATUS" "$tmp/err" && ok || bad "-v dump missing: $(cat "$tmp/err")"

# Usage errors.
NPU_SIM_FAULT=bogus "$NPUCTL" boot --device sim >/dev/null 2>"$tmp/err"
expect_rc "bad NPU_SIM_FAULT" 2 $?
"$NPUCTL" boot --gen 99xx --device sim >/dev/null 2>&1
expect_rc "bad --gen" 2 $?
"$NPUCTL" boot --device sim --trace-mmio /nonexistent/dir/trace >/dev/null 2>"$tmp/err"
expect_rc "unwritable trace" 1 $?
"$NPUCTL" boot --help >/dev/null
expect_rc "boot --help" 0 $?

finish
