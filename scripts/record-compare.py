#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compares records of the simulated NPU (docs/virtual-npu.md, "Recording"):
what two drivers gave the same device, e.g. Linux's ivpu through npu-vfio-user
--record (DIR_A) and npud's driver through NPU_SIM_RECORD (DIR_B, and more
records of the same driver, whose JSM messages count together with DIR_B's).

Usage: scripts/record-compare.py [--boot N] [--gen 37xx|40xx] [--json | --json-out FILE]
       DIR_A DIR_B [DIR_B2 ...]
(--json-out FILE: the text on standard output and the JSON into FILE, from one comparison)

- Boot parameters: the page of boot N (default 1) of A and of B, field by
  field, the fields named from docs/boot-params.md's table.
- JSM messages: the message types each side sent and received, by channel and
  phase (boot, idle, job, recovery, other); for a type both sides have, the
  first message of each compared byte by byte, less its request id and the
  payload fields that are addresses or ids each driver chooses.
- Register accesses: reads and writes per boot, per job and per interrupt
  (counts.json's phases divided by its boots, jobs and interrupts), per record;
  and a job's whole path from regs.log: the job phase and the interrupts that
  deliver a JOB_DONE or come while a job runs, with the registers read there
  (named from src/hw's headers of --gen's generation).

Every difference is looked up in EXPLAINED below (the one list of the
differences that are not errors, each with its reason; docs/virtual-npu.md
restates it). Exit status: 0 when every difference is explained, 1 when one
is not, 2 on a usage error or an unreadable record.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BOOT_PARAMS_DOC = os.path.join(HERE, "..", "docs/boot-params.md")
JSM_HEADER = os.path.join(HERE, "..", "src/hw/jsm.h")

# The differences that are not errors, with why. Boot-parameter fields by name;
# JSM types as "SIDE NAME" (a type only one side has: "a" ivpu, "b" npud);
# payload fields as "NAME.field". A boot-parameter field listed here may differ
# in any way; nothing else may.
EXPLAINED = {
    # Boot parameters.
    "ipc_header_area_start": "address: each driver places its IPC buffers itself",
    "ipc_payload_area_start": "address: each driver places its IPC buffers itself",
    "shared_region_base": "address: each driver chooses its shared (uncached) region",
    "crit_tracing_buff_addr": "address: each driver places its log buffers itself",
    "verbose_tracing_buff_addr": "address: each driver places its log buffers itself",
    "system_time_us": "clock: the host's wall clock at boot",
    "d0i3_entry_vpu_ts": "clock: the NPU's timestamp at D0i3 entry",
    "device_time_delta_ticks": "clock: ticks between the D0i3 entry and the resume",
    "d0i3_residency_time_us": "clock: time spent in D0i3 before a warm boot",
    "global_aliased_pio_base": (
        "address: the range of user buffers, each driver's own (ivpu 6.12: 0xc0000000 on "
        "37xx, 0x80000000 on 40xx; 6.13 and later 0x88000000 on 37xx and nothing on 40xx, "
        "whose firmware does not use it, Linux commit 'accel/ivpu: Increase DMA address "
        "range'; npud 0xa0000000 on 37xx, 0x100000000 on 40xx)"),
    "global_aliased_pio_size": (
        "address: the size of that range (ivpu 6.12: 255 MiB on 37xx, 256 MiB on 40xx; "
        "6.13 and later 511 MiB on 37xx; npud 511 MiB on 37xx, 256 GiB on 40xx, which "
        "reads 0 in this 32-bit field)"),
    "perf_clk_frequency": (
        "Linux version: 6.12 sets ivpu's profiling clock only on 40xx (info_init_lnl) and "
        "writes 0 on 37xx; later kernels write the 38.4 MHz default on 37xx too "
        "(ivpu_hw_profiling_freq_drive), as npud does on both"),
    # JSM messages only ivpu sent: asked for by the guest's extra probes through
    # ivpu's debugfs and uAPI (tests/vm/guest_extras.c), which npud's runs do not make.
    "a ENGINE_RESET": "the guest's debugfs reset_engine; npud resets an engine only "
                      "inside its own recovery paths, none of which the run takes",
    "a ENGINE_RESET_DONE": "the reply to the guest's debugfs reset_engine",
    "a TRACE_GET_CAPABILITY": "the guest's debugfs fw_trace_capability; npud has no "
                              "firmware-trace control",
    "a TRACE_GET_CAPABILITY_RSP": "the reply to the guest's fw_trace_capability read",
    "a METRIC_STREAMER_INFO": "the guest's metric-streamer GET_INFO ioctl; npud has no "
                              "metric streamer",
    "a METRIC_STREAMER_INFO_DONE": "the model's NOT_IMPLEMENTED reply to it",
    "a DCT_ENABLE": "the guest's debugfs dct (40xx); npud sends DCT_ENABLE when the "
                    "buttress's PCODE asks for it (pm.c), which the run does not",
    "a DCT_ENABLE_DONE": "the reply to the guest's dct",
    "a DCT_DISABLE": "the guest's debugfs dct switched off (40xx); npud sends DCT_DISABLE "
                     "when the buttress's PCODE asks for it (pm.c), which the run does not",
    "a DCT_DISABLE_DONE": "the reply to the guest's dct switched off",
    # JSM header and payload fields, compared on the first message of a type.
    "request_id": "id: each driver counts its requests",
    "db_idx": "id: the doorbell each driver gives a context (both start at 1)",
    "host_ssid": "id: the SSID of the context the message is about",
    "jobq_base": "address: each driver places its job queues itself",
    "job_id": "id: ivpu numbers jobs per file from 1, npud by its queue slot",
    "heartbeat": "clock: the firmware's heartbeat counter",
    # Hardware scheduling (vpu_jsm_api.h: vpu_ipc_msg_payload_hws_create_cmdq and friends).
    "process_id": "id: the process a command queue belongs to (ivpu the task's pid, "
                  "npud 0: its clients are not the firmware's processes)",
    "cmdq_group": "id: the queue's group, each driver's own (ivpu the context id)",
    "cmdq_id": "id: each driver numbers its command queues itself",
    "cmdq_base": "address: each driver places its command queues itself",
    # How a context ends: SSID_RELEASE after (nearly) every UNREGISTER_DB on one side only.
    "b releases SSIDs at context close": (
        "npud sends SSID_RELEASE whenever it destroys a context, so the firmware drops its "
        "state for the SSID, as Linux did at file close in earlier kernels (file_priv_release: "
        "ivpu_jsm_context_release); 6.12 sends it only when it aborts a faulted context"),
}

# JSM fields (offset in the 128-byte message, size) that may differ as
# EXPLAINED says; the rest of a message must be the same. Offsets from Intel's
# vpu_jsm_api.h (docs/firmware-protocol.md §2): a 32-byte header (request_id
# at 16), then the payload.
JSM_FIELDS = {
    "*": [(16, 4, "request_id")],
    "REGISTER_DB": [(32, 4, "db_idx"), (40, 8, "jobq_base"), (52, 4, "host_ssid")],
    "UNREGISTER_DB": [(32, 4, "db_idx")],
    "SSID_RELEASE": [(32, 4, "host_ssid")],
    "REGISTER_DB_DONE": [(32, 4, "db_idx")],
    "UNREGISTER_DB_DONE": [(32, 4, "db_idx")],
    "SSID_RELEASE_DONE": [(32, 4, "host_ssid")],
    "JOB_DONE": [(36, 4, "db_idx"), (40, 8, "job_id"), (52, 4, "host_ssid")],
    "QUERY_ENGINE_HB_DONE": [(40, 8, "heartbeat")],
    "CREATE_CMD_QUEUE": [(32, 8, "process_id"), (40, 4, "host_ssid"), (48, 8, "cmdq_group"),
                         (56, 8, "cmdq_id"), (64, 8, "cmdq_base")],
    "CREATE_CMD_QUEUE_RSP": [(32, 8, "process_id"), (40, 4, "host_ssid"),
                             (48, 8, "cmdq_group"), (56, 8, "cmdq_id")],
    "DESTROY_CMD_QUEUE": [(32, 4, "host_ssid"), (40, 8, "cmdq_id")],
    "DESTROY_CMD_QUEUE_RSP": [(32, 4, "host_ssid"), (40, 8, "cmdq_id")],
    "HWS_REGISTER_DB": [(32, 4, "db_idx"), (36, 4, "host_ssid"), (40, 8, "cmdq_id"),
                        (48, 8, "cmdq_base")],
    "SET_CONTEXT_SCHED_PROPERTIES": [(32, 4, "host_ssid"), (40, 8, "cmdq_id")],
    "SET_CONTEXT_SCHED_PROPERTIES_RSP": [(32, 4, "host_ssid"), (40, 8, "cmdq_id")],
}

PHASE = {
    "PWR_D0I3_ENTER": "idle", "PWR_D0I3_ENTER_DONE": "idle",
    "DCT_ENABLE": "idle", "DCT_ENABLE_DONE": "idle",
    "DCT_DISABLE": "idle", "DCT_DISABLE_DONE": "idle",
    "REGISTER_DB": "job", "REGISTER_DB_DONE": "job", "UNREGISTER_DB": "job",
    "UNREGISTER_DB_DONE": "job", "JOB_DONE": "job", "SSID_RELEASE": "job",
    "SSID_RELEASE_DONE": "job", "QUERY_ENGINE_HB": "job", "QUERY_ENGINE_HB_DONE": "job",
    "STATE_DUMP": "recovery", "ENGINE_RESET": "recovery", "ENGINE_RESET_DONE": "recovery",
}


def fields():
    text = open(BOOT_PARAMS_DOC).read()
    offs = sorted({(int(m.group(1), 16), m.group(2).strip())
                   for m in re.finditer(r"^\| 0x([0-9a-fA-F]+) \| ([^|]+?) \|", text, re.M)})
    return [(off, offs[i + 1][0] if i + 1 < len(offs) else 4096, name)
            for i, (off, name) in enumerate(offs)]


def jsm_names():
    names = {}
    for m in re.finditer(r"NPU_JSM_MSG_(\w+) = 0x([0-9A-Fa-f]+)", open(JSM_HEADER).read()):
        names.setdefault(int(m.group(2), 16), m.group(1))
    return names


def load_hex(path):
    data = bytearray()
    with open(path) as f:
        for line in f:
            data += bytes(int(x, 16) for x in line.split()[1:])
    return data


def load_jsm(path):
    msgs = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            seq, frm, ch, typ, rid, result, data = line.split()
            msgs.append((frm, int(ch), int(typ, 16), bytes.fromhex(data)))
    return msgs


def per(counts, phase, events):
    p, n = counts["phases"][phase], counts[events]
    if not n:
        return None
    return {"reads": round(p["reads"] / n, 1), "writes": round(p["writes"] / n, 1)}


def show(v):
    v = v.rstrip(b"\0") or b"\0"
    return hex(int.from_bytes(v, "little")) if len(v) <= 8 else v.hex()


def masked(name, msg):
    """The message less its request id and the payload fields that are ids or addresses."""
    m = bytearray(msg)
    for off, size, field in JSM_FIELDS["*"] + JSM_FIELDS.get(name, []):
        if field in EXPLAINED:
            m[off:off + size] = b"\0" * size
    return bytes(m)


def compare(a, bs, boot, gen=None):
    names = jsm_names()
    rep = {"boot_params": [], "jsm": {}, "jsm_diff": [], "registers": {}}
    pa = load_hex(os.path.join(a, f"boot-params-{boot}.hex"))
    pb = load_hex(os.path.join(bs[0], f"boot-params-{boot}.hex"))
    for off, end, name in fields():
        va, vb = bytes(pa[off:end]), bytes(pb[off:end])
        if va != vb:
            why = EXPLAINED.get(name)
            rep["boot_params"].append({
                "offset": f"0x{off:03x}", "field": name, "a": show(va), "b": show(vb),
                "kind": why.split(":")[0] if why else "different", "reason": why})
    first = {"a": {}, "b": {}}
    for side, dirs in (("a", [a]), ("b", bs)):
        seen = {}
        for d in dirs:
            for frm, ch, typ, data in load_jsm(os.path.join(d, "jsm.log")):
                name = names.get(typ, f"0x{typ:04x}")
                key = f"{frm} {ch} {name}"
                seen[key] = seen.get(key, 0) + 1
                first[side].setdefault(key, (name, data))
        rep["jsm"][side] = seen
    # How contexts end: SSID_RELEASE per UNREGISTER_DB, each side.
    close = {}
    for side in ("a", "b"):
        unreg = sum(v for k, v in rep["jsm"][side].items() if k.startswith("host ")
                    and k.endswith(" UNREGISTER_DB"))
        rel = sum(v for k, v in rep["jsm"][side].items() if k.startswith("host ")
                  and k.endswith(" SSID_RELEASE"))
        close[side] = rel / unreg if unreg else None
    rep["ssid_release_per_unregister_db"] = close
    if close["a"] is not None and close["b"] is not None:
        for side, other in (("a", "b"), ("b", "a")):
            if close[side] >= 0.9 and close[other] < 0.5:
                name = f"{side} releases SSIDs at context close"
                rep["jsm_diff"].append({
                    "message": f"host SSID_RELEASE per UNREGISTER_DB {close['a']:.2f} / "
                               f"{close['b']:.2f}",
                    "phase": "job", "only": None, "bytes": "-", "a": "", "b": "",
                    "what": name, "reason": EXPLAINED.get(name)})
    for key in sorted(set(rep["jsm"]["a"]) | set(rep["jsm"]["b"])):
        name = key.split()[2]
        entry = {"message": key, "phase": PHASE.get(name, "other")}
        if key not in rep["jsm"]["b"] or key not in rep["jsm"]["a"]:
            side = "a" if key in rep["jsm"]["a"] else "b"
            entry.update(only=side, reason=EXPLAINED.get(f"{side} {name}"))
            rep["jsm_diff"].append(entry)
            continue
        ma, mb = masked(name, first["a"][key][1]), masked(name, first["b"][key][1])
        if ma != mb:
            where = [i for i in range(len(ma)) if ma[i] != mb[i]]
            entry.update(only=None, bytes=f"{where[0]}..{where[-1]}",
                         a=first["a"][key][1][32:56].hex(), b=first["b"][key][1][32:56].hex(),
                         reason=None)
            rep["jsm_diff"].append(entry)
    names = reg_names(gen)
    for side, dirs in (("a", [a]), ("b", bs)):
        for d in dirs:
            with open(os.path.join(d, "counts.json")) as f:
                c = json.load(f)
            r = rep["registers"][f"{side} {os.path.basename(os.path.normpath(d))}"] = {
                "boots": c["boots"], "jobs": c["jobs"], "interrupts": c["interrupts"],
                "per_boot": per(c, "boot", "boots"), "per_job": per(c, "job", "jobs"),
                "per_interrupt": per(c, "interrupt", "interrupts")}
            reads, writes, where, one = job_path(d)
            # The median: an interrupt signalled while the driver was busy elsewhere
            # (a boot, a recovery) has that work's accesses in its window too.
            r["one_message_interrupt"] = {
                "count": len(one), "median_reads": sorted(one)[len(one) // 2] if one else None}
            r["job_path"] = {"reads": round(reads / r["jobs"], 1) if r["jobs"] else None,
                             "writes": round(writes / r["jobs"], 1) if r["jobs"] else None,
                             "reads_by_register": {
                                 f"{names.get(k, '?')} (BAR{k[0]} 0x{k[1]:x})": v
                                 for k, v in sorted(where.items(), key=lambda kv: -kv[1])}}
    return rep


REG_HEADERS = {
    "37xx": (("regs_37xx.h", 0), ("regs_mmu.h", 0), ("regs_btrs_mtl.h", 4)),
    "40xx": (("regs_40xx.h", 0), ("regs_mmu.h", 0), ("regs_btrs_lnl.h", 4)),
}


def reg_names(gen):
    """Register names by (BAR, offset) from src/hw's headers (both generations' joined
    with / when gen is None)."""
    names = {}
    hdrs = REG_HEADERS[gen] if gen else REG_HEADERS["37xx"] + REG_HEADERS["40xx"]
    for hdr, bar in hdrs:
        text = open(os.path.join(HERE, "..", "src/hw", hdr)).read()
        for m in re.finditer(r"#define NPU_(?:37XX_|40XX_|BTRS_MTL_|BTRS_LNL_)?(\w+)\s+(0x[0-9A-Fa-f]+)u",
                             text):
            name = m.group(1)
            if name.endswith(("_MASK", "_SHIFT")) or "__" in name:
                continue
            key = (bar, int(m.group(2), 16))
            if name not in names.get(key, "").split("/"):
                names[key] = f"{names[key]}/{name}" if key in names else name
    return names


FIFO_ATM = (0, 0x200F4)  # HOST_SS_TIM_IPC_FIFO_ATM, BAR0, on 37xx and 40xx alike


def job_path(d):
    """Register accesses per job on the job's whole path: outside interrupts while a job
    runs (counts.json's job phase: READY, a doorbell rung since the last JOB_DONE) and
    inside the interrupts that come while a job runs, or after a JOB_DONE was posted
    (before the next doorbell), or during which one is posted or a doorbell rung (in-process
    the driver may serve the device before the model's irq event); with the
    registers read there and how often. Also the interrupts that deliver exactly one
    message (one HOST_SS_TIM_IPC_FIFO_ATM read, wherever they come): the reads of each, for
    the like-for-like figure of two drivers whose workloads differ."""
    done = sorted(int(f[0]) for f in (line.split() for line in open(os.path.join(d, "jsm.log")))
                  if f and not f[0].startswith("#") and f[1] == "fw" and f[3] == "0x2100")
    ready = busy = pending = False  # pending: a JOB_DONE posted, no interrupt since
    win = None  # the interrupt being served: [job related, accesses]
    reads = writes = nd = 0
    where = {}
    one = []  # the reads of each interrupt that popped one FIFO entry

    def count(accs):
        nonlocal reads, writes
        for rw, reg in accs:
            if rw == "R":
                reads += 1
                where[reg] = where.get(reg, 0) + 1
            else:
                writes += 1

    for line in open(os.path.join(d, "regs.log")):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        seq = int(f[0])
        while nd < len(done) and done[nd] < seq:
            nd += 1
            busy = False
            if win is not None:
                win[0] = True
            else:
                pending = True
        if f[1] == "event":
            if f[2] == "ready":
                ready = True
            elif f[2] == "stop":
                ready = busy = pending = False
            elif f[2] == "doorbell":
                busy, pending = True, False
                if win is not None:
                    win[0] = True
            elif f[2] == "irq":
                win, pending = [busy or pending, []], False
            elif f[2] == "irq-end" and win is not None:
                if win[0]:
                    count(win[1])
                if sum(1 for a in win[1] if a == ("R", FIFO_ATM)) == 1:
                    one.append(sum(1 for a in win[1] if a[0] == "R"))
                win = None
            continue
        acc = (f[1], (int(f[3]), int(f[4], 16)))
        if win is not None:
            win[1].append(acc)
        elif ready and busy:
            count([acc])
    return reads, writes, where, one


def main(argv):
    boot, as_json, json_out, dirs, gen = 1, False, None, [], None
    args = iter(argv)
    for arg in args:
        if arg == "--boot":
            boot = int(next(args, "0"))
        elif arg == "--gen":
            gen = next(args, "")
        elif arg == "--json":
            as_json = True
        elif arg == "--json-out":
            json_out = next(args, "")
        elif arg in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            dirs.append(arg)
    if (len(dirs) < 2 or boot < 1 or gen not in (None, "37xx", "40xx")
            or json_out == "" or (as_json and json_out)):
        print("usage: record-compare.py [--boot N] [--gen 37xx|40xx] [--json | --json-out FILE] "
              "DIR_A DIR_B [DIR_B2 ...]",
              file=sys.stderr)
        return 2
    try:
        rep = compare(dirs[0], dirs[1:], boot, gen)
    except (OSError, ValueError, KeyError) as e:
        print(f"record-compare: {e}", file=sys.stderr)
        return 2
    bad = [f for f in rep["boot_params"] if not f["reason"]]
    bad += [j for j in rep["jsm_diff"] if not j["reason"]]
    rep["unexplained"] = len(bad)
    if as_json:
        print(json.dumps(rep, indent=1))
        return 1 if bad else 0
    if json_out:
        try:
            with open(json_out, "w") as f:
                f.write(json.dumps(rep, indent=1) + "\n")
        except OSError as e:
            print(f"record-compare: {e}", file=sys.stderr)
            return 2
    print(f"boot parameters of boot {boot}: {len(rep['boot_params'])} field(s) differ")
    for f in rep["boot_params"]:
        print(f"  {f['offset']} {f['field']:28} {f['a']:>18} {f['b']:>18}  "
              f"{f['reason'] or 'UNEXPLAINED'}")
    print(f"JSM messages: {len(rep['jsm_diff'])} difference(s)")
    for j in rep["jsm_diff"]:
        what = (f"only {'A' if j['only'] == 'a' else 'B'}" if j["only"]
                else j["what"] if "what" in j
                else f"bytes {j['bytes']} differ (payload A {j['a']}, B {j['b']})")
        print(f"  {j['phase']:8} {j['message']:34} {what}: {j['reason'] or 'UNEXPLAINED'}")
    for side in ("a", "b"):
        jsm = ", ".join(f"{k} x{v}" for k, v in sorted(rep["jsm"][side].items()))
        print(f"JSM {side.upper()}: {jsm or 'none'}")
    for name, r in rep["registers"].items():
        print(f"registers {name}: {r['boots']} boot(s), {r['jobs']} job(s), "
              f"{r['interrupts']} interrupt(s); per boot {r['per_boot']}, "
              f"per job {r['per_job']}, per interrupt {r['per_interrupt']}")
        jp = r["job_path"]
        top = ", ".join(f"{k} {v}" for k, v in list(jp["reads_by_register"].items())[:6])
        print(f"  a job's whole path (its interrupts too): {jp['reads']} reads, "
              f"{jp['writes']} writes; reads there: {top or 'none'}")
        om = r["one_message_interrupt"]
        print(f"  an interrupt that delivers one message: {om['median_reads']} reads "
              f"(the median of {om['count']})")
    print(f"{len(bad)} unexplained difference(s)" if bad else "every difference is explained")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
