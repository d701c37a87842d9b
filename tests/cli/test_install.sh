#!/usr/bin/env bash
# make install DESTDIR=...: every file in its place (programs, libnpu.so with
# its soname and only the public functions exported, the headers, the
# pkg-config file, the man pages, which render); then a program compiled
# against the installed header through pkg-config links with the installed
# library and runs a job in-process on the simulated NPU, and so does the
# example of libnpu(3). PREFIX moves everything, the .pc file's prefix too.
set -u
: "${NPUCTL:?NPUCTL must point at the npuctl binary}"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$(dirname "$NPUCTL")" && pwd)
for tool in make cc pkg-config nm readelf man; do
	command -v $tool >/dev/null || {
		echo "skip: $tool is not installed"
		exit 77
	}
done
export NPU_FIRMWARE_PATH=$tmp/nofw # the synthetic image: no firmware package needed
mkdir "$NPU_FIRMWARE_PATH"

# The sanitizer builds' library needs its runtime in the program too.
cflags=()
grep -q '^NPU_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && cflags+=("-fsanitize=address,undefined")
grep -q '^NPU_TSAN:BOOL=ON' "$build/CMakeCache.txt" && cflags+=(-fsanitize=thread)

# install PREFIX DESTDIR: make install from this build folder.
install_to() {
	make -C "$src" --no-print-directory install BUILD="$build" PREFIX="$1" DESTDIR="$2" \
		>"$tmp/make.log" 2>&1
}

# PREFIX first (then the default, which the build folder keeps).
install_to /opt/npu "$tmp/opt"
expect_rc "make install PREFIX=/opt/npu" 0 $?
pc=$(find "$tmp/opt/opt/npu" -name libnpu.pc 2>/dev/null | head -1)
[[ -n $pc ]] && grep -qx 'prefix=/opt/npu' "$pc" && ok || bad "PREFIX=/opt/npu: libnpu.pc: $(cat "$pc" 2>/dev/null)"
[[ -x $tmp/opt/opt/npu/bin/npuctl ]] && ok || bad "PREFIX=/opt/npu: no bin/npuctl"
grep -qx 'ExecStart=/opt/npu/sbin/npud --foreground' "$tmp/opt/opt/npu/lib/systemd/system/npud.service" &&
	ok || bad "PREFIX=/opt/npu: npud.service: $(grep ExecStart "$tmp/opt/opt/npu/lib/systemd/system/npud.service" 2>&1)"

root=$tmp/root
install_to /usr/local "$root"
expect_rc "make install DESTDIR" 0 $?
pc=$(find "$root" -name libnpu.pc | head -1)
[[ -n $pc ]] && ok || bad "no libnpu.pc under $root: $(cd "$root" && find . | head -40)"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR=$root
libdir=$(pkg-config --variable=libdir libnpu) # pkgconf puts the sysroot in front; pkg-config does not
[[ $libdir == "$root"/* ]] || libdir=$root$libdir
[[ $(pkg-config --modversion libnpu) == 0.1.0 ]] && ok || bad "pkg-config version: $(pkg-config --modversion libnpu)"

p=$root/usr/local
for f in bin/npuctl sbin/npud include/npu/npu.h share/man/man1/npuctl.1 \
	share/man/man8/npud.8 share/man/man3/libnpu.3 lib/systemd/system/npud.service \
	lib/sysusers.d/npud.conf; do
	[[ -s $p/$f ]] && ok || bad "not installed: $f"
done
[[ -x $p/bin/npuctl && -x $p/sbin/npud ]] && ok || bad "programs not executable"
grep -qx 'ExecStart=/usr/local/sbin/npud --foreground' "$p/lib/systemd/system/npud.service" && ok ||
	bad "npud.service: $(grep ExecStart "$p/lib/systemd/system/npud.service" 2>&1)"
[[ -f $libdir/libnpu.so.0.1.0 && -L $libdir/libnpu.so.0 && -L $libdir/libnpu.so ]] && ok ||
	bad "library files: $(ls -l "$libdir" 2>&1)"
[[ $(readlink "$libdir/libnpu.so") == libnpu.so.0 && $(readlink "$libdir/libnpu.so.0") == libnpu.so.0.1.0 ]] &&
	ok || bad "library links: $(ls -l "$libdir")"
readelf -d "$libdir/libnpu.so.0.1.0" | grep -q 'SONAME.*\[libnpu\.so\.0\]' && ok ||
	bad "soname: $(readelf -d "$libdir/libnpu.so.0.1.0" | grep SONAME)"
"$p/bin/npuctl" --version | grep -q "^npuctl 0.1.0$" && ok || bad "installed npuctl --version"

# Exported: exactly the NPU_API functions of the installed headers, each of
# version NPU_0 (src/lib/libnpu.map).
nm -D --defined-only "$libdir/libnpu.so.0.1.0" | awk '$2 ~ /^[TtWDdBbRr]$/ {print $3}' |
	sort -u >"$tmp/exported_v"
sed 's/@@NPU_0$//' "$tmp/exported_v" >"$tmp/exported"
grep -v '@@NPU_0$' "$tmp/exported_v" >"$tmp/why" && bad "exported without version NPU_0: $(cat "$tmp/why")" || ok
python3 - "$p"/include/npu/*.h >"$tmp/api" <<'EOF'
import re, sys
names = set()
for path in sys.argv[1:]:
    text = re.sub(r"/\*.*?\*/", " ", open(path).read(), flags=re.S)
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))
    names.update(re.findall(r"\bNPU_API\s+[^;(]*?(\w+)\s*\(", text))
print("\n".join(sorted(names)))
EOF
[[ -s $tmp/api ]] && ok || bad "no NPU_API function found in the installed headers"
diff "$tmp/api" "$tmp/exported" >"$tmp/why" && ok || bad "exported symbols differ from the API (< API only, > exported only): $(cat "$tmp/why")"

# Man pages render without a warning.
for m in man1/npuctl.1 man8/npud.8 man3/libnpu.3; do
	LC_ALL=C MANWIDTH=80 man -l "$p/share/man/$m" >"$tmp/page" 2>"$tmp/err" && [[ ! -s $tmp/err && -s $tmp/page ]] &&
		ok || bad "man -l $m: $(cat "$tmp/err")"
done

# A program against the installed header and library, found through pkg-config.
cat >"$tmp/prog.c" <<'EOF'
#include <npu/npu.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct npu_open_opts o = { .device = "sim", .gen = "40xx" };
	struct npu_info info;
	struct npu_buf *dst, *cmd;
	struct npu_batch *b;
	uint32_t job, status = 99;
	const unsigned char *p;
	struct npu *n;

	if (npu_open(&o, &n)) {
		fprintf(stderr, "open: %s\n", npu_last_error(NULL));
		return 1;
	}
	if (npu_query(n, &info) || npu_buf_create(n, 65536, 0, &dst) ||
	    npu_buf_create(n, npu_batch_size(n, 2, 0), 0, &cmd) || npu_batch_begin(cmd, 2, &b) ||
	    npu_batch_fill(b, npu_buf_va(dst), 65536, 0x5a5a5a5a) || npu_batch_end(b) ||
	    npu_submit(n, cmd, &dst, 1, &job) || npu_wait(n, job, 10000, &status)) {
		fprintf(stderr, "job: %s\n", npu_last_error(n));
		return 1;
	}
	p = npu_buf_ptr(dst);
	for (size_t i = 0; i < 65536; i++)
		if (p[i] != 0x5a)
			return 2;
	printf("libnpu %s %s %s status %u\n", npu_version(), info.generation, info.pci_address,
	       status);
	npu_close(n);
	return 0;
}
EOF
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "${cflags[@]}" -o "$tmp/prog" "$tmp/prog.c" $(pkg-config --cflags --libs libnpu) 2>"$tmp/err"
expect_rc "compile against the installed libnpu" 0 $?
LD_LIBRARY_PATH=$libdir ldd "$tmp/prog" | grep -q "libnpu.so.0 => $libdir/libnpu.so.0 " && ok ||
	bad "prog does not take the installed libnpu: $(LD_LIBRARY_PATH=$libdir ldd "$tmp/prog")"
LD_LIBRARY_PATH=$libdir "$tmp/prog" >"$tmp/out" 2>"$tmp/err"
expect_rc "run against the installed libnpu" 0 $?
grep -qx "libnpu 0.1.0 40xx sim status 0" "$tmp/out" && ok || bad "prog output: $(cat "$tmp/out")"

# The example of libnpu(3), as the installed page gives it.
sed -n '/^\.EX$/,/^\.EE$/p' "$p/share/man/man3/libnpu.3" | sed '1d;$d; s/\\e/\\/g' >"$tmp/example.c"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "${cflags[@]}" -o "$tmp/example" "$tmp/example.c" $(pkg-config --cflags --libs libnpu) 2>"$tmp/err"
expect_rc "compile the libnpu(3) example" 0 $?
LD_LIBRARY_PATH=$libdir "$tmp/example" >"$tmp/out" 2>"$tmp/err"
expect_rc "run the libnpu(3) example" 0 $?
grep -qx "status success, first byte 0xa5" "$tmp/out" && ok || bad "example output: $(cat "$tmp/out")"

# The product alone, as a machine without the test tools builds it: a second
# tree configured with BUILD_TESTING=OFF where cmocka cannot be found, an
# absolute libdir, and make install from it. No test is built; libnpu.pc
# gives the install dirs as they are.
cmocka_h=$(echo '#include <cmocka.h>' | cc -xc -E -M - 2>/dev/null | tr ' ' '\n' | grep '/cmocka\.h$' | head -1)
cmocka_so=$(cc -print-file-name=libcmocka.so)
hide="$(dirname "${cmocka_h:-/usr/include/cmocka.h}");$(dirname "$cmocka_so")"
b2=$tmp/product
cmake -S "$src" -B "$b2" -DBUILD_TESTING=OFF -DCMAKE_IGNORE_PATH="$hide" -DNPU_WERROR=ON \
	-DCMAKE_INSTALL_PREFIX=/opt/npu2 -DCMAKE_INSTALL_LIBDIR=/opt/npu2/lib/x86_64 \
	-DCMAKE_INSTALL_INCLUDEDIR=/opt/npu2/include >"$tmp/err" 2>&1
expect_rc "configure with BUILD_TESTING=OFF, cmocka hidden" 0 $?
grep -q '^CMOCKA' "$b2/CMakeCache.txt" && bad "BUILD_TESTING=OFF still looked for cmocka" || ok
# The same hiding works: with the tests on, the configure stops and says why.
cmake -S "$src" -B "$tmp/withtests" -DCMAKE_IGNORE_PATH="$hide" >"$tmp/err" 2>&1
expect_rc "configure with the tests, cmocka hidden" 1 $?
grep -q "cmocka not found" "$tmp/err" && ok || bad "no word on the missing cmocka: $(tail -5 "$tmp/err")"
make -C "$src" --no-print-directory install BUILD="$b2" PREFIX=/opt/npu2 DESTDIR="$tmp/r2" \
	>"$tmp/make2.log" 2>&1
expect_rc "make install from the BUILD_TESTING=OFF tree ($(tail -3 "$tmp/make2.log"))" 0 $?
find "$b2" -path '*/CMakeFiles' -prune -o -type f -perm -u+x -print | sed "s|^$b2/||" | sort >"$tmp/built"
printf '%s\n' libnpu.so.0.1.0 npu-vfio-user npuctl npud >"$tmp/want"
diff "$tmp/want" "$tmp/built" >"$tmp/why" && ok || bad "built besides the product (< missing, > extra): $(cat "$tmp/why")"
[[ -f $tmp/r2/opt/npu2/lib/x86_64/libnpu.so.0.1.0 && -s $tmp/r2/opt/npu2/include/npu/npu.h ]] && ok ||
	bad "absolute libdir: $(cd "$tmp/r2" && find . -name 'libnpu*')"
pc2=$tmp/r2/opt/npu2/lib/x86_64/pkgconfig/libnpu.pc
got=$(PKG_CONFIG_PATH=$(dirname "$pc2") PKG_CONFIG_SYSROOT_DIR='' pkg-config --cflags --libs libnpu 2>&1 | sed 's/ *$//')
[[ $got == "-I/opt/npu2/include -L/opt/npu2/lib/x86_64 -lnpu" ]] && ok ||
	bad "pkg-config with an absolute libdir: '$got' from: $(cat "$pc2" 2>&1)"

finish
