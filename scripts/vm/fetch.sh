#!/usr/bin/env bash
# Fetches, once, everything `make vm-test` needs from Debian's archive into a
# cache folder (first argument, or $VM_CACHE):
#
#   tree/      a debootstrapped trixie (minbase) with trixie-backports'
#              qemu-system-x86 (QEMU >= 10.1, which has the vfio-user-pci
#              device), busybox-static and linux-libc-dev (for
#              <drm/ivpu_accel.h>). Nothing of it is installed on the host:
#              QEMU runs from the tree through the tree's own loader.
#   kernel/    trixie's linux-image-6.12.*-amd64 unpacked (vmlinuz, modules).
#   firmware/  trixie's firmware-intel-misc unpacked (intel/vpu/*.bin).
#
# A second run finds the stamp file and does nothing. Needs root (debootstrap,
# chroot) and Debian's package registry; the host must be Debian with
# debootstrap (installed here with apt-get when missing).
#
# Usage: scripts/vm/fetch.sh [CACHE]
set -euo pipefail

cache=${1:-${VM_CACHE:-/var/cache/npud-vm}}
mirror=${VM_MIRROR:-http://deb.debian.org/debian}
suite=trixie
# Bump when what this script fetches changes, so old caches are refreshed.
stamp_version=1
stamp=$cache/fetched-v$stamp_version

if [[ -e $stamp ]]; then
	exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
	echo "vm fetch: needs root (debootstrap and chroot) to fill $cache" >&2
	exit 1
fi

log() { echo "vm fetch: $*"; }

export DEBIAN_FRONTEND=noninteractive
for tool in debootstrap cpio; do
	if ! command -v "$tool" >/dev/null; then
		log "installing $tool on the host"
		apt-get update -q >/dev/null
		apt-get install -y -q --no-install-recommends "$tool" >/dev/null
	fi
done

mkdir -p "$cache"
tree=$cache/tree
mounted=()
cleanup() {
	local m
	for m in "${mounted[@]}"; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}
trap cleanup EXIT

if [[ ! -e $tree/.debootstrap-done ]]; then
	rm -rf "$tree"
	log "debootstrap $suite (minbase) into $tree"
	debootstrap --variant=minbase --include=ca-certificates \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		"$suite" "$tree" "$mirror" >"$cache/debootstrap.log" 2>&1 || {
		tail -20 "$cache/debootstrap.log" >&2
		exit 1
	}
	touch "$tree/.debootstrap-done"
fi

cat >"$tree/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: $suite $suite-updates $suite-backports
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
rm -f "$tree/etc/apt/sources.list"
cp /etc/resolv.conf "$tree/etc/resolv.conf" 2>/dev/null || true
# No services start inside the tree.
printf '#!/bin/sh\nexit 101\n' >"$tree/usr/sbin/policy-rc.d"
chmod 755 "$tree/usr/sbin/policy-rc.d"

mount -t proc proc "$tree/proc"
mounted+=("$tree/proc")

in_tree() { chroot "$tree" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef
	-o Dpkg::Options::=--force-confold)

log "apt-get update in the tree"
in_tree apt-get update -q >"$cache/apt.log" 2>&1 || {
	tail -20 "$cache/apt.log" >&2
	exit 1
}
log "installing qemu-system-x86 from $suite-backports, busybox-static, linux-libc-dev"
in_tree apt-get install "${apt_opts[@]}" -t "$suite-backports" qemu-system-x86 \
	>>"$cache/apt.log" 2>&1 || {
	tail -20 "$cache/apt.log" >&2
	exit 1
}
in_tree apt-get install "${apt_opts[@]}" busybox-static linux-libc-dev \
	>>"$cache/apt.log" 2>&1 || {
	tail -20 "$cache/apt.log" >&2
	exit 1
}

# The kernel: the versioned image linux-image-amd64 in trixie (not backports)
# depends on. Downloaded and unpacked, never installed.
kpkg=$(in_tree apt-cache depends -t "$suite" "linux-image-amd64/$suite" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-6\.12[^ ]*-amd64\)$/\1/p' | head -1)
if [[ -z $kpkg ]]; then
	echo "vm fetch: no linux-image-6.12.*-amd64 found behind linux-image-amd64 in $suite" >&2
	exit 1
fi
mkdir -p "$tree/var/tmp/debs"
rm -f "$tree"/var/tmp/debs/*.deb
log "downloading $kpkg and firmware-intel-misc"
in_tree sh -c "cd /var/tmp/debs && apt-get download -q '$kpkg/$suite' firmware-intel-misc" \
	>>"$cache/apt.log" 2>&1 || {
	tail -20 "$cache/apt.log" >&2
	exit 1
}
rm -rf "$cache/kernel" "$cache/firmware"
mkdir -p "$cache/kernel" "$cache/firmware"
dpkg-deb -x "$tree"/var/tmp/debs/linux-image-*.deb "$cache/kernel"
dpkg-deb -x "$tree"/var/tmp/debs/firmware-intel-misc_*.deb "$cache/firmware"
rm -f "$tree"/var/tmp/debs/*.deb
in_tree apt-get clean

qemu_version=$(in_tree qemu-system-x86_64 --version | head -1)
log "$qemu_version; kernel $(ls "$cache/kernel/usr/lib/modules")"
if ! in_tree qemu-system-x86_64 -device help 2>/dev/null | grep -q '"vfio-user-pci"'; then
	echo "vm fetch: this QEMU has no vfio-user-pci device" >&2
	exit 1
fi
if [[ -z $(find "$cache/kernel/usr/lib/modules" -name 'intel_vpu.ko*' -print -quit) ]]; then
	echo "vm fetch: the kernel package has no intel_vpu module" >&2
	exit 1
fi
touch "$stamp"
log "done: $cache"
