#!/usr/bin/env python3
"""Checks that an MMIO trace holds the given accesses in the given order.

Usage: trace_order.py TRACE EXPECT
EXPECT has one access pattern per line: "W 32 4 0x60 *" (fields of the trace
format; '*' matches any value). Blank lines and '#' comments are skipped. The
patterns must match trace lines in increasing order (other lines may come
between). Also checks every trace line is well formed.
"""
import re
import sys

LINE = re.compile(r"^[RW] (32|64) [04] 0x[0-9a-f]+ 0x[0-9a-f]+$")


def main():
    trace = open(sys.argv[1]).read().splitlines()
    expect = [l.split("#")[0].strip() for l in open(sys.argv[2])]
    expect = [e for e in expect if e]
    for n, line in enumerate(trace, 1):
        if not LINE.match(line):
            print(f"trace line {n} malformed: {line!r}")
            return 1
    pos = 0
    for e in expect:
        want = e.split()
        while pos < len(trace):
            got = trace[pos].split()
            pos += 1
            if all(w == "*" or w == g for w, g in zip(want, got)):
                break
        else:
            print(f"not found in order: {e!r} (trace has {len(trace)} lines)")
            return 1
    print(f"{len(expect)} accesses found in order among {len(trace)} trace lines")
    return 0


sys.exit(main())
