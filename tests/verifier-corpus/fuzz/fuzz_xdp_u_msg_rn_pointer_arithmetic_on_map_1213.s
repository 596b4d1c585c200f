// type: xdp
// mode: unpriv
// run: no
map lmap: lru_hash key=8 value=24 max=1

// what: verifier_diff seed 1213 (unpriv): message: kernel `RN pointer arithmetic on map_value_or_null prohibited, null-check it first`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
*(u64 *)(r10 -40) = 0
r1 = map[lmap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
r2 = 0
r2 = (s32)r2
r1 = 0
r1 += r0
exit
