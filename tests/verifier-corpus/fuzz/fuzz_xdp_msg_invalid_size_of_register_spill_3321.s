// type: xdp
// run: no

// what: verifier_diff seed 3321 (priv): message: kernel `invalid size of register spill`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r7 = 0
r7 = (s32)r7
*(u16 *)(r10 -18) = r1
exit
