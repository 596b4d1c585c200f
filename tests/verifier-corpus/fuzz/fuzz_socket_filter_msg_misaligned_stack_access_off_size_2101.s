// type: socket_filter
// run: no

// what: verifier_diff seed 2101 (priv): message: kernel `misaligned stack access off N+N+-N size N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = 0
r6 = (s32)r6
call f1
call f2
exit
f1:
r7 = *(u64 *)(r10 -15)
exit
f2:
exit
