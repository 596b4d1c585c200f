// type: socket_filter
// Found by `fuzz asm` (a mutation of tests/verifier-corpus/cf_insn_limit.s): bpfplay takes minutes
// to walk this loop to the 1M-instruction limit. See KNOWN-DIFFERENCES.md.
r1 = *(u32 *)(r1 +0)
r0 = 0
loop:
r1 += 1
if r1 != 0 goto loop
exit
