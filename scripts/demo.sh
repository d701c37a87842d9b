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

# The service: npud owns the simulated Meteor Lake NPU (Intel's firmware when it is
# installed), and every client goes through libnpu and the daemon's socket.
npud=$build/npud
dtmp=$(mktemp -d)
sock=$dtmp/npud.sock
printf '\n== npud serves the simulated 37xx NPU on a socket\n$ %s --device sim --socket %s --foreground &\n' "$npud" "$sock"
"$npud" --device sim --socket "$sock" --foreground 2>"$dtmp/npud.log" &
npud_pid=$!
for _ in $(seq 100); do
	"$npuctl" --socket "$sock" probe >/dev/null 2>&1 && break
	sleep 0.1
done
if kill -0 "$npud_pid" 2>/dev/null; then
	step "The device, as npud reports it" "$npuctl" --socket "$sock" probe || status=1
	# The held-out digits: load_digits samples 1000 to 1796, never seen in training.
	tail -c +$((1000 * 64 + 1)) tests/data/digits/samples.u8 >"$dtmp/heldout.u8"
	tail -c +1001 tests/data/digits/labels.u8 >"$dtmp/heldout_labels.u8"
	printf '\n== Classify the 797 held-out handwritten digits through npud\n'
	printf '$ %s --socket %s infer --model models/digits.blob --input heldout.u8 --labels heldout_labels.u8 --json\n' \
		"$npuctl" "$sock"
	if "$npuctl" --socket "$sock" infer --model models/digits.blob --input "$dtmp/heldout.u8" \
		--labels "$dtmp/heldout_labels.u8" --json >"$dtmp/infer.json"; then
		python3 - "$dtmp/infer.json" <<'PY' || status=1
import json, sys
d = json.load(open(sys.argv[1]))
print("accuracy %.2f%% (%d of %d samples), %.1f us per sample" %
      (100 * d["accuracy"], d["correct"], d["samples"], d["us_per_sample"]))
sys.exit(0 if d["accuracy"] >= 0.93 else 1)
PY
	else
		echo "(inference failed)"
		status=1
	fi
	step "The device after that work" "$npuctl" --socket "$sock" status || status=1
	printf '\n== SIGTERM: npud finishes, powers the NPU down and exits 0\n'
	kill -TERM "$npud_pid"
	wait "$npud_pid"
	rc=$?
	echo "(npud exit $rc)"
	[[ $rc -eq 0 ]] || status=1
else
	echo "npud did not start:"
	cat "$dtmp/npud.log"
	status=1
fi
rm -rf "$dtmp"

echo
if ((status == 0)); then
	echo "demo: every step did what it should."
else
	echo "demo: some steps failed (see above)."
fi
exit $status
