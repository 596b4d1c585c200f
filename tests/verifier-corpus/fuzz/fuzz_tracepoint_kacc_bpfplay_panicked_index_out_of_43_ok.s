// type: tracepoint
// run: no

// what: verifier_diff seed 43 (priv): verdict: kernel accepts, bpfplay rejects `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
r9 = 0
r2 = (s32)r9
r0 = r6
exit
