#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compares two records of the simulated NPU (docs/virtual-npu.md, "Recording"):
what two drivers gave the same device, e.g. Linux's ivpu through npu-vfio-user
--record and npud's driver through NPU_SIM_RECORD.

Usage: scripts/record-compare.py [--boot N] [--json] DIR_A DIR_B

- Boot parameters: the page of boot N (default 1) of each, field by field, the
  fields named from src/hw/boot_params.h (its NPU_BP_OFF lines). Fields that
  differ by nature (buffer addresses each driver chooses, clocks) are listed as
  "expected"; any other difference is listed as "different".
- JSM messages: the message types each side sent and received, with counts.
- Register accesses: reads and writes per boot, per job and per interrupt
  (counts.json's phases divided by its boots, jobs and interrupts).

Exit status: 0 when no boot-parameter field differs other than by nature, 1
when one does, 2 on a usage error or an unreadable record.
"""
import json
import os
import re
import sys

# Fields that two correct drivers fill differently: addresses of buffers each
# driver places itself, and clocks.
BY_NATURE = {
    "ipc_header_area_start": "address",
    "shared_region_base": "address",
    "ipc_payload_area_start": "address",
    "crit_tracing_buff_addr": "address",
    "verbose_tracing_buff_addr": "address",
    "system_time_us": "clock",
    "d0i3_entry_vpu_ts": "clock",
    "device_time_delta_ticks": "clock",
}

HERE = os.path.dirname(os.path.abspath(__file__))
# The field table of docs/boot-params.md (offset and Intel's name, from vpu_boot_api.h).
BOOT_PARAMS_DOC = os.path.join(HERE, "..", "docs/boot-params.md")


def fields():
    text = open(BOOT_PARAMS_DOC).read()
    offs = sorted(
        {
            (int(m.group(1), 16), m.group(2).strip())
            for m in re.finditer(r"^\| 0x([0-9a-fA-F]+) \| ([^|]+?) \|", text, re.M)
        }
    )
    out = []
    for i, (off, name) in enumerate(offs):
        end = offs[i + 1][0] if i + 1 < len(offs) else 4096
        out.append((off, end, name))
    return out


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
            seq, frm, ch, typ, rid, result, _ = line.split()
            msgs.append((int(seq), frm, int(ch), int(typ, 16), int(rid), int(result, 16)))
    return msgs


def per(counts, phase, events):
    p = counts["phases"][phase]
    n = counts[events]
    if not n:
        return None
    return {"reads": round(p["reads"] / n, 1), "writes": round(p["writes"] / n, 1)}


def compare(a, b, boot):
    report = {"boot_params": [], "jsm": {}, "registers": {}}
    pa = load_hex(os.path.join(a, f"boot-params-{boot}.hex"))
    pb = load_hex(os.path.join(b, f"boot-params-{boot}.hex"))
    for off, end, name in fields():
        va, vb = bytes(pa[off:end]), bytes(pb[off:end])
        if va != vb:
            report["boot_params"].append({
                "offset": f"0x{off:03x}",
                "field": name,
                "a": va.hex() if len(va) > 8 else hex(int.from_bytes(va, "little")),
                "b": vb.hex() if len(vb) > 8 else hex(int.from_bytes(vb, "little")),
                "kind": BY_NATURE.get(name, "different"),
            })
    for side, d in (("a", a), ("b", b)):
        seen = {}
        for _, frm, _, typ, _, _ in load_jsm(os.path.join(d, "jsm.log")):
            key = f"{frm} 0x{typ:04x}"
            seen[key] = seen.get(key, 0) + 1
        report["jsm"][side] = seen
        with open(os.path.join(d, "counts.json")) as f:
            c = json.load(f)
        report["registers"][side] = {
            "boots": c["boots"], "jobs": c["jobs"], "interrupts": c["interrupts"],
            "per_boot": per(c, "boot", "boots"),
            "per_job": per(c, "job", "jobs"),
            "per_interrupt": per(c, "interrupt", "interrupts"),
        }
    return report


def main(argv):
    boot, as_json, dirs = 1, False, []
    args = iter(argv)
    for arg in args:
        if arg == "--boot":
            boot = int(next(args, "0"))
        elif arg == "--json":
            as_json = True
        elif arg in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            dirs.append(arg)
    if len(dirs) != 2 or boot < 1:
        print("usage: record-compare.py [--boot N] [--json] DIR_A DIR_B", file=sys.stderr)
        return 2
    try:
        report = compare(dirs[0], dirs[1], boot)
    except (OSError, ValueError, KeyError) as e:
        print(f"record-compare: {e}", file=sys.stderr)
        return 2
    unexpected = [f for f in report["boot_params"] if f["kind"] == "different"]
    if as_json:
        print(json.dumps(report, indent=1))
    else:
        print(f"boot parameters of boot {boot}: {len(report['boot_params'])} field(s) differ, "
              f"{len(unexpected)} not by nature")
        for f in report["boot_params"]:
            print(f"  {f['offset']} {f['field']:36} {f['a']:>20} {f['b']:>20}  {f['kind']}")
        for side in ("a", "b"):
            jsm = ", ".join(f"{k} x{v}" for k, v in sorted(report["jsm"][side].items()))
            print(f"JSM {side}: {jsm or 'none'}")
            r = report["registers"][side]
            print(f"registers {side}: {r['boots']} boot(s), {r['jobs']} job(s), "
                  f"{r['interrupts']} interrupt(s); per boot {r['per_boot']}, "
                  f"per job {r['per_job']}, per interrupt {r['per_interrupt']}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
