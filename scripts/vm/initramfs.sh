#!/usr/bin/env bash
# Builds the `make vm-test` guest's initramfs (a gzipped newc cpio) from the
# cache scripts/vm/fetch.sh filled: busybox-static, intel_vpu.ko and the
# modules it depends on (uncompressed, with their load order in
# /lib/modules/order), Intel's NPU firmware at /lib/firmware/intel/vpu/, the
# guest program and tests/vm/init.sh as /init.
#
# Usage: scripts/vm/initramfs.sh CACHE GUEST_PROGRAM OUT.cpio.gz [KERNEL_DIR]
# (KERNEL_DIR: the unpacked kernel whose modules go in, default CACHE/kernel)
set -euo pipefail

cache=$1
guest=$2
out=$3
kernel_dir=${4:-$cache/kernel}
here=$(cd "$(dirname "$0")" && pwd)
init=$here/../../tests/vm/init.sh

kdir=$(echo "$kernel_dir"/usr/lib/modules/*)
[[ -d $kdir ]] || {
	echo "vm initramfs: no kernel modules under $kernel_dir" >&2
	exit 1
}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules,lib/firmware/intel/vpu}
cp "$cache/tree/usr/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$guest" "$root/bin/guest_ivpu"
cp "$init" "$root/init"
chmod 755 "$root/init" "$root/bin/guest_ivpu"
cp "$cache"/firmware/usr/lib/firmware/intel/vpu/* "$root/lib/firmware/intel/vpu/"

# The module and its dependencies, read from each module's modinfo
# ("depends=" in .modinfo), dependencies first.
module_file() { find "$kdir/kernel" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" | head -1; }
unpack() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -dcq "$1" ;;
	*) cat "$1" ;;
	esac
}
declare -A seen=()
order=()
add_module() {
	local name=$1 file deps dep
	[[ -n ${seen[$name]:-} ]] && return 0
	seen[$name]=1
	file=$(module_file "$name")
	if [[ -z $file ]]; then
		name=${name//_/-}
		file=$(module_file "$name")
	fi
	[[ -n $file ]] || {
		echo "vm initramfs: module $1 not found" >&2
		exit 1
	}
	unpack "$file" >"$root/lib/modules/$1.ko"
	deps=$(tr '\0' '\n' <"$root/lib/modules/$1.ko" | sed -n 's/^depends=//p' | head -1)
	for dep in ${deps//,/ }; do
		add_module "$dep"
	done
	order+=("$1")
}
add_module intel_vpu
printf '%s\n' "${order[@]}" >"$root/lib/modules/order"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet --owner=0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "vm initramfs: $out (modules: ${order[*]})"
