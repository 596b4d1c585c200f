// type: socket_filter
// run: no

// what: verifier_diff seed 6473 (priv): verdict: kernel rejects `LD_ABS is not allowed in subprogs without BTF`, bpfplay accepts | bpfplay: accepted, 8 insns
call f1
call f2
exit
f1:
r6 = r1
r0 = *(u16 *)skb[0]
exit
f2:
r0 = 0
exit
