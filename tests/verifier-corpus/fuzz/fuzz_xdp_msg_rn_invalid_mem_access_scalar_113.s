// type: xdp
// run: no

// what: verifier_diff seed 113 (priv): message: kernel `RN invalid mem access 'scalar'`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r4 = 0
r4 = (s32)r4
r0 = *(u64 *)(r4 +0)
exit
