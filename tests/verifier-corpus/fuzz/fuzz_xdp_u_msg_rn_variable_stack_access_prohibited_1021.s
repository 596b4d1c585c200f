// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 1021 (unpriv): message: kernel `RN variable stack access prohibited for !root, var_off=(N; N) off=-N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r4 = 0
r4 = (s32)r4
call bpf_get_prandom_u32
r2 = r0
r2 &= 7
r7 = r10
r7 += -64
r7 += r2
exit
