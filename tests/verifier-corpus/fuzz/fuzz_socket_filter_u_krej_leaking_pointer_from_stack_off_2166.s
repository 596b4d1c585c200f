// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 2166 (unpriv): verdict: kernel rejects `leaking pointer from stack off -N`, bpfplay accepts | bpfplay: accepted, 5 insns
*(u64 *)(r10 -64) = r1
r7 = 0
r7 = atomic64_xchg((u64 *)(r10 -64), r7)
r0 = 0
exit
