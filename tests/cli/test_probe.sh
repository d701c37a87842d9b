#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# npuctl probe against fake sysfs trees built here (NPU_SYSFS_ROOT): an empty
# bus, a Meteor Lake NPU, a Panther Lake NPU (recognised, not supported), a
# malformed device, a missing root; text and --json output; exit codes.
set -u

if [[ -z ${NPUCTL:-} || ! -x $NPUCTL ]]; then
	echo "skip: set NPUCTL to the npuctl binary"
	exit 77
fi
unset NPU_LOG

tmp=$(mktemp -d "${TMPDIR:-/tmp}/npu-probe-test.XXXXXX") || exit 1
trap 'rm -rf -- "$tmp"' EXIT

fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# run ROOT ARGS...: runs npuctl with NPU_SYSFS_ROOT=ROOT; sets rc, out, err.
run() {
	local root=$1
	shift
	NPU_SYSFS_ROOT=$root "$NPUCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(<"$tmp/out")
	err=$(<"$tmp/err")
}

expect_rc() { [[ $rc == "$1" ]] || fail "$2: exit $rc, expected $1 (stderr: $err)"; }
expect_out() { [[ $out == *"$1"* ]] || fail "$2: stdout lacks '$1'"$'\n'"$out"; }
expect_no_out() { [[ $out != *"$1"* ]] || fail "$2: stdout has '$1'"$'\n'"$out"; }

# new_bus NAME: an empty <tmp>/NAME/bus/pci/devices; prints the root.
new_bus() {
	mkdir -p "$tmp/$1/bus/pci/devices"
	echo "$tmp/$1"
}

# add_dev ROOT BDF VENDOR DEVICE CLASS REV: the five sysfs attributes of a
# device with a 128 MiB 64-bit BAR0 and a 4 KiB BAR4 (flags as Linux prints them).
add_dev() {
	local d="$1/bus/pci/devices/$2"
	mkdir -p "$d"
	printf '0x%s\n' "$3" >"$d/vendor"
	printf '0x%s\n' "$4" >"$d/device"
	printf '0x%s\n' "$5" >"$d/class"
	printf '0x%s\n' "$6" >"$d/revision"
	{
		printf '0x%016x 0x%016x 0x%016x\n' 0x4010000000 0x4017ffffff 0x140204
		printf '0x%016x 0x%016x 0x%016x\n' 0 0 0 0 0 0 0 0 0
		printf '0x%016x 0x%016x 0x%016x\n' 0x4018000000 0x4018000fff 0x140204
		printf '0x%016x 0x%016x 0x%016x\n' 0 0 0 0 0 0
	} >"$d/resource"
}

# An empty bus: no NPU is an answer, exit 0, with the simulator hint.
empty=$(new_bus empty)
run "$empty" probe
expect_rc 0 "empty bus"
expect_out "No Intel NPU found on the PCI bus ($empty/bus/pci/devices)." "empty bus"
expect_out "--device sim" "empty bus"
[[ -z $err ]] || fail "empty bus: stderr not empty: $err"

# A Meteor Lake NPU next to an Intel GPU and a non-Intel device.
mtl=$(new_bus mtl)
add_dev "$mtl" 0000:00:0b.0 8086 7d1d 120000 04
add_dev "$mtl" 0000:00:02.0 8086 7d55 030000 08
add_dev "$mtl" 0000:01:00.0 10de 2684 030000 a1
run "$mtl" probe
expect_rc 0 "MTL"
for want in "Intel NPU at 0000:00:0b.0" "8086:7d1d" "revision 04" "Meteor Lake" "37xx" \
	"Status:      supported" "BAR0 (RegV): 0x4010000000, 128 MiB, 64-bit memory" \
	"BAR4 (RegB): 0x4018000000, 4 KiB, 64-bit memory"; do
	expect_out "$want" "MTL"
done
expect_no_out "No Intel NPU found" "MTL"
expect_no_out "8086:7d55" "MTL (the GPU is not listed)"
[[ -z $err ]] || fail "MTL: stderr not empty: $err"

# The firmware image the driver would load for it, or which package provides it.
mkdir -p "$tmp/fw-none" "$tmp/fw-some"
: >"$tmp/fw-some/vpu_37xx_v1.bin"
NPU_FIRMWARE_PATH=$tmp/fw-none run "$mtl" probe
expect_out "Firmware:    missing (no vpu_37xx_v1.bin in $tmp/fw-none, \$NPU_FIRMWARE_PATH): install Debian's firmware-intel-misc package" "MTL, no firmware"
NPU_FIRMWARE_PATH=$tmp/fw-some run "$mtl" probe
expect_out "Firmware:    $tmp/fw-some/vpu_37xx_v1.bin" "MTL, firmware present"
NPU_FIRMWARE_PATH=$tmp/fw-some run "$mtl" probe --json
[[ $out == *"\"firmware\":\"$tmp/fw-some/vpu_37xx_v1.bin\""* ]] || fail "MTL --json: no firmware path: $out"

# A Panther Lake NPU: recognised, not supported; the simulator is offered.
ptl=$(new_bus ptl)
add_dev "$ptl" 0000:00:0b.0 8086 b03e 120000 00
run "$ptl" probe
expect_rc 0 "PTL"
expect_out "8086:b03e" "PTL"
expect_out "50xx" "PTL"
expect_out "recognised, not supported yet" "PTL"
expect_out "--device sim" "PTL"
expect_no_out "No Intel NPU found" "PTL"

# A malformed device is skipped with a warning; the NPU is still listed.
bad=$(new_bus bad)
add_dev "$bad" 0000:00:0b.0 8086 7d1d 120000 04
add_dev "$bad" 0000:00:0c.0 8086 7d1d 120000 04
printf '0xZZZZ\n' >"$bad/bus/pci/devices/0000:00:0c.0/vendor"
run "$bad" probe
expect_rc 0 "malformed device"
expect_out "0000:00:0b.0" "malformed device"
expect_out "1 PCI device(s) skipped" "malformed device"
[[ $err == *"0000:00:0c.0"* ]] || fail "malformed device: no warning naming it: $err"

# --json, after and before the command.
if command -v python3 >/dev/null; then
	check_json() { # ROOT EXPECTED_DEVICES EXPECTED_SKIPPED
		python3 - "$tmp/out" "$1" "$2" "$3" <<-'EOF'
			import json, sys
			path, root, n_dev, n_skip = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
			doc = json.load(open(path))
			for key in ("sysfs_root", "devices", "skipped", "simulated_available"):
			    assert key in doc, "missing key " + key
			assert doc["sysfs_root"] == root, doc["sysfs_root"]
			assert doc["simulated_available"] is True
			assert doc["skipped"] == n_skip, doc["skipped"]
			assert len(doc["devices"]) == n_dev, doc["devices"]
			for d in doc["devices"]:
			    assert d["bdf"] == "0000:00:0b.0", d
			    assert d["vendor_id"] == 0x8086 and d["device_id"] == 0x7D1D, d
			    assert d["pci_id"] == "8086:7d1d", d
			    assert d["platform"] == "Meteor Lake" and d["generation"] == "37xx", d
			    assert d["revision"] == 4 and d["supported"] is True, d
			    bars = {b["index"]: b for b in d["bars"]}
			    assert sorted(bars) == [0, 4], bars
			    assert bars[0]["address"] == 0x4010000000 and bars[0]["size"] == 128 << 20, bars
			    assert bars[4]["address"] == 0x4018000000 and bars[4]["size"] == 4096, bars
			    assert bars[0]["type"] == "mem64" and bars[4]["type"] == "mem64", bars
		EOF
	}
	run "$mtl" probe --json
	expect_rc 0 "MTL --json"
	check_json "$mtl" 1 0 || fail "MTL --json: $out"
	run "$mtl" --json probe
	expect_rc 0 "--json before the command"
	check_json "$mtl" 1 0 || fail "--json before the command: $out"
	run "$empty" probe --json
	expect_rc 0 "empty --json"
	check_json "$empty" 0 0 || fail "empty --json: $out"
	run "$bad" probe --json
	expect_rc 0 "malformed --json"
	check_json "$bad" 1 1 || fail "malformed --json: $out"
else
	echo "note: python3 not found; --json output not checked"
fi

# A root without bus/pci/devices: exit 1, one "npuctl: " line, nothing on stdout.
run "$tmp/does-not-exist" probe
expect_rc 1 "missing root"
[[ -z $out ]] || fail "missing root: stdout not empty: $out"
[[ $(printf '%s\n' "$err" | wc -l) -eq 1 && $err == "npuctl: "* ]] ||
	fail "missing root: stderr is not one 'npuctl: ' line: $err"
[[ $err == *"$tmp/does-not-exist/bus/pci/devices"* ]] || fail "missing root: path not named: $err"

# Usage.
run "$empty" probe --help
expect_rc 0 "probe --help"
expect_out "Usage: npuctl probe" "probe --help"
run "$empty" probe --bogus
expect_rc 2 "unknown option"
[[ $err == "npuctl: "* ]] || fail "unknown option: stderr: $err"
run "$empty" probe extra
expect_rc 2 "extra argument"

if ((fails > 0)); then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all probe checks passed"
