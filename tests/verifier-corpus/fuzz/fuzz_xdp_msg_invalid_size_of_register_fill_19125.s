// type: xdp
// run: no

// what: verifier_diff seed 19125 (priv): message: kernel `invalid size of register fill`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
r7 = 0
r2 = (s32)r7
*(u64 *)(r10 -24) = r6
r5 = *(u16 *)(r10 -20)
exit
