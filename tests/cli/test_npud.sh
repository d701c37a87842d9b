#!/usr/bin/env bash
# npud: options, start-up checks, firmware lookup.
set -u
: "${NPUD:?NPUD must point at the npud binary}"
fwdir=${NPU_TEST_FIRMWARE_DIR:-/lib/firmware/intel/vpu}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass=0

check() { # check NAME EXPECTED_RC ACTUAL_RC
	if [[ $2 -eq $3 ]]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: exit $3, expected $2"
		fails=$((fails + 1))
	fi
}
contains() { # contains NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: '$3' not in output:"
		sed 's/^/    /' "$2"
		fails=$((fails + 1))
	fi
}

"$NPUD" --help >"$tmp/out" 2>&1
check "--help" 0 $?
contains "--help text" "$tmp/out" "Usage: npud"
"$NPUD" --version >"$tmp/out" 2>&1
check "--version" 0 $?
contains "--version text" "$tmp/out" "npud "
"$NPUD" --bogus >"$tmp/out" 2>&1
check "unknown option" 2 $?
contains "unknown option text" "$tmp/out" "npud: unknown option '--bogus'"
"$NPUD" --gen 99xx >"$tmp/out" 2>&1
check "bad --gen" 2 $?
"$NPUD" --check --device sim --sched fifo >"$tmp/out" 2>&1
check "bad --sched" 2 $?
contains "bad --sched text" "$tmp/out" "'fifo' is not os, hws or auto"
"$NPUD" --check --device sim --sched os >"$tmp/out" 2>&1
check "--sched os" 0 $?
"$NPUD" --device >"$tmp/out" 2>&1
check "missing value" 2 $?
contains "missing value text" "$tmp/out" "npud: option '--device' needs a value"
for bad in "--socket-mode 8" "--socket-mode 0" "--max-clients 65" "--max-clients x" \
	"--max-bytes 12Q" "--max-bytes 0" "--max-jobs 64" "--allow-uid no-such-user-here" \
	"--allow-gid no-such-group-here" "--max-connections 0"; do
	# shellcheck disable=SC2086
	"$NPUD" --check --device sim $bad >"$tmp/out" 2>&1
	check "bad value: $bad" 2 $?
	contains "bad value text: $bad" "$tmp/out" "npud: ${bad%% *}: "
done
NPU_TDR_TIMEOUT_MS=0 "$NPUD" --check --device sim >"$tmp/out" 2>&1
check "bad NPU_TDR_TIMEOUT_MS" 2 $?
contains "bad NPU_TDR_TIMEOUT_MS text" "$tmp/out" "npud: NPU_TDR_TIMEOUT_MS: '0' is not"
NPU_SIM_FAULT=bogus "$NPUD" --check --device sim >"$tmp/out" 2>&1
check "bad NPU_SIM_FAULT" 2 $?
contains "bad NPU_SIM_FAULT text" "$tmp/out" "npud: NPU_SIM_FAULT: unknown fault 'bogus'"

# An empty firmware folder: a warning, the checks still pass (the simulator has its own image).
mkdir "$tmp/empty"
NPU_FIRMWARE_PATH=$tmp/empty "$NPUD" --check --device sim >"$tmp/out" 2>&1
check "no firmware" 0 $?
contains "no firmware warning" "$tmp/out" "firmware-intel-misc"

# Serving, readiness and the stop: test_npud_serve.sh, test_npud_garbage.sh, test_npud_clients.sh.

if [[ -r $fwdir/vpu_37xx_v1.bin ]]; then
	# vpu_<gen>_v0.0.bin is the fallback name.
	mkdir "$tmp/v0"
	cp "$fwdir/vpu_37xx_v1.bin" "$tmp/v0/vpu_37xx_v0.0.bin"
	NPU_FIRMWARE_PATH=$tmp/v0 "$NPUD" --check --device sim >"$tmp/out" 2>&1
	check "v0.0 fallback" 0 $?
	contains "v0.0 path" "$tmp/out" "$tmp/v0/vpu_37xx_v0.0.bin"
	contains "version text" "$tmp/out" "MTL_CLIENT_SILICON"
	# A damaged image is an error naming the rule.
	mkdir "$tmp/bad"
	head -c -1 "$fwdir/vpu_37xx_v1.bin" >"$tmp/bad/vpu_37xx_v1.bin"
	NPU_FIRMWARE_PATH=$tmp/bad "$NPUD" --check --device sim >"$tmp/out" 2>&1
	check "damaged image" 1 $?
	contains "damaged image message" "$tmp/out" "image_size 0x24f718 runs past the end of the file (0x251717)"
	# --firmware wins over the folder.
	NPU_FIRMWARE_PATH=$tmp/bad "$NPUD" --check --device sim --firmware "$fwdir/vpu_37xx_v1.bin" >"$tmp/out" 2>&1
	check "--firmware" 0 $?
	# A 37xx image is not a 40xx image.
	"$NPUD" --check --device sim --gen 40xx --firmware "$fwdir/vpu_37xx_v1.bin" >"$tmp/out" 2>&1
	check "wrong generation" 1 $?
elif [[ ${NPU_REQUIRE_FIRMWARE:-0} == 1 ]]; then
	echo "FAIL: $fwdir/vpu_37xx_v1.bin missing (firmware-intel-misc) and NPU_REQUIRE_FIRMWARE=1"
	fails=$((fails + 1))
else
	echo "note: $fwdir/vpu_37xx_v1.bin not installed (firmware-intel-misc): image checks not run"
fi

echo "$pass passed, $fails failed"
[[ $fails -eq 0 ]]
