#!/usr/bin/env bash
# The differential of `make vm-test` (docs/vm-test.md, docs/virtual-npu.md
# "Recording"): npud's driver runs the same generation on the simulated NPU
# in-process, with the firmware image the guest loaded, recording what it gave
# the model, and scripts/record-compare.py compares that with the record of
# Linux's ivpu (npu-vfio-user --record).
#
# Usage: scripts/vm/differential.sh GEN BUILD FIRMWARE IVPU_RECORD OUT [SCHED]
# SCHED (os, hws or auto, the default) is npud's --sched: the scheduling ivpu used.
#
# npud's driver makes two records under OUT:
#   rec-npud-GEN       npuctl selftest in-process: boot, jobs (commands, fences,
#                      faults, two contexts, a full queue), a hung job and the
#                      recovery;
#   rec-npud-idle-GEN  npud with --autosuspend-ms: boot, a job, the idle NPU
#                      suspended (PWR_D0I3_ENTER), a job that resumes it.
# The comparison goes to OUT/differential-GEN.txt (and .json). Exit status that
# of record-compare.py: 0 when every difference is one the script explains.
set -euo pipefail

gen=$1 build=$2 fw=$3 ivpu=$4 out=$5 sched=${6:-auto}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
sel=$out/rec-npud-$gen idle=$out/rec-npud-idle-$gen
log=$out/differential-npud-$gen.log
rm -rf "$sel" "$idle"
: >"$log"

# npud's driver runs in the scheduling mode ivpu chose: vpu_scheduling_mode of
# ivpu's first boot-parameter page (offset 0x470, docs/boot-params.md), 0 = OS, 1 = HW.
mode=$(python3 - "$ivpu/boot-params-1.hex" <<'PY'
import sys
data = bytearray()
for line in open(sys.argv[1]):
    data += bytes(int(x, 16) for x in line.split()[1:])
print("hws" if int.from_bytes(data[0x470:0x474], "little") == 1 else "os")
PY
) || {
	echo "no boot-parameter page in ivpu's record $ivpu"
	exit 2
}
# A mode the caller names (from the guest's log) must agree with the page.
if [[ $sched != auto && $sched != "$mode" ]]; then
	echo "the guest's log says scheduling $sched, ivpu's boot parameters say $mode"
	exit 2
fi
sched=$mode
echo "npud's driver runs under the scheduling mode ivpu chose: $mode" >>"$log"

# A hung job is caught after NPU_TDR_TIMEOUT_MS (2 s by default, as Linux).
NPU_SIM_RECORD=$sel "$build/npuctl" selftest --device sim --gen "$gen" --sched "$sched" --firmware "$fw" \
	>>"$log" 2>&1 || {
	echo "npuctl selftest failed: see $log"
	exit 2
}

sock=$out/npud-diff-$gen.sock
rm -f "$sock"
NPU_SIM_RECORD=$idle "$build/npud" --device sim --gen "$gen" --sched "$sched" --firmware "$fw" --socket "$sock" \
	--autosuspend-ms 200 --foreground -q >>"$log" 2>&1 &
npud_pid=$!
stop_npud() {
	kill "$npud_pid" 2>/dev/null || true
	wait "$npud_pid" 2>/dev/null || true
}
for _ in $(seq 100); do
	[[ -S $sock ]] && break
	kill -0 "$npud_pid" 2>/dev/null || break
	sleep 0.1
done
ok=1
if [[ -S $sock ]]; then
	# A job, an idle stretch past the autosuspend (D0i3 entry), a job that resumes.
	"$build/npuctl" --socket "$sock" exec fill --size 4096 --pattern 0xA5 >>"$log" 2>&1 || ok=0
	sleep 1
	"$build/npuctl" --socket "$sock" exec fill --size 4096 --pattern 0x5A >>"$log" 2>&1 || ok=0
	sleep 1
else
	ok=0
fi
stop_npud
if ((!ok)); then
	echo "npud's idle run failed: see $log"
	exit 2
fi

"$top/scripts/record-compare.py" --gen "$gen" --json-out "$out/differential-$gen.json" \
	"$ivpu" "$sel" "$idle" >"$out/differential-$gen.txt"
