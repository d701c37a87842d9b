#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# npuctl fw-info against Intel's images: the values of docs/hardware.md §4.4 (typed
# in from the table), the text and JSON outputs, and the error paths.
# Exit 77 (skip) when the images are missing, unless NPU_REQUIRE_FIRMWARE=1.
set -uo pipefail

npuctl=${NPUCTL:?NPUCTL must name the npuctl binary}
fwdir=${NPU_TEST_FIRMWARE_DIR:-/lib/firmware/intel/vpu}
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run EXPECTED_EXIT ARGS...: runs npuctl, keeping stdout and stderr in $tmp.
run() {
	local want=$1 rc
	shift
	"$npuctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [[ $rc -ne $want ]]; then
		fail "npuctl $* exited $rc, expected $want; stderr: $(cat "$tmp/err")"
		return 1
	fi
}

# The error paths need no firmware.
if run 0 fw-info --help; then
	grep -q '^Usage: npuctl fw-info' "$tmp/out" || fail "fw-info --help does not print the usage"
fi
if run 1 fw-info "$tmp/missing.bin"; then
	[[ $(cat "$tmp/err") == "npuctl: $tmp/missing.bin: No such file or directory" ]] ||
		fail "missing file: unexpected message: $(cat "$tmp/err")"
fi
run 2 --gen 99xx fw-info "$tmp/missing.bin"
run 2 fw-info --gen bogus "$tmp/missing.bin"
run 2 fw-info --no-such-option "$tmp/missing.bin"

# check_json FILE PYTHON-DICT: the JSON on $tmp/out holds (at least) these values.
check_json() {
	python3 - "$tmp/out" "$1" "$2" <<'PY' || fail "JSON of $1 (see above)"
import json, sys
path, name, expected = sys.argv[1], sys.argv[2], eval(sys.argv[3])
doc = json.load(open(path))
keys = ["header_version", "image_format", "image_load_address", "image_size", "entry_point",
        "firmware_version_load_address", "firmware_version_size", "boot_params_load_address",
        "runtime_size", "shave_nn_fw_size", "preemption_buffer_1_size",
        "preemption_buffer_2_size", "ro_section_start_address", "ro_section_size",
        "preemption_buffer_1_max_size", "preemption_buffer_2_max_size", "compression_type"]
bad = []
for k in keys:
    if not isinstance(doc.get(k), int) or isinstance(doc.get(k), bool):
        bad.append(f"{k} is not an integer: {doc.get(k)!r}")
for k in ["vpu_version", "file", "firmware_version"]:
    if not isinstance(doc.get(k), str):
        bad.append(f"{k} is not a string")
for k, v in expected.items():
    got = doc.get(k)
    if k == "firmware_version":
        ok = isinstance(got, str) and got.startswith(v)
    else:
        ok = got == v
    if not ok:
        bad.append(f"{k}: got {got!r}, expected {v!r}")
for line in bad:
    print(f"{name}: {line}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

declare -A expect version

# §4.4, vpu_37xx_v1.bin (MTL/ARL).
expect[37xx]='{
 "file_size": 2430744, "generation": "37xx", "header_version": 1, "image_format": 1,
 "image_load_address": 0x84802000, "image_size": 0x24F718, "entry_point": 0x84803000,
 "vpu_version": "0.0.0", "compression_type": 1,
 "firmware_version_load_address": 0x84801000, "firmware_version_size": 0x59,
 "boot_params_load_address": 0x84800000, "runtime_size": 0x04000000,
 "shave_nn_fw_size": 0x17C0, "preemption_buffer_1_size": 0xD800,
 "preemption_buffer_2_size": 0x7FE000, "preemption_buffer_1_max_size": 0,
 "preemption_buffer_2_max_size": 0, "ro_section_start_address": 0, "ro_section_size": 0,
 "api_versions": {"boot": "3.28", "api2": "1.0", "job_cmd": "4.9", "jsm": "3.29",
                  "api6": "1.0", "nnrt": "7.0"},
 "firmware_version": "20250306*MTL_CLIENT_SILICON-release*1130*ci_tag_ud202512_vpu_rc_20250306_1130*5064b5debc3"}'
version[37xx]='20250306*MTL_CLIENT_SILICON-release*1130*ci_tag_ud202512_vpu_rc_20250306_1130*5064b5debc3'

# §4.4, vpu_40xx_v1.bin (LNL).
expect[40xx]='{
 "file_size": 1977296, "generation": "40xx", "header_version": 1, "image_format": 1,
 "image_load_address": 0x80002000, "image_size": 0x1E0BD0, "entry_point": 0x8000200E,
 "vpu_version": "0.0.0", "compression_type": 0,
 "firmware_version_load_address": 0x80001000, "firmware_version_size": 0x62,
 "boot_params_load_address": 0x80000000, "runtime_size": 0x04000000,
 "shave_nn_fw_size": 0, "preemption_buffer_1_size": 0xCC00,
 "preemption_buffer_2_size": 0x1200000, "preemption_buffer_1_max_size": 0,
 "preemption_buffer_2_max_size": 0, "ro_section_start_address": 0x80003000,
 "ro_section_size": 0xFE000,
 "api_versions": {"boot": "3.28", "api2": "1.0", "job_cmd": "4.9", "jsm": "3.29",
                  "nnrt": "11.7"},
 "firmware_version": "Mar  6 2025*NPU40xx*ci_tag_ud202512_vpu_rc_20250306_1130*5064b5debc377e1c4b74f69dc14e2e536dba393d"}'
version[40xx]='Mar  6 2025*NPU40xx*ci_tag_ud202512_vpu_rc_20250306_1130*5064b5debc377e1c4b74f69dc14e2e536dba393d'

checked=0
missing=0
for gen in 37xx 40xx; do
	fw=$fwdir/vpu_${gen}_v1.bin
	if [[ ! -r $fw ]]; then
		echo "Intel's firmware image $fw is not installed (Debian's firmware-intel-misc;" \
			"'make deps' as root installs it, or set NPU_TEST_FIRMWARE_DIR)." >&2
		missing=$((missing + 1))
		continue
	fi
	checked=$((checked + 1))

	# --json before the subcommand, after it, and with the generation given.
	run 0 --json fw-info "$fw" && check_json "$fw" "${expect[$gen]}"
	run 0 fw-info "$fw" --json && check_json "$fw" "${expect[$gen]}"
	run 0 --gen "$gen" fw-info --json "$fw" && check_json "$fw" "${expect[$gen]}"
	run 0 --firmware "$fw" --json fw-info && check_json "$fw" "${expect[$gen]}"

	# The text output: one field per line, the version text, the API versions by name.
	if run 0 fw-info "$fw"; then
		grep -qF -- "${version[$gen]}" "$tmp/out" || fail "$fw: text output lacks the version"
		grep -qE '^boot_params_load_address +0x8' "$tmp/out" ||
			fail "$fw: text output lacks boot_params_load_address"
		grep -qE '^api jsm +3\.29$' "$tmp/out" || fail "$fw: text output lacks api jsm 3.29"
		[[ -s $tmp/err ]] && fail "$fw: unexpected stderr: $(cat "$tmp/err")"
	fi

	# A copy cut by one byte: one line on stderr, naming image_size; nothing on stdout.
	head -c -1 "$fw" >"$tmp/cut.bin"
	for args in "fw-info $tmp/cut.bin" "--json fw-info $tmp/cut.bin" "--gen $gen fw-info $tmp/cut.bin"; do
		# shellcheck disable=SC2086 # word splitting intended: no spaces in $tmp's name
		run 1 $args || continue
		[[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "$args: stderr is not one line: $(cat "$tmp/err")"
		grep -q "^npuctl: $tmp/cut.bin: image_size 0x[0-9a-f]* runs past the end of the file" \
			"$tmp/err" || fail "$args: unexpected message: $(cat "$tmp/err")"
		[[ -s $tmp/out ]] && fail "$args: printed on stdout"
	done

	# The other generation's range does not fit this image.
	other=$([[ $gen == 37xx ]] && echo 40xx || echo 37xx)
	if run 1 --gen "$other" fw-info "$fw"; then
		grep -q "boot_params_load_address" "$tmp/err" ||
			fail "$fw under --gen $other: expected a boot_params_load_address error"
	fi
done

if ((failures > 0)); then
	echo "test_fw_info: $failures failure(s)" >&2
	exit 1
fi
if ((missing > 0)); then
	if [[ ${NPU_REQUIRE_FIRMWARE:-0} == 1 ]]; then
		echo "FAIL: NPU_REQUIRE_FIRMWARE=1 and $missing image(s) missing" >&2
		exit 1
	fi
	if ((checked == 0)); then
		echo "SKIP: no firmware image installed; only the error paths were checked" >&2
		exit 77
	fi
fi
echo "test_fw_info: ok ($checked image(s))"
