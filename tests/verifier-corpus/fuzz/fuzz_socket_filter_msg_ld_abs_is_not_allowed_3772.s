// type: socket_filter
// run: no

// what: verifier_diff seed 3772 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `unknown opcode N` | bpfplay: rejected EINVAL `unknown opcode 38`, 0 insns
call f1
exit
f1:
r0 = *(u64 *)skb[0]
exit
