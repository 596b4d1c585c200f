// type: socket_filter
// run: no

// what: verifier_diff seed 9432 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `invalid bpf_context access off=N size=N` | bpfplay: rejected EACCES `invalid bpf_context access off=80 size=4`, 6 insns
r6 = r1
call f1
r9 = *(u32 *)(r6 +80)
exit
f1:
r6 = r1
r0 = *(u16 *)skb[14]
exit
