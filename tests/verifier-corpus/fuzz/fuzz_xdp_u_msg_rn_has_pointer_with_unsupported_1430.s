// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 1430 (unpriv): message: kernel `RN has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
r5 = *(u32 *)(r6 +12)
r5 = (s32)r5
r4 = 0
r9 = *(u32 *)(r6 +0)
r2 = r9
r2 += r4
exit
