#!/usr/bin/env bash
# The layers of docs/design.md, checked on every #include "..." of the
# project's C sources: a file may include headers of its own layer and of the
# layers below it, never above. Any include against the direction fails, with
# the file, the line and the rule it breaks. Run by scripts/lint.sh (make lint).
#
# Usage: scripts/check-layers.sh [FILE...]   (default: every .c and .h git knows)
#
#   rank  layer     folders
#   0     util      src/util           (includes nothing of the project)
#   0     hw        src/hw             (facts: includes nothing of the project)
#   0     api       include/npu        (the public headers: nothing of the project)
#   1     sim       src/sim            (the device model: hw, util, api)
#   2     platform  src/platform, src/redox's backend (platform_redox.c, platform_internal.h,
#                   pcid.*, irq_setup.c, events.*,
#                   redox.h, redox_shim.h)
#   2     vfio      src/vfio           (the vfio-user device server: sim, hw, util)
#   3     driver    src/driver
#   4     server    src/server, the rest of src/redox (the npu scheme, its daemon)
#   5     lib       src/lib
#   6     tools     tools/, bench/
#   7     tests     tests/
#
# Two rules besides the order:
# - The device model is reached through the platform: above the platform
#   layer nothing includes src/sim (the driver sees the model's fault names
#   only through platform/platform.h). The device side is the exception: the
#   vfio-user server (src/vfio) and its program (tools/npu-vfio-user) serve
#   the model itself to a VM, and include it.
# - The model's own headers are its public ones (sim.h, sim_fault.h,
#   fw_synth.h, sim_test.h); the others (sim_internal.h, ...) are for src/sim
#   and for the model's own tests (tests/unit/test_sim_*.c, tests/unit/sim_*.h,
#   tests/fuzz/fuzz_sim_*.c, tests/fuzz/fuzz_infer.c). Headers named
#   *_internal.h are private to their folder.
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# > 0)); then
	files=("$@")
else
	mapfile -t files < <(git ls-files -- 'src/*.[ch]' 'include/*.h' 'tools/*.[ch]' \
		'bench/*.[ch]' 'tests/*.[ch]')
fi

# Every file git knows, so that an include can be resolved the way the
# compiler does: next to the including file, then src/, then include/.
known=$(mktemp)
trap 'rm -f "$known"' EXIT
{
	git ls-files 2>/dev/null || true
	printf '%s\n' "${files[@]}"
} >"$known"

awk -v known="$known" '
function layer(p) {
	if (p ~ /^src\/util\//) return "util"
	if (p ~ /^src\/hw\//) return "hw"
	if (p ~ /^include\/npu\//) return "api"
	if (p ~ /^src\/sim\//) return "sim"
	if (p ~ /^src\/platform\//) return "platform"
	if (p ~ /^src\/redox\/(platform_redox\.c|platform_internal\.h|pcid\.[ch]|irq_setup\.c|events\.[ch]|redox\.h|redox_shim\.h)$/) return "platform"
	if (p ~ /^src\/redox\//) return "server"
	if (p ~ /^src\/vfio\//) return "vfio"
	if (p ~ /^src\/driver\//) return "driver"
	if (p ~ /^src\/server\//) return "server"
	if (p ~ /^src\/lib\//) return "lib"
	if (p ~ /^(tools|bench)\//) return "tools"
	if (p ~ /^tests\//) return "tests"
	return ""
}
function dirname(p) { sub(/\/[^\/]*$/, "", p); return p }
function basename(p) { sub(/^.*\//, "", p); return p }
# a/b/../c -> a/c, ./ removed
function normal(p,    n, parts, out, k, i) {
	n = split(p, parts, "/")
	k = 0
	for (i = 1; i <= n; i++) {
		if (parts[i] == "." || parts[i] == "") continue
		if (parts[i] == ".." && k > 0 && out[k] != "..") { k--; continue }
		out[++k] = parts[i]
	}
	p = ""
	for (i = 1; i <= k; i++) p = p (i > 1 ? "/" : "") out[i]
	return p
}
function resolve(from, inc,    c) {
	c = normal(dirname(from) "/" inc)
	if (c in have) return c
	if (("src/" inc) in have) return "src/" inc
	if (("include/" inc) in have) return "include/" inc
	return ""
}
function model_test(p) {
	return p ~ /^tests\/unit\/(test_sim_[^\/]*\.c|sim_[^\/]*\.h)$/ ||
	       p ~ /^tests\/fuzz\/(fuzz_sim_[^\/]*\.c|fuzz_infer\.c)$/
}
function sim_public(p) {
	return p ~ /^src\/sim\/(sim|sim_fault|fw_synth|sim_test|sim_ctl|sim_mem_backend)\.h$/
}
function bad(rule) {
	printf "%s:%d: #include \"%s\": %s\n", FILENAME, FNR, inc, rule
	errors++
}
BEGIN {
	rank["util"] = 0; rank["hw"] = 0; rank["api"] = 0; rank["sim"] = 1
	rank["platform"] = 2; rank["vfio"] = 2; rank["driver"] = 3; rank["server"] = 4; rank["lib"] = 5
	rank["tools"] = 6; rank["tests"] = 7
	while ((getline line < known) > 0) have[line] = 1
	errors = 0
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
	inc = $0
	sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", inc)
	sub(/".*$/, "", inc)
	from = layer(FILENAME)
	target = resolve(FILENAME, inc)
	if (from == "" || target == "") next
	to = layer(target)
	if (to == "" || to == from) {
		if (basename(target) ~ /_internal\.h$/ && dirname(target) != dirname(FILENAME) &&
		    !(target == "src/sim/sim_internal.h" && model_test(FILENAME)))
			bad(target " is private to " dirname(target) "/")
		next
	}
	if (rank[from] == 0)
		bad(from " (" dirname(FILENAME) "/) includes nothing of the project but itself, not " to)
	else if (rank[to] >= rank[from])
		bad(from " may not include " to " (" target "): the layers go tools -> lib -> server -> driver -> platform -> sim, with hw, util and include/npu below all")
	else if (to == "vfio" && FILENAME !~ /^(tools\/npu-vfio-user|tests)\//)
		bad(from " may not include the vfio-user server (" target "): only tools/npu-vfio-user and tests do")
	else if (to == "sim" && from != "platform" && from != "vfio" && from != "tests" &&
		 FILENAME !~ /^tools\/npu-vfio-user\//)
		bad(from " may not include the device model (" target "): it is reached only through the platform interface (platform/platform.h)")
	else if (to == "sim" && !sim_public(target) && from != "tests")
		bad(target " is private to the device model; its interface is sim/sim.h")
	else if (to == "sim" && !sim_public(target) && !model_test(FILENAME))
		bad(target " is private to the device model: a test of another layer uses sim/sim_test.h (only the model tests test_sim_*, sim_*.h, fuzz_sim_*, fuzz_infer may look inside)")
	else if (basename(target) ~ /_internal\.h$/ && !(to == "sim" && model_test(FILENAME)))
		bad(target " is private to " dirname(target) "/")
}
END {
	if (errors) {
		printf "check-layers: %d include(s) against the layers (docs/design.md, scripts/check-layers.sh)\n", errors > "/dev/stderr"
		exit 1
	}
}
' "${files[@]}"
echo "check-layers: ${#files[@]} files: every include follows the layers"
