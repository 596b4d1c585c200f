// type: xdp
// run: no

// what: verifier_diff seed 45 (priv): message: kernel `invalid bpf_context access off=N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
call f1
r9 = 0
*(u8 *)(r6 +68) = r9
exit
f1:
r5 = 0
r5 = (s32)r5
exit
