// type: socket_filter
// run: no

// what: verifier_diff seed 9261 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `RN !read_ok` | bpfplay: rejected EACCES `R6 !read_ok`, 2 insns
call f1
exit
f1:
r0 = *(u8 *)skb[r2 + 23]
exit
