#!/usr/bin/env bash
# Fetches, once, everything `make vm-test` needs from Debian's archive into a
# cache folder (first argument, or $VM_CACHE):
#
#   tree/      a debootstrapped trixie (minbase) with trixie-backports'
#              qemu-system-x86 (QEMU >= 10.1, which has the vfio-user-pci
#              device), busybox-static and linux-libc-dev (for
#              <drm/ivpu_accel.h>). Nothing of it is installed on the host:
#              QEMU runs from the tree through the tree's own loader.
#   kernel/    trixie's kernel (linux-image-6.12.*-amd64, CONFIG_DRM_ACCEL_IVPU=m)
#              unpacked: boot/vmlinuz-*, usr/lib/modules/*.
#   kernel-SUITE/  with a second argument SUITE (e.g. trixie-backports): the
#              kernel linux-image-amd64 of that suite depends on, unpacked the
#              same way (its image, base, binary and modules packages).
#   firmware/  trixie's firmware-intel-misc unpacked (intel/vpu/*.bin).
#
# A second run finds the stamp files and does nothing. Needs root (debootstrap,
# chroot) and Debian's package registry; the host must be Debian with
# debootstrap (installed here with apt-get when missing).
#
# Usage: scripts/vm/fetch.sh [CACHE [KERNEL_SUITE]]
set -euo pipefail

cache=${1:-${VM_CACHE:-/var/cache/npud-vm}}
ksuite=${2:-trixie}
mirror=${VM_MIRROR:-http://deb.debian.org/debian}
suite=trixie
# Bump when what this script fetches changes, so old caches are refreshed.
stamp_version=1
stamp=$cache/fetched-v$stamp_version
if [[ $ksuite == "$suite" ]]; then
	kdir=$cache/kernel
else
	kdir=$cache/kernel-$ksuite
fi

if [[ -e $stamp && -e $kdir/.fetched ]]; then
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

# Debian 12's keyring has trixie's keys since its 2023.3+deb12u1 update.
if [[ ! -e /usr/share/keyrings/debian-archive-trixie-stable.gpg ]]; then
	log "updating debian-archive-keyring on the host (for trixie's keys)"
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends debian-archive-keyring >/dev/null
fi

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

# Runs apt in the tree, logging to apt.log; three tries (a mirror may hiccup).
apt_in_tree() {
	local try
	for try in 1 2 3; do
		if in_tree "$@" >>"$cache/apt.log" 2>&1; then
			return 0
		fi
		echo "vm fetch: '$*' failed (try $try of 3)" >&2
		sleep $((try * 5))
	done
	tail -20 "$cache/apt.log" >&2
	exit 1
}

: >"$cache/apt.log"
log "apt-get update in the tree"
apt_in_tree apt-get update -q
log "installing qemu-system-x86 from $suite-backports, busybox-static, linux-libc-dev"
apt_in_tree apt-get install "${apt_opts[@]}" -t "$suite-backports" qemu-system-x86
apt_in_tree apt-get install "${apt_opts[@]}" busybox-static linux-libc-dev

# A kernel: the versioned packages linux-image-amd64 (and, where the kernel is
# split, linux-modules-amd64) of the suite depend on. Downloaded and unpacked,
# never installed.
fetch_kernel() {
	local ks=$1 dir=$2 kver pkgs=() p
	kver=$(in_tree apt-cache depends "linux-image-amd64/$ks" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*-amd64\)$/\1/p' | head -1)
	if [[ -z $kver ]]; then
		echo "vm fetch: no versioned kernel behind linux-image-amd64 in $ks" >&2
		exit 1
	fi
	for p in linux-image linux-base linux-binary linux-modules; do
		if in_tree apt-cache show "$p-$kver" >/dev/null 2>&1; then
			pkgs+=("$p-$kver/$ks")
		fi
	done
	mkdir -p "$tree/var/tmp/debs"
	rm -f "$tree"/var/tmp/debs/*.deb
	log "downloading ${pkgs[*]}"
	apt_in_tree sh -c "cd /var/tmp/debs && apt-get download -q ${pkgs[*]}"
	rm -rf "$dir"
	mkdir -p "$dir"
	for p in "$tree"/var/tmp/debs/*.deb; do
		dpkg-deb -x "$p" "$dir"
	done
	rm -f "$tree"/var/tmp/debs/*.deb
	# boot/vmlinuz-KVER (6.12) or usr/lib/modules/KVER/vmlinuz (split packages, 7.x)
	if [[ -z $(find "$dir" -path '*/boot/vmlinuz-*' -o -path '*/usr/lib/modules/*/vmlinuz' | head -1) ]]; then
		echo "vm fetch: no vmlinuz in ${pkgs[*]}" >&2
		exit 1
	fi
	if [[ -z $(find "$dir/usr/lib/modules" -name 'intel_vpu.ko*' -print -quit) ]]; then
		echo "vm fetch: the $ks kernel $kver has no intel_vpu module" >&2
		exit 1
	fi
	touch "$dir/.fetched"
	log "kernel $kver from $ks in $dir"
}

if [[ ! -e $stamp ]]; then
	fetch_kernel "$suite" "$cache/kernel"
	mkdir -p "$tree/var/tmp/debs"
	log "downloading firmware-intel-misc"
	apt_in_tree sh -c "cd /var/tmp/debs && apt-get download -q firmware-intel-misc/$suite"
	rm -rf "$cache/firmware"
	mkdir -p "$cache/firmware"
	dpkg-deb -x "$tree"/var/tmp/debs/firmware-intel-misc_*.deb "$cache/firmware"
	rm -f "$tree"/var/tmp/debs/*.deb
	in_tree apt-get clean

	log "$(in_tree qemu-system-x86_64 --version | head -1)"
	if ! in_tree qemu-system-x86_64 -device help 2>/dev/null | grep -q '"vfio-user-pci"'; then
		echo "vm fetch: this QEMU has no vfio-user-pci device" >&2
		exit 1
	fi
	touch "$stamp"
fi
if [[ ! -e $kdir/.fetched ]]; then
	fetch_kernel "$ksuite" "$kdir"
fi
log "done: $cache"
