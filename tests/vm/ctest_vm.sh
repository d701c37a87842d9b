#!/usr/bin/env bash
# CTest's vm/vm-test (label vm): runs `make vm-test`'s scripts/vm/run.sh on
# the build folder given, only when NPU_VM_TEST=1 (it needs root, Debian's
# archive once, and a few minutes); otherwise it is skipped (exit 77).
# VM_CACHE, VM_GENS, VM_SCHED and VM_KERNEL are passed on as in the Makefile.
set -euo pipefail
if [[ ${NPU_VM_TEST:-0} != 1 ]]; then
	echo "vm-test skipped: set NPU_VM_TEST=1 to boot Linux's intel_vpu in QEMU (docs/vm-test.md)"
	exit 77
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
args=(--build "$1" --cache "${VM_CACHE:-/var/cache/npud-vm}" --sched "${VM_SCHED:-os}"
	--kernel "${VM_KERNEL:-trixie}")
for gen in ${VM_GENS:-37xx 40xx}; do
	args+=(--gen "$gen")
done
exec "$top/scripts/vm/run.sh" "${args[@]}"
