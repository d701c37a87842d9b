#!/usr/bin/env bash
# The Redox recipes' scripts (packaging/redox, docs/redox.md) run as the
# cookbook runs them, with a stage folder of their own: Intel's firmware lands
# where npud looks for it on Redox (NPU_FW_SYSTEM_DIR with __redox__), npud's
# recipe depends on the firmware's and installs the driver, its pcid match and
# a login_schemes.toml entry that gives login's schemes plus npu.
# Usage: test_recipes.sh SOURCE_DIR   (CC: the compiler)
set -u
src=$(cd "$1" && pwd)
cc=${CC:-cc}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# The [build] script of a recipe.toml.
script_of() {
	python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["build"]["script"])' "$1"
}

fw_recipe=$src/packaging/redox/npu-firmware/recipe.toml
npud_recipe=$src/packaging/redox/recipe.toml
[[ -f $fw_recipe ]] || fail "no firmware recipe ($fw_recipe)"

# Where npud looks on Redox.
fwdir=$(echo '#include "driver/fw_locate.h"
NPU_FW_SYSTEM_DIR' | "$cc" -E -P -D__redox__ -I"$src/src" - | tail -n 1 | tr -d '"')
[[ $fwdir == /* ]] || fail "no firmware folder from fw_locate.h ($fwdir)"

if [[ -f $fw_recipe ]]; then
	# A linux-firmware tree with the two images and Intel's licence.
	mkdir -p "$tmp/fwsrc/intel/vpu" "$tmp/fwstage"
	for gen in 37xx 40xx; do
		printf 'image %s' "$gen" >"$tmp/fwsrc/intel/vpu/vpu_${gen}_v1.bin"
	done
	echo licence >"$tmp/fwsrc/WHENCE"
	(cd "$tmp" && COOKBOOK_SOURCE=$tmp/fwsrc COOKBOOK_STAGE=$tmp/fwstage \
		bash -e -c "$(script_of "$fw_recipe")") || fail "the firmware recipe's script failed"
	for gen in 37xx 40xx; do
		cmp -s "$tmp/fwsrc/intel/vpu/vpu_${gen}_v1.bin" "$tmp/fwstage$fwdir/vpu_${gen}_v1.bin" ||
			fail "vpu_${gen}_v1.bin is not installed in $fwdir"
	done
	python3 -c 'import sys, tomllib; sys.exit(not tomllib.load(open(sys.argv[1], "rb"))["source"].get("tar"))' \
		"$fw_recipe" || fail "the firmware recipe has no source"
fi

python3 -c 'import sys, tomllib
deps = tomllib.load(open(sys.argv[1], "rb"))["package"].get("dependencies", [])
sys.exit("npu-firmware" not in deps)' "$npud_recipe" || fail "npud's recipe does not depend on npu-firmware"

# npud's Redox main exists on Linux only with NPU_REDOX_MAIN (tools/npud/npud_redox.c).
mkdir -p "$tmp/build" "$tmp/stage"
(cd "$tmp/build" && CC=$cc CFLAGS=-DNPU_REDOX_MAIN COOKBOOK_SOURCE=$src COOKBOOK_STAGE=$tmp/stage \
	bash -e -c "$(script_of "$npud_recipe")") || fail "npud's recipe script failed"
[[ -x $tmp/stage/usr/lib/drivers/npud ]] || fail "no /usr/lib/drivers/npud"
[[ -f $tmp/stage/usr/lib/pcid.d/npud.toml ]] || fail "no /usr/lib/pcid.d/npud.toml"
login=$tmp/stage/usr/share/npud/login_schemes.toml
if [[ -f $login ]]; then
	# login's built-in list (userutils login: DEFAULT_SCHEMES) and npu.
	python3 -c 'import sys, tomllib
s = tomllib.load(open(sys.argv[1], "rb"))["user_schemes"]["user"]["schemes"]
want = ["debug", "event", "memory", "pipe", "serio", "irq", "time", "sys", "rand", "null",
        "zero", "log", "ip", "icmp", "tcp", "udp", "shm", "chan", "uds_stream", "uds_dgram",
        "file", "display.vesa", "display*", "pty", "sudo", "audio", "npu"]
missing = [w for w in want if w not in s]
print("missing:", missing) if missing else None
sys.exit(bool(missing))' "$login" || fail "the login_schemes.toml entry is not login's list plus npu"
else
	fail "no /usr/share/npud/login_schemes.toml"
fi
exit $((fails > 0))
