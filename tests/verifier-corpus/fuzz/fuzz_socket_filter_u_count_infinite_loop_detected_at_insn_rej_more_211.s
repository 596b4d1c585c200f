// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 211 (unpriv): processed: rejected `infinite loop detected at insn N`, bpfplay counts more | bpfplay: rejected EINVAL `infinite loop detected at insn 2`, 39 insns
call f1
r9 = 0
l1:
r9 += 3
if r9 <= 10 goto l1
*(u64 *)(r10 -48) = 0
exit
f1:
r0 = 0
exit
