// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 104 (unpriv): message: kernel `invalid access to packet, off=N size=N, RN(id=N,off=N,r=N)`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
r8 = 0
r8 = (s32)r8
r8 = *(u32 *)(r6 +0)
r0 = *(u32 *)(r8 +16)
call f1
exit
f1:
exit
