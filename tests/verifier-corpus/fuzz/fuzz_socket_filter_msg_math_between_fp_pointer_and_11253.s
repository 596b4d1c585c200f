// type: socket_filter
// run: no

// what: verifier_diff seed 11253 (priv): message: kernel `math between fp pointer and register with unbounded min value is not allowed`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = 0
r6 = (s32)r6
call bpf_get_prandom_u32
r1 = r0
r8 = r10
r8 += r1
exit
