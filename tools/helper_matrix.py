#!/usr/bin/env python3
"""Measure which helper ids each program type may call on the running kernel (as root).

Loads `call ID; r0 = 0; exit` per type and id; a helper is unavailable when the verifier says
`program of this type cannot use helper`. Prints a Rust table for core/src/helpers/avail.rs.
"""
import sys
sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kload import load, PROG_TYPES
import struct

def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack('<BBhi', code, (src << 4) | dst, off, imm)

out = {}
for name, t in PROG_TYPES.items():
    ok = []
    for hid in range(1, 212):
        prog = insn(0x85, imm=hid) + insn(0xb7) + insn(0x95)
        fd, err, log = load(prog, t, 1)
        if 'cannot use helper' in log or 'invalid func' in log or 'unknown func' in log:
            continue
        ok.append(hid)
    out[name] = ok
print("// Measured on Linux 6.18 as root by tools/helper_matrix.py: helper ids each program type may call.")
for name, ok in out.items():
    print(f"pub const {name.upper()}: &[u16] = &{ok};")
