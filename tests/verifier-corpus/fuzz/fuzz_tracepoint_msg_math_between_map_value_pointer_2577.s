// type: tracepoint
// run: no
map lmap: lru_hash key=4 value=16 max=64

// what: verifier_diff seed 2577 (priv): message: kernel `math between map_value pointer and register with unbounded min value is not allowed`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r1 = map[lmap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
r9 = r0
if r9 == 0 goto l3
r5 = r0
r5 = (s32)r5
r5 += r9
l3:
exit
