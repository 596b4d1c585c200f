// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 1698 (unpriv): message: kernel `misaligned access off (N; N)+N+N size N`, bpfplay `RN invalid mem access 'scalar'` | bpfplay: rejected EACCES `R0 invalid mem access 'scalar'`, 3 insns
r7 = 0
r0 = 0
r0 = atomic64_cmpxchg((u64 *)(r0 +0), r0, r7)
exit
