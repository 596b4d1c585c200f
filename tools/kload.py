#!/usr/bin/env python3
"""Load raw eBPF instructions into the running kernel and print the verdict and log.

usage: kload.py [--type socket_filter|xdp|kprobe|tracepoint] [--log N] HEX...
Each HEX is one 8-byte instruction as 16 hex digits (bytes in order). A probe for
developers: the differential tests do the same from Rust.
"""
import ctypes, os, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
SYS_bpf = 321
PROG_TYPES = {"socket_filter": 1, "kprobe": 2, "xdp": 6, "tracepoint": 5}

def load(insns: bytes, ptype=1, log_level=2):
    lic = ctypes.create_string_buffer(b"GPL")
    logbuf = ctypes.create_string_buffer(1 << 20)
    ib = ctypes.create_string_buffer(insns, len(insns))
    attr = struct.pack("<IIQQIIQI", ptype, len(insns) // 8, ctypes.addressof(ib), ctypes.addressof(lic),
                       log_level, len(logbuf), ctypes.addressof(logbuf), 0)
    attr = attr.ljust(160, b"\0")
    a = ctypes.create_string_buffer(attr, len(attr))
    fd = libc.syscall(SYS_bpf, 5, a, len(attr))
    err = ctypes.get_errno()
    if fd >= 0:
        os.close(fd)
    return fd, err, logbuf.value.decode(errors="replace")

if __name__ == "__main__":
    args = sys.argv[1:]
    ptype, lvl = 1, 2
    while args and args[0].startswith("--"):
        if args[0] == "--type": ptype = PROG_TYPES[args[1]]; args = args[2:]
        elif args[0] == "--log": lvl = int(args[1]); args = args[2:]
    code = b"".join(bytes.fromhex(h) for h in args)
    fd, err, log = load(code, ptype, lvl)
    print("ACCEPTED" if fd >= 0 else f"REJECTED errno={err} ({os.strerror(err)})")
    print(log)
