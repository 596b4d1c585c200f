// type: socket_filter
// run: no
map phmap: percpu_hash key=8 value=8 max=64

// what: verifier_diff seed 2346 (priv): message: kernel `RN invalid mem access 'map_value_or_null'`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call f1
r1 = map[phmap] ll
r2 = r10
r2 += -16
call bpf_map_lookup_elem
r7 = 0
*(u16 *)(r0 +2) = r7
exit
f1:
r8 = 0
r5 = r8
r5 = (s32)r5
exit
