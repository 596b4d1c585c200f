// type: tracepoint
// run: no
map phmap: percpu_hash key=8 value=24 max=16

// what: verifier_diff seed 4266 (priv): message: kernel `invalid read from stack RN off=-N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call f1
r3 = r0
r3 = (s32)r3
r1 = map[phmap] ll
r2 = r10
r2 += -2
call bpf_map_lookup_elem
exit
f1:
r1 = map[phmap] ll
r2 = r10
r2 += -8
call bpf_map_lookup_elem
exit
