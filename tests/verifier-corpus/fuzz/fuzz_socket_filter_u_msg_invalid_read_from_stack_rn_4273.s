// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 4273 (unpriv): message: kernel `invalid read from stack RN off=-N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r7 = 0
r7 = (s32)r7
r7 = atomic_xchg((u32 *)(r10 -64), r7)
exit
