// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 118 (unpriv): message: kernel `RN invalid mem access 'scalar'`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call f1
exit
f1:
r0 = 0
r9 = 0
r9 %= 10
if r9 s> 9 goto l4
goto l5
l4:
r0 = *(u64 *)(r9 +0)
l5:
r6 = (s32)r0
exit
