// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 1730 (unpriv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `RN !read_ok` | bpfplay: rejected EACCES `R6 !read_ok`, 2 insns
call f1
exit
f1:
r0 = *(u8 *)skb[r7 + 12]
exit
