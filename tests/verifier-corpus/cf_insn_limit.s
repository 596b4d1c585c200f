// type: socket_filter
// log: 0
// what: a loop on an unknown value that grows forever: the verifier gives up after 1M insns
// with `BPF program is too large. Processed 1000001 insn` and E2BIG. Loaded with log level 0
// because the level-1 log of this program is over 100 MB (level 2: about 1 GB).
r1 = *(u32 *)(r1 +0)
r0 = 0
loop:
r1 += 1
if r1 != 0 goto loop
exit
