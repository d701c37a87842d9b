#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# npu-vfio-user as a program (docs/man/npu-vfio-user.1): its options and usage
# errors, a client speaking vfio-user to it (VERSION, then the device's PCI ID
# from config space, QEMU's docs/interop/vfio-user.rst), the hang control by
# signal, the recording, and a clean stop on SIGTERM.
set -uo pipefail
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/lib.sh"

server=${NPU_VFIO_USER:?NPU_VFIO_USER must name the npu-vfio-user binary}

"$server" --help >"$tmp/out" 2>"$tmp/err"
expect_rc "--help" 0 $?
if grep -q -- "--socket PATH" "$tmp/out"; then ok; else bad "--help does not show --socket"; fi

for args in "" "--gen 50xx --socket $tmp/s" "--gen 37xx --pci-id 643e --socket $tmp/s" \
	"--bogus --socket $tmp/s" "--socket $tmp/s extra"; do
	# shellcheck disable=SC2086 # the arguments split on purpose
	"$server" $args >"$tmp/out" 2>"$tmp/err"
	expect_rc "usage error '$args'" 2 $?
	if grep -q "Try 'npu-vfio-user --help'" "$tmp/err"; then ok; else bad "'$args': no hint: $(cat "$tmp/err")"; fi
done
"$server" --socket "$tmp/s" --firmware "$tmp/none.bin" >"$tmp/out" 2>"$tmp/err"
expect_rc "missing --firmware file" 1 $?
touch "$tmp/file"
"$server" --socket "$tmp/file" >"$tmp/out" 2>"$tmp/err"
expect_rc "--socket on a file that is not a socket" 1 $?
if [[ -f $tmp/file ]]; then ok; else bad "the file at --socket was removed"; fi

# A served device: a client's VERSION and config read, then the controls.
sock=$tmp/npu.sock
"$server" --gen 40xx --socket "$sock" --record "$tmp/rec" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	[[ -S $sock ]] && break
	sleep 0.05
done
if [[ -S $sock ]]; then ok; else bad "no socket at $sock: $(cat "$tmp/log")"; fi

python3 - "$sock" >"$tmp/client" 2>&1 <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
def call(mid, cmd, payload):
    s.sendall(struct.pack('<HHIII', mid, cmd, 16 + len(payload), 0, 0) + payload)
    hdr = b''
    while len(hdr) < 16:
        hdr += s.recv(16 - len(hdr))
    rid, rcmd, size, flags, err = struct.unpack('<HHIII', hdr)
    body = b''
    while len(body) < size - 16:
        body += s.recv(size - 16 - len(body))
    assert rid == mid and rcmd == cmd and flags & 0xF == 1, (rid, rcmd, flags)
    return err, body
err, body = call(1, 1, struct.pack('<HH', 0, 0) + b'{}\0')
print('version', err, body[:4].hex(), body[4:].rstrip(b'\0').decode())
err, body = call(2, 9, struct.pack('<QII', 0, 7, 4))  # config space, vendor and device
print('id', err, '%08x' % struct.unpack('<I', body[16:20])[0])
err, body = call(3, 9, struct.pack('<QII', 0, 0, 4096 * 1024 * 64))  # too much at once
print('big', err)
PY
if grep -q "^version 0 00000000 {\"capabilities\"" "$tmp/client"; then ok; else bad "VERSION: $(cat "$tmp/client")"; fi
if grep -q "^id 0 643e8086$" "$tmp/client"; then ok; else bad "config ID: $(cat "$tmp/client")"; fi
if grep -q "^big 22$" "$tmp/client"; then ok; else bad "an oversized read is not EINVAL: $(cat "$tmp/client")"; fi

kill -USR1 "$pid"
kill -USR2 "$pid"
sleep 0.3
if grep -q "hang-job fault on" "$tmp/log"; then ok; else bad "SIGUSR1 not told: $(cat "$tmp/log")"; fi
if grep -q "fault injection off" "$tmp/log"; then ok; else bad "SIGUSR2 not told: $(cat "$tmp/log")"; fi
kill -TERM "$pid"
wait "$pid"
expect_rc "stop on SIGTERM" 0 $?
if [[ ! -e $sock ]]; then ok; else bad "the socket is left behind"; fi
if grep -q '"boots":0' "$tmp/rec/counts.json" 2>/dev/null; then ok; else bad "no counts.json in the record: $(ls "$tmp/rec" 2>&1)"; fi

finish
