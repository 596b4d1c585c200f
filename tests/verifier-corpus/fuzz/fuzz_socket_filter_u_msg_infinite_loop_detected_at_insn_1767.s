// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 1767 (unpriv): message: kernel `infinite loop detected at insn N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call f1
exit
f1:
call bpf_get_prandom_u32
r4 = r0
r4 = (s32)r4
r7 = 0
l4:
if r7 != 21 goto l4
exit
