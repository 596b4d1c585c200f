// type: socket_filter
// run: no

// what: verifier_diff seed 13740 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `invalid size of register spill` | bpfplay: rejected EACCES `invalid size of register spill`, 4 insns
call f1
exit
f1:
r6 = r1
r0 = *(u32 *)skb[100]
*(u16 *)(r10 -20) = r6
exit
