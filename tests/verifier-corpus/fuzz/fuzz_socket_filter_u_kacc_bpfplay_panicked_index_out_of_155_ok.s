// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 155 (unpriv): verdict: kernel accepts, bpfplay rejects `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r4 = 0
r4 = (s32)r4
r0 = 0
exit
