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

echo
if ((status == 0)); then
	echo "demo: every step did what it should."
else
	echo "demo: some steps failed (see above)."
fi
exit $status
