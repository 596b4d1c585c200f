// type: tracepoint
// run: no

// what: verifier_diff seed 4586 (priv): message: kernel `RN bitwise operator |= on pointer prohibited`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
call f1
r3 = r6
r3 |= 1
exit
f1:
call bpf_get_prandom_u32
r7 = r0
r7 = (s32)r7
exit
