#!/usr/bin/env bash
# Compiles every Redox source of npud (packaging/redox/build.sh --list) as on
# Redox (-D__redox__) against tests/redox/relibc-compat/include, a header set
# that keeps where relibc differs from glibc on what npud uses: st_atime,
# st_mtime, st_ctime are macros pulled in by <unistd.h>, <fcntl.h> and
# <sys/mman.h>; <stdio.h> has no fmemopen, open_memstream nor fopencookie; no
# header declares the redox_* calls. -nostdinc: only those headers and the
# compiler's freestanding ones (stddef.h, stdint.h, stdarg.h, ...); and the
# host's __linux__ undefined, as Redox's compiler has it.
# Usage: relibc_compat.sh SOURCE_DIR   (CC: the compiler)
set -u
src=$1
cc=${CC:-cc}
compat=$src/tests/redox/relibc-compat/include
fails=0

freestanding=$("$cc" -print-file-name=include)
if [[ ! -f $freestanding/stddef.h ]]; then
	freestanding=$("$cc" -print-resource-dir 2>/dev/null)/include
fi
if [[ ! -f $freestanding/stddef.h ]]; then
	echo "FAIL: no freestanding headers found for $cc" >&2
	exit 1
fi
if grep -rn 'redox_[a-z_]*_v[0-9]' "$compat"; then
	echo "FAIL: the header set declares redox_* calls, which relibc's headers do not" >&2
	exit 1
fi

mapfile -t files < <(sh "$src/packaging/redox/build.sh" --list "$src")
((${#files[@]} > 20)) || {
	echo "FAIL: build.sh --list gave ${#files[@]} sources" >&2
	exit 1
}
for f in "${files[@]}"; do
	if ! "$cc" -std=c11 -fsyntax-only -ffreestanding -nostdinc -isystem "$freestanding" \
		-isystem "$compat" -U__linux__ -U__gnu_linux__ -U__linux -Ulinux -D__redox__ -D_POSIX_C_SOURCE=200809L -DNPU_VERSION='"0"' \
		-Werror=implicit-function-declaration -Werror=incompatible-pointer-types \
		-I"$src/src" -I"$src/include" "$f"; then
		echo "FAIL: $f does not compile against relibc's headers" >&2
		fails=$((fails + 1))
	fi
done
echo "${#files[@]} sources, $fails failed"
exit $((fails > 0))
