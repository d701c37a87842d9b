#!/usr/bin/env bash
# The demo: npuctl against what this machine has. It grows with the driver.
# Usage: scripts/demo.sh [BUILD_DIR]
set -uo pipefail
build=${1:-build}
npuctl=$build/npuctl
fwdir=${NPU_FIRMWARE_PATH:-/lib/firmware/intel/vpu}
status=0

step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; local rc=$?; echo "(exit $rc)"; return $rc; }

step "Version" "$npuctl" --version || status=1
step "NPUs on this machine" "$npuctl" probe || status=1

for gen in 37xx 40xx; do
	fw=$fwdir/vpu_${gen}_v1.bin
	if [[ -r $fw ]]; then
		step "Intel's $gen firmware image" "$npuctl" fw-info "$fw" || status=1
	else
		echo
		echo "== $gen firmware: $fw is not installed (Debian package firmware-intel-misc;"
		echo "   'make deps' as root installs it)."
	fi
done

fw=$fwdir/vpu_37xx_v1.bin
if [[ -r $fw ]]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	head -c -1 "$fw" >"$tmp/vpu_37xx_truncated.bin"
	printf '\n== A damaged image is refused, with the rule it breaks\n'
	printf '$ %s fw-info %s\n' "$npuctl" "$tmp/vpu_37xx_truncated.bin"
	"$npuctl" fw-info "$tmp/vpu_37xx_truncated.bin"
	rc=$?
	echo "(exit $rc)"
	[[ $rc -eq 1 ]] || status=1
	step "The same header as JSON" "$npuctl" fw-info "$fw" --json || status=1
fi

for gen in 37xx 40xx; do
	step "Boot the simulated $gen NPU to READY" "$npuctl" boot --device sim --gen "$gen" || status=1
done

tmp2=$(mktemp -d)
step "The register sequence, traced" "$npuctl" boot --device sim --trace-mmio "$tmp2/boot.trace" --json || status=1
echo "$(wc -l <"$tmp2/boot.trace") register accesses; the first ten:"
head -10 "$tmp2/boot.trace"
rm -rf "$tmp2"

step "Diagnostics after boot" "$npuctl" diag --device sim --gen 40xx || status=1

tmp3=$(mktemp -d)
for gen in 37xx 40xx; do
	step "A job on the $gen NPU: fill 4 MiB with 0xA5" "$npuctl" exec fill --size 4M --pattern 0xA5 \
		--out "$tmp3/fill.bin" --device sim --gen "$gen" || status=1
	if [[ -s $tmp3/fill.bin ]] && cmp -s "$tmp3/fill.bin" <(head -c 4194304 /dev/zero | tr '\0' '\245'); then
		echo "the 4 MiB read back from the output buffer are all 0xA5"
	else
		echo "the output is not 4 MiB of 0xA5"
		status=1
	fi
	head -c 3000000 /dev/urandom >"$tmp3/in.bin"
	step "A copy job on the $gen NPU: 3,000,000 random bytes" "$npuctl" exec copy --in "$tmp3/in.bin" \
		--out "$tmp3/out.bin" --device sim --gen "$gen" || status=1
	if cmp -s "$tmp3/in.bin" "$tmp3/out.bin"; then
		echo "the copy read back equals the input"
	else
		echo "the copy differs from the input"
		status=1
	fi
	step "The job self-test on $gen" "$npuctl" selftest --device sim --gen "$gen" || status=1
done
rm -rf "$tmp3"

printf '\n== A firmware that stops completing jobs (NPU_SIM_FAULT=hang-job)\n'
printf '$ NPU_SIM_FAULT=hang-job %s exec fill --size 64K --pattern 0x11 --device sim\n' "$npuctl"
NPU_SIM_FAULT=hang-job "$npuctl" exec fill --size 64K --pattern 0x11 --device sim
rc=$?
echo "(exit $rc)"
[[ $rc -eq 1 ]] || status=1

printf '\n== A firmware that never reports READY (NPU_SIM_FAULT=no-ready)\n'
printf '$ NPU_SIM_FAULT=no-ready %s boot --device sim\n' "$npuctl"
NPU_SIM_FAULT=no-ready "$npuctl" boot --device sim
rc=$?
echo "(exit $rc)"
[[ $rc -eq 1 ]] || status=1

echo
if ((status == 0)); then
	echo "demo: every step did what it should."
else
	echo "demo: some steps failed (see above)."
fi
exit $status
