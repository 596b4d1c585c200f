// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 3655 (unpriv): verdict: kernel rejects `LD_ABS is not allowed in subprogs without BTF`, bpfplay accepts | bpfplay: accepted, 9 insns
call f1
call f2
exit
f1:
r6 = r1
r5 = 0
r0 = *(u16 *)skb[r5 + 0]
exit
f2:
r0 = 0
exit
