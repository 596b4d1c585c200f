// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 351 (unpriv): processed: rejected `attempt to corrupt spilled pointer on stack`, bpfplay counts more | bpfplay: rejected EACCES `attempt to corrupt spilled pointer on stack`, 7 insns
r6 = r1
*(u64 *)(r10 -16) = r6
call bpf_get_smp_processor_id
r1 = 8
if r1 s> r0 goto l1
r2 = r10
l1:
*(u32 *)(r10 -16) = 7
exit
