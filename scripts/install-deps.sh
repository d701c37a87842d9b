#!/usr/bin/env bash
# Installs what building and testing npud needs on Debian 12 (bookworm):
# the toolchain, cmocka, clang (for the fuzz targets), python3 (CLI tests),
# cppcheck and clang-tidy (make lint), uidmap (the access tests as a user
# who is not root, tests/cli/users.sh), numpy and scikit-learn
# (scripts/train_digits.py), debootstrap, cpio, gzip and xz-utils (make vm-test:
# scripts/vm/) and Intel's NPU firmware
# (firmware-intel-misc, from bookworm-backports' non-free-firmware component,
# added to apt's sources when missing).
#
# Usage: scripts/install-deps.sh [--no-firmware]
# Does nothing when everything is present. Needs root to install; without it,
# it lists what is missing and how to get it.
set -euo pipefail

want_firmware=1
[[ ${1:-} == --no-firmware ]] && want_firmware=0

packages=(cmake make gcc libcmocka-dev pkg-config python3 clang libclang-rt-14-dev cppcheck
	clang-tidy uidmap python3-numpy python3-sklearn debootstrap cpio gzip xz-utils)
fw_file=/lib/firmware/intel/vpu/vpu_37xx_v1.bin

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
need_fw=0
if ((want_firmware)) && [[ ! -e $fw_file ]]; then
	need_fw=1
fi

if ((${#missing[@]} == 0 && need_fw == 0)); then
	exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
	echo "install-deps: missing: ${missing[*]} $( ((need_fw)) && echo firmware-intel-misc)" >&2
	echo "install-deps: run 'make deps' as root, or install them with apt-get." >&2
	# Firmware alone missing is not fatal: the tests that need it say so and skip.
	((${#missing[@]} == 0)) && exit 0
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

if ((${#missing[@]})); then
	echo "install-deps: installing ${missing[*]}"
	apt-get update -q >/dev/null
	apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" >/dev/null
fi

if ((need_fw)); then
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	if [[ $codename == bookworm ]]; then
		suite=bookworm-backports
	else
		suite=$codename
	fi
	src=/etc/apt/sources.list.d/npud-firmware.sources
	if ! apt-cache policy firmware-intel-misc 2>/dev/null | grep -q "$suite/non-free-firmware"; then
		echo "install-deps: adding $suite non-free-firmware to apt's sources ($src)"
		cat >"$src" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	fi
	echo "install-deps: installing firmware-intel-misc from $suite"
	apt-get update -q >/dev/null
	apt-get install "${apt_opts[@]}" --no-install-recommends -t "$suite" firmware-intel-misc >/dev/null
	if [[ ! -e $fw_file ]]; then
		echo "install-deps: firmware-intel-misc installed but $fw_file is missing" >&2
		exit 1
	fi
fi
