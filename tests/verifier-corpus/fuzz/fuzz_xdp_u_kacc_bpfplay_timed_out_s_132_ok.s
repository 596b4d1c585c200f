// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 132 (unpriv): verdict: kernel accepts, bpfplay rejects `bpfplay timed out (> N s)` | bpfplay: rejected E0 `bpfplay timed out (> 3 s)`
r4 = *(u32 *)(r1 +12)
r7 = 0
l3:
*(u64 *)(r10 -16) = r7
r7 += 1
if r7 s< 1 goto l3
r8 = 14
w0 = w8
exit
