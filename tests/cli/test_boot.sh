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


mkdir "$tmp/empty"
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

# diag's dma_regions: every driver allocation, with its caching and snoop attribute (docs/dma.md);
# the 37xx image declares a SHAVE-NN buffer (write-combined, as Linux ivpu_fw_mem_init).
for g in 37xx 40xx; do
	NPU_FIRMWARE_PATH=$tmp/empty "$NPUCTL" diag --device sim --gen $g --json >"$tmp/out" 2>/dev/null
	expect_rc "diag $g" 0 $?
	json_check "diag $g dma_regions" "$tmp/out" \
		"all(set(r) == {'name', 'size', 'device_address', 'caching', 'snooped'} and r['caching'] in ('wb', 'wc', 'uc') and r['size'] % 4096 == 0 for r in d['dma_regions']) and {(r['name'], r['caching'], r['snooped']) for r in d['dma_regions']} == {('mmu stream table', 'wb', False), ('mmu context descriptors', 'wb', False), ('mmu command queue', 'wb', False), ('mmu event queue', 'wb', True), ('page table', 'wc', False), ('firmware runtime', 'wc', False), ('ipc tx', 'wc', False), ('ipc rx', 'wc', False), ('log critical', 'wb', True), ('log verbose', 'wb', True)} | ({('shave nn', 'wc', False)} if '$g' == '37xx' else set())"
	NPU_FIRMWARE_PATH=$tmp/empty "$NPUCTL" diag --device sim --gen $g >"$tmp/out" 2>/dev/null
	grep -Eq '^  firmware runtime +[0-9]+  0x[0-9a-f]{16}  wc +no$' "$tmp/out" && ok ||
		bad "diag $g text: no dma table row for the firmware runtime: $(cat "$tmp/out")"
done

# No image anywhere: the simulated NPU boots the built-in synthetic image and says so.
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

# --dump-boot-params: the 4 KiB page the firmware got, fields at Intel's offsets
# (vpu_boot_api.h, docs/boot-params.md), with Intel's images where installed.
for g in 37xx 40xx; do
	"$NPUCTL" boot --device sim --gen $g --json --dump-boot-params "$tmp/bp_$g" >"$tmp/out" 2>"$tmp/err"
	expect_rc "dump-boot-params $g" 0 $?
	json_check "dump-boot-params $g json" "$tmp/out" "d['boot_params_file'] == '$tmp/bp_$g'"
	python3 - "$tmp/bp_$g" $g <<'PY' && ok || bad "dump-boot-params $g: wrong page"
import struct, sys, time
b = open(sys.argv[1], 'rb').read()
g = sys.argv[2]
u32 = lambda o: struct.unpack_from('<I', b, o)[0]
u64 = lambda o: struct.unpack_from('<Q', b, o)[0]
shave = 0x180000000 if g == '37xx' else 0x80000000
ok = (len(b) == 4096 and u32(0x000) == 0x10000 and u32(0x054) == 38400000
      and u64(0x100) != 0 and u32(0x108) == 0x2000 and u64(0x118) == u64(0x100) + 0x2000
      and u32(0x130) == 1
      and b[0x134] == 0 and b[0x135] == 0 and b[0x136] == 1 and b[0x137] == shave >> 31
      and u64(0x138) == 0 and u32(0x140) == 0
      and (u64(0x144) == shave if g == '37xx' else u64(0x144) == 0)
      and u64(0x14C) == 0 and u32(0x200) == 32 and u32(0x204) == 33
      and u64(0x308) in ((0x7D1D, 0xAD1D) if g == '37xx' else (0x643E, 0xB03E))
      and (u64(0x318) == 0x3630 if g == '37xx' else u64(0x318) == 0)
      and u32(0x32C) == 0 and u32(0x364) == 2 and u64(0x368) == 2**64 - 1 and u64(0x370) == 1
      and u32(0x39C) == 1 and abs(u64(0x3B0) - time.time() * 1e6) < 600e6
      and u64(0x3C0) == 0 and not any(b[0x488:]))
if not ok:
    print('page:', b[0x100:0x150].hex(), hex(u64(0x308)), u64(0x3B0))
sys.exit(0 if ok else 1)
PY
done
"$NPUCTL" boot --device sim --dump-boot-params /nonexistent/dir/bp >/dev/null 2>"$tmp/err"
expect_rc "unwritable dump-boot-params" 1 $?
grep -q "/nonexistent/dir/bp" "$tmp/err" && ok || bad "unwritable dump not reported: $(cat "$tmp/err")"
NPU_FIRMWARE_PATH=$tmp/empty NPU_SIM_FAULT=pll-no-lock "$NPUCTL" boot --device sim --dump-boot-params "$tmp/bp_none" >/dev/null 2>"$tmp/err"
expect_rc "dump-boot-params before the CPU start" 1 $?
[[ ! -e $tmp/bp_none ]] && grep -q "before the firmware was started" "$tmp/err" && ok || bad "no-page dump: $(cat "$tmp/err")"

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
