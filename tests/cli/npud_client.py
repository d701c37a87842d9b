#!/usr/bin/env python3
"""A client of npud's socket speaking src/server/proto.h directly, for the CLI tests.

Commands (each exits 0 on success, 1 with a FAIL line otherwise):
  pid SOCK                 print the pid of the server at SOCK (SO_PEERCRED)
  smoke SOCK               hello, query, shared buffer, a timestamp job, status
  fill SOCK MIB PATTERN    fill MIB MiB with a 32-bit pattern on the NPU, check every byte
  flood SOCK JOBS MIB [N]  queue JOBS jobs of N fills (1) of MIB MiB, print "queued", sleep
  hold SOCK JOBS           queue JOBS jobs that wait on a fence, print "queued", sleep;
                           SIGUSR1 sets the fence (from the CPU, in the shared buffer)
  denied SOCK              the first request is refused with EACCES and a message
  garbage SOCK ROUNDS      ROUNDS rounds of malformed and hostile connections
  limit SOCK N MAX         of N idle connections npud keeps MAX and closes the rest at once
  status SOCK              print the status JSON
  kill-busy SOCK PID NAME  SIGKILL PID as soon as its client NAME has a job queued or
                           more than 1 MiB of buffers (within 10 s); say which
  reset SOCK STATUS        RESET gets STATUS (0, or -1 for EPERM)
  notify-listen ADDR FILE  receive notify datagrams at ADDR ('@' = abstract), append to FILE
"""
import json
import mmap
import os
import random
import signal
import socket
import struct
import sys
import time

REQ_MAGIC, RSP_MAGIC, VERSION = 0x5155504E, 0x5255504E, 1
REQ_MAX, RSP_MAX = 4096, 65536
HELLO, QUERY, BUF_CREATE, BUF_FREE, BUF_MAP, SUBMIT, WAIT, JOB_QUERY, STATUS, RESET = range(1, 11)
REQ_HDR = struct.Struct("<IHHII")
RSP_HDR = struct.Struct("<IHHIIiI")
CMD_TIMESTAMP, CMD_FENCE_WAIT, CMD_MEMORY_FILL = 0x0100, 0x0101, 0x0202
FILL_CHUNK = 16 << 20  # the 40xx limit per MEMORY_FILL command


class Fail(Exception):
    pass


def connect(path, timeout=10.0):
    """A SEQPACKET connection to path. With a timeout Python connects without
    blocking, and a listen backlog that is full for a moment (npud busy with a
    flood) then fails at once with EAGAIN, where a blocking client would wait:
    so try again until the timeout."""
    deadline = time.time() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(timeout)
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            s.close()
            if time.time() >= deadline:
                raise
            time.sleep(0.01)


def req(op, payload=b"", seq=1, version=VERSION, magic=REQ_MAGIC, size=None):
    size = REQ_HDR.size + len(payload) if size is None else size
    return REQ_HDR.pack(magic, version, op, size, seq) + payload


def hello_payload(name=b"npud_client", vmin=1, vmax=1):
    return struct.pack("<IIII32s", vmin, vmax, 0, 0, name)


class Client:
    def __init__(self, path, timeout=10.0):
        self.s = connect(path, timeout)
        self.seq = 0

    def call(self, op, payload=b"", want_fd=False):
        """One request; returns (status, body, fd or None)."""
        self.seq += 1
        self.s.sendall(req(op, payload, seq=self.seq))
        fds = []
        msg, anc, flags, _ = self.s.recvmsg(RSP_MAX, socket.CMSG_SPACE(4 * 4))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds += struct.unpack("<%di" % (len(data) // 4), data[: len(data) // 4 * 4])
        if not msg:
            raise Fail("op %d: the connection was closed" % op)
        if flags & socket.MSG_TRUNC or len(msg) < RSP_HDR.size:
            raise Fail("op %d: a reply of %d bytes is not a reply" % (op, len(msg)))
        magic, version, rop, size, seq, status, _ = RSP_HDR.unpack_from(msg)
        if magic != RSP_MAGIC or rop != op or seq != self.seq or size != len(msg):
            raise Fail("op %d: bad reply header %r" % (op, RSP_HDR.unpack_from(msg)))
        if fds and not want_fd:
            for fd in fds:
                os.close(fd)
            raise Fail("op %d: a reply carried %d fds" % (op, len(fds)))
        return status, msg[RSP_HDR.size:], (fds[0] if fds else None)

    def ok(self, op, payload=b"", want_fd=False):
        status, body, fd = self.call(op, payload, want_fd)
        if status != 0:
            raise Fail("op %d: status %d: %s" % (op, status, body.decode(errors="replace")))
        return body, fd

    def hello(self, name=b"npud_client"):
        body, _ = self.ok(HELLO, hello_payload(name))
        return struct.unpack("<IIIIQ", body)

    def buf_create(self, size):
        body, fd = self.ok(BUF_CREATE, struct.pack("<QII", size, 0, 0), want_fd=True)
        handle, _, va, rsize = struct.unpack("<IIQQ", body)
        if fd is None:
            raise Fail("buf-create: no memfd came with the reply")
        mem = mmap.mmap(fd, rsize, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        os.close(fd)
        return handle, va, rsize, mem

    def submit(self, cmd, bufs):
        body, _ = self.ok(SUBMIT, struct.pack("<II%dI" % len(bufs), cmd, len(bufs), *bufs))
        return struct.unpack("<II", body)[0]

    def wait(self, job, timeout_ms=20000):
        body, _ = self.ok(WAIT, struct.pack("<II", job, timeout_ms))
        job_id, done, status, _ = struct.unpack("<IIII", body)
        if job_id != job or not done:
            raise Fail("wait: job 0x%x not done" % job)
        return status

    def status(self):
        body, _ = self.ok(STATUS, struct.pack("<II", 0, 0))
        return json.loads(body.decode())

    def close(self):
        self.s.close()


def cmd_buffer(mem, va, cmds):
    """A batch buffer: 48-byte header, the commands, the context save area after them."""
    body = b"".join(cmds)
    cap = (48 + len(body) + 63) // 64 * 64
    hdr = struct.pack("<IIIIQQQQ", 48 + len(body), 48, 0, 0, 0, 0, 0, va + cap)
    mem[: cap + 64] = bytes(cap + 64)
    mem[: 48 + len(body)] = hdr + body


def fill_cmds(va, size, pattern):
    out = []
    while size:
        n = min(size, FILL_CHUNK)
        out.append(struct.pack("<HHIQQII", CMD_MEMORY_FILL, 32, 0, va, n, pattern, 0))
        va, size = va + n, size - n
    return out


def smoke(path):
    c = Client(path)
    version, client_id, max_bufs, max_jobs, max_bytes = c.hello(b"smoke")
    if version != 1 or not client_id or not max_bufs or not max_jobs or not max_bytes:
        raise Fail("hello reply %r" % ((version, client_id, max_bufs, max_jobs, max_bytes),))
    q, _ = c.ok(QUERY)
    gen = q[:8].rstrip(b"\0").decode()
    if gen not in ("37xx", "40xx"):
        raise Fail("query: generation %r" % gen)
    # Shared memory: what BUF_MAP gives is the memory BUF_CREATE gave.
    h, va, size, mem = c.buf_create(8192)
    mem[:16] = b"npud shared page"
    body, fd = c.ok(BUF_MAP, struct.pack("<II", h, 0), want_fd=True)
    mem2 = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ)
    os.close(fd)
    if mem2[:16] != b"npud shared page" or struct.unpack("<IIQQ", body)[2] != va:
        raise Fail("buf-map: not the same memory")
    mem2.close()
    # A timestamp job writes into a buffer the client reads without a copy.
    ch, cva, _, cmem = c.buf_create(4096)
    th, tva, _, tmem = c.buf_create(4096)
    cmd_buffer(cmem, cva, [struct.pack("<HHIQ", CMD_TIMESTAMP, 16, 0, tva)])
    job = c.submit(ch, [th])
    st = c.wait(job)
    if st != 0 or struct.unpack_from("<Q", tmem)[0] == 0:
        raise Fail("timestamp job: status %d, value %d" % (st, struct.unpack_from("<Q", tmem)[0]))
    for b in (h, ch, th):
        c.ok(BUF_FREE, struct.pack("<II", b, 0))
    c.status()
    for m in (mem, cmem, tmem):
        m.close()
    c.close()
    print("smoke: ok (%s, client %d)" % (gen, client_id))


def fill(path, mib, pattern):
    c = Client(path, timeout=60)
    c.hello(b"fill-%08x" % pattern)
    size = mib << 20
    dh, dva, _, dmem = c.buf_create(size)
    ch, cva, _, cmem = c.buf_create(4096)
    cmd_buffer(cmem, cva, fill_cmds(dva, size, pattern))
    st = c.wait(c.submit(ch, [dh]), 60000)
    want = struct.pack("<I", pattern) * (size // 4)
    if st != 0 or dmem[:size] != want:
        raise Fail("fill 0x%08x: status %d, the buffer does not hold the pattern" % (pattern, st))
    print("fill 0x%08x: ok" % pattern)


def flood(path, jobs, mib, repeat):
    c = Client(path, timeout=60)
    c.hello(b"flood")
    size = mib << 20
    dh, dva, _, _ = c.buf_create(size)
    ch, cva, _, cmem = c.buf_create(4096)
    cmd_buffer(cmem, cva, fill_cmds(dva, size, 0x5A5A5A5A) * repeat)
    for _ in range(jobs):
        c.submit(ch, [dh])
    print("queued", flush=True)
    time.sleep(600)


def hold(path, jobs):
    c = Client(path, timeout=60)
    c.hello(b"hold")
    fh, fva, _, fmem = c.buf_create(4096)
    dh, dva, _, _ = c.buf_create(1 << 20)
    ch, cva, _, cmem = c.buf_create(4096)
    wait = struct.pack("<HHIQQ", CMD_FENCE_WAIT, 24, 0, fva, 1)
    cmd_buffer(cmem, cva, [wait] + fill_cmds(dva, 1 << 20, 0x77777777))
    for _ in range(jobs):
        c.submit(ch, [fh, dh])

    def release(signum, frame):
        fmem[:8] = struct.pack("<Q", 1)

    signal.signal(signal.SIGUSR1, release)
    print("queued", flush=True)
    time.sleep(600)


def denied(path):
    c = Client(path)
    status, body, _ = c.call(HELLO, hello_payload(b"denied"))
    if status != -13 or not body:
        raise Fail("expected EACCES with a message, got %d %r" % (status, body))
    if c.s.recv(RSP_MAX) != b"":
        raise Fail("the connection stayed open after EACCES")
    print("denied: %s" % body.decode())


def hostile(path, kind, rng, keep):
    """One connection doing one hostile thing; connections in keep stay open."""
    s = connect(path, 5)
    s.setblocking(False)
    hello = req(HELLO, hello_payload(b"hostile"))
    msgs = {
        "random": [os.urandom(rng.randint(1, REQ_MAX))],
        "short": [req(HELLO, hello_payload())[: rng.randint(1, REQ_HDR.size - 1)]],
        "oversized": [req(HELLO, os.urandom(rng.randint(REQ_MAX, 60000)))],
        "wrong-size": [req(HELLO, hello_payload(), size=rng.choice([0, 15, 17, 47, 65, 1 << 31]))],
        "bad-magic": [req(HELLO, hello_payload(), magic=rng.getrandbits(32))],
        "bad-version": [req(HELLO, hello_payload(), version=rng.choice([0, 2, 0xFFFF]))],
        "unknown-op": [req(rng.choice([0, 11, 200, 0xFFFF]), os.urandom(rng.randint(0, 64)))],
        "before-hello": [req(rng.choice([QUERY, BUF_CREATE, SUBMIT, WAIT, STATUS, RESET]))],
        "bad-hello": [req(HELLO, os.urandom(rng.randint(0, 100)))],
        "hello-garbage": [hello] + [os.urandom(rng.randint(1, 512)) for _ in range(3)],
        "hello-bad-ops": [hello,
                          req(BUF_CREATE, struct.pack("<QII", 1 << 60, 0, 0), seq=2),
                          req(BUF_CREATE, struct.pack("<QII", 0, 7, 9), seq=3),
                          req(BUF_FREE, struct.pack("<II", rng.getrandbits(32), 0), seq=4),
                          req(BUF_MAP, struct.pack("<II", 1, 0), seq=5),
                          req(SUBMIT, struct.pack("<II", 1, 0xFFFFFFFF), seq=6),
                          req(SUBMIT, struct.pack("<II", 1, 3) + b"\1\0\0\0", seq=7),
                          req(WAIT, struct.pack("<II", rng.getrandbits(32), 0xFFFFFFFF), seq=8),
                          req(JOB_QUERY, struct.pack("<II", 7, 0), seq=9),
                          req(STATUS, struct.pack("<II", 5, 0), seq=10),
                          req(RESET, b"x", seq=11)],
        "empty": [b""],
        "close": [],
        "never-read": [hello] + [req(STATUS, struct.pack("<II", 0, 0), seq=i)
                                 for i in range(2, 1200)],
        "fds": [hello],
        "idle": [],
    }[kind]
    for i, m in enumerate(msgs):
        try:
            if kind == "fds" and i == 0:
                # Descriptors sent to npud must not stay open in it.
                fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(4)]
                s.sendmsg([m], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("4i", *fds))])
                for fd in fds:
                    os.close(fd)
            else:
                s.send(m)
        except (BlockingIOError, BrokenPipeError, ConnectionResetError, OSError):
            break
    if kind in ("never-read", "idle"):
        keep.append(s)
    else:
        s.close()


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def settled_fd_count(pid):
    """The fd count once npud has seen the hang-ups of the connections before."""
    last, since = fd_count(pid), time.time()
    while time.time() - since < 0.5:
        time.sleep(0.05)
        if fd_count(pid) != last:
            last, since = fd_count(pid), time.time()
    return last


def garbage(path, rounds):
    rng = random.Random(int(os.environ.get("NPUD_TEST_SEED", "1")))
    pid = server_pid(path)
    kinds = ["random", "short", "oversized", "wrong-size", "bad-magic", "bad-version",
             "unknown-op", "before-hello", "bad-hello", "hello-garbage", "hello-bad-ops",
             "empty", "close", "never-read", "fds", "idle"]
    keep = []
    smoke(path)
    base = settled_fd_count(pid)
    n = 0
    for _ in range(rounds):
        for kind in kinds:
            hostile(path, kind, rng, keep)
            n += 1
        if len(keep) > 40:  # stays under the connection limit the test gives npud
            for s in keep:
                s.close()
            keep = []
    # While the idle and never-reading connections are still open, others are served.
    # First npud must have seen the hang-ups of the rest: until then they count
    # against its connection limit (a slow build takes a while to get there).
    settled_fd_count(pid)
    smoke(path)
    for s in keep:
        s.close()
    # Every connection is gone and npud holds no descriptor more than before.
    deadline = time.time() + 10
    while fd_count(pid) != base and time.time() < deadline:
        time.sleep(0.05)
    if fd_count(pid) != base:
        raise Fail("npud holds %d fds after the garbage, %d before: %s"
                   % (fd_count(pid), base, sorted(os.listdir("/proc/%d/fd" % pid))))
    smoke(path)
    print("garbage: %d hostile connections, npud serving, %d fds as before" % (n, base))


def limit(path, n, most):
    conns = []
    for _ in range(n):
        conns.append(connect(path))
    closed = 0
    deadline = time.time() + 10
    while time.time() < deadline:
        closed = 0
        for s in conns:
            s.setblocking(False)
            try:
                closed += s.recv(16) == b""
            except BlockingIOError:
                pass
        if closed >= n - most:
            break
        time.sleep(0.05)
    if closed != n - most:
        raise Fail("%d of %d connections were closed, not %d" % (closed, n, n - most))
    for s in conns:
        s.close()
    print("limit: %d kept, %d closed at once" % (n - closed, closed))


def kill_busy(path, pid, name):
    """The kill comes at the first sight of the client's large buffers or its
    job, whichever is seen first: a 64 MiB copy is over in milliseconds, too
    quickly to be sure of seeing its job queued. The deterministic mid-job kill
    (jobs held on a fence) is test_npud_clients' first case."""
    c = Client(path)
    c.hello(b"watcher")
    deadline = time.time() + 10
    while time.time() < deadline:
        mine = [x for x in c.status()["clients"] if x.get("name") == name]
        if mine and (mine[0]["jobs_queued"] > 0 or mine[0]["memory_bytes"] > (1 << 20)):
            os.kill(pid, signal.SIGKILL)
            print("killed with %s" % ("a job in flight" if mine[0]["jobs_queued"] else
                                      "%d bytes of buffers" % mine[0]["memory_bytes"]))
            return
    raise Fail("client %s never showed buffers or jobs" % name)


def server_pid(path):
    s = connect(path)
    pid, _, _ = struct.unpack("3i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    s.close()
    return pid


def notify_listen(addr, out):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
    with open(out + ".bound", "w"):
        pass
    s.settimeout(60)
    while True:
        msg = s.recv(4096).decode()
        with open(out, "a") as f:
            f.write(msg + "\n")
        if "STOPPING=1" in msg:
            return


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "pid":
        print(server_pid(args[0]))
    elif cmd == "smoke":
        smoke(args[0])
    elif cmd == "fill":
        fill(args[0], int(args[1]), int(args[2], 0))
    elif cmd == "flood":
        flood(args[0], int(args[1]), int(args[2]), int(args[3]) if len(args) > 3 else 1)
    elif cmd == "hold":
        hold(args[0], int(args[1]))
    elif cmd == "denied":
        denied(args[0])
    elif cmd == "garbage":
        garbage(args[0], int(args[1]))
    elif cmd == "limit":
        limit(args[0], int(args[1]), int(args[2]))
    elif cmd == "reset":
        c = Client(args[0], timeout=30)
        c.hello(b"reset")
        status, body, _ = c.call(RESET)
        if status != int(args[1]):
            raise Fail("reset: status %d (%s), expected %s" % (status, body.decode(), args[1]))
        print("reset: %d %s" % (status, body.decode()))
    elif cmd == "kill-busy":
        kill_busy(args[0], int(args[1]), args[2])
    elif cmd == "status":
        c = Client(args[0])
        c.hello(b"status")
        print(json.dumps(c.status()))
    elif cmd == "notify-listen":
        notify_listen(args[0], args[1])
    else:
        raise Fail("unknown command %r" % cmd)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except (Fail, OSError) as e:
        print("FAIL: %s: %s" % (" ".join(sys.argv[1:2]), e))
        sys.exit(1)
