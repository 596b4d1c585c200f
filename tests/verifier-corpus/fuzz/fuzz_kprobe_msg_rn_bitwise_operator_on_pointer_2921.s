// type: kprobe
// run: no

// what: verifier_diff seed 2921 (priv): message: kernel `RN bitwise operator &= on pointer prohibited`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
r5 = 0
r5 = (s32)r5
r3 = r6
r3 &= -8
exit
