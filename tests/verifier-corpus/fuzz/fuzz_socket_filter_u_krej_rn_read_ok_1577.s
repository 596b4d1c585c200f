// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 1577 (unpriv): verdict: kernel rejects `RN !read_ok`, bpfplay accepts | bpfplay: accepted, 6 insns
r8 = 0
w8 %= -16
if r8 s>= 0 goto l1
*(u32 *)(r10 -56) = r4
l1:
r0 = r8
exit
