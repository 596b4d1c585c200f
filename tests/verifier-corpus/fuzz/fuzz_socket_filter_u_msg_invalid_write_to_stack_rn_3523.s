// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 3523 (unpriv): message: kernel `invalid write to stack RN off=-N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call bpf_get_prandom_u32
r6 = r0
r6 = (s32)r6
r8 = 0
*(u8 *)(r10 -513) = r8
exit
