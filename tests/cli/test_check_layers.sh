#!/usr/bin/env bash
# scripts/check-layers.sh (make lint): the sources pass; in a scratch tree laid
# out like the repository, each kind of include against the layers fails,
# named by file, line and rule, and the same tree without it passes.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
command -v git >/dev/null || {
	echo "skip: git is not installed"
	exit 77
}

# The repository as it is.
if [[ -d $src/.git || -f $src/.git ]]; then
	"$src/scripts/check-layers.sh" >"$tmp/out" 2>&1
	expect_rc "check-layers on the sources ($(tail -3 "$tmp/out"))" 0 $?
fi

t=$tmp/tree
mkdir -p "$t/scripts" "$t/src/util" "$t/src/hw" "$t/src/sim" "$t/src/platform" "$t/src/driver" \
	"$t/src/server" "$t/src/lib" "$t/src/redox" "$t/include/npu" "$t/tools/npuctl" "$t/tests/unit"
cp "$src/scripts/check-layers.sh" "$t/scripts/"
# A tree that follows the rules.
good() {
	for h in util/log.h hw/gen.h sim/sim.h sim/sim_test.h sim/sim_internal.h platform/platform.h \
		driver/device.h server/server.h server/server_internal.h lib/lib_internal.h \
		redox/redox_shim.h; do
		echo "/* $h */" >"$t/src/$h"
	done
	echo "/* npu.h */" >"$t/include/npu/npu.h"
	printf '#include "hw/gen.h"\n#include "util/log.h"\n' >"$t/src/sim/sim.c"
	printf '#include "sim/sim.h"\n#include "hw/gen.h"\n' >"$t/src/platform/platform_sim.c"
	printf '#include "platform/platform.h"\n' >"$t/src/driver/device.c"
	printf '#include "driver/device.h"\n#include "server/server_internal.h"\n' >"$t/src/server/server.c"
	printf '#include "server/server.h"\n#include "lib/lib_internal.h"\n#include "npu/npu.h"\n' >"$t/src/lib/npu.c"
	printf '#include "platform/platform.h"\n' >"$t/src/redox/platform_redox.c"
	printf '#include "lib/lib_internal.h"\n' >"$t/src/lib/lib_job.c"
	printf '#include "redox/redox_shim.h"\n' >"$t/src/lib/scheme_client.c"
	printf '#include "driver/device.h"\n#include "server/server.h"\n' >"$t/tools/npuctl/npuctl.c"
	printf '#include "sim/sim_test.h"\n#include "driver/device.h"\n' >"$t/tests/unit/test_ipc.c"
	printf '#include "sim/sim_internal.h"\n' >"$t/tests/unit/test_sim_mmu.c"
}
check() {
	local files
	mapfile -t files < <(cd "$t" && find src include tools tests -name '*.[ch]' | sort)
	(cd "$t" && scripts/check-layers.sh "${files[@]}") >"$tmp/out" 2>&1
}
good
check
expect_rc "check-layers on a tree that follows the rules ($(cat "$tmp/out"))" 0 $?

# bad FILE LINE-TEXT WANT: FILE with one more include fails, naming file:line and WANT.
bad_include() {
	good
	printf '#include "util/log.h"\n%s\n' "$2" >>"$t/$1"
	line=$(wc -l <"$t/$1")
	check
	rc=$?
	if [[ $rc -ne 1 ]]; then
		bad "$1 with $2: exit $rc, want 1: $(cat "$tmp/out")"
	elif ! grep -qF "$1:$line: $2: " "$tmp/out" || ! grep -qF "$3" "$tmp/out"; then
		bad "$1 with $2: want '$1:$line' and '$3' in: $(cat "$tmp/out")"
	else
		ok
	fi
}
bad_include src/driver/device.c '#include "sim/sim.h"' "driver may not include the device model"
bad_include src/driver/device.c '#include "server/server.h"' "driver may not include server"
bad_include src/sim/sim.c '#include "driver/device.h"' "sim may not include driver"
bad_include src/sim/sim.c '#include "platform/platform.h"' "sim may not include platform"
bad_include src/platform/platform_sim.c '#include "driver/device.h"' "platform may not include driver"
bad_include src/platform/platform_sim.c '#include "sim/sim_internal.h"' "private to the device model"
bad_include src/redox/platform_redox.c '#include "driver/device.h"' "platform may not include driver"
bad_include src/hw/gen.h '#include "util/log.h"' "hw (src/hw/) includes nothing of the project"
bad_include src/util/log.h '#include "npu/npu.h"' "util (src/util/) includes nothing of the project"
bad_include src/server/server.c '#include "lib/lib_internal.h"' "server may not include lib"
bad_include src/lib/npu.c '#include "sim/sim_test.h"' "lib may not include the device model"
bad_include src/lib/npu.c '#include "server/server_internal.h"' "private to src/server/"
bad_include tools/npuctl/npuctl.c '#include "sim/sim.h"' "tools may not include the device model"
bad_include tests/unit/test_ipc.c '#include "sim/sim_internal.h"' "a test of another layer uses sim/sim_test.h"
good
check
expect_rc "check-layers on the good tree again" 0 $?

finish
