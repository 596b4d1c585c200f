// type: socket_filter
// run: no

// what: verifier_diff seed 1759 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `misaligned stack access off N+N+-N size N` | bpfplay: rejected EACCES `misaligned stack access off 0+0+-59 size 4`, 1 insns
r7 = *(u32 *)(r10 -59)
call f1
exit
f1:
r0 = *(u32 *)skb[r2 + 0]
exit
