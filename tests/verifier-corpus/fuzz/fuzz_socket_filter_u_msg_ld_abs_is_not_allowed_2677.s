// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 2677 (unpriv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `invalid bpf_context access off=N size=N` | bpfplay: rejected EACCES `invalid bpf_context access off=140 size=8`, 1 insns
r6 = *(u64 *)(r1 +140)
call f1
exit
f1:
r0 = *(u32 *)skb[14]
exit
