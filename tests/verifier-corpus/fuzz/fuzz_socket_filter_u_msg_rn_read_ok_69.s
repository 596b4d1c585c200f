// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 69 (unpriv): message: kernel `RN !read_ok`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r2 = (s32)r7
exit
