// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 727 (unpriv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `RN invalid mem access 'scalar'` | bpfplay: rejected EACCES `R5 invalid mem access 'scalar'`, 3 insns
r7 = 0
r5 = r7
r0 = *(u64 *)(r5 +0)
call f1
exit
f1:
r0 = *(u16 *)skb[23]
exit
