// type: socket_filter
// mode: unpriv
// run: no
map lmap: lru_hash key=4 value=32 max=1

// what: verifier_diff seed 215 (unpriv): message: kernel `invalid access to map value, value_size=N off=N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call f1
r1 = map[lmap] ll
r2 = r10
r9 = r0
r4 = r0
r4 = (s32)r4
*(u64 *)(r10 -40) = 24
r2 += -40
call bpf_map_lookup_elem
if r0 == 0 goto l5
r9 ^= 35
r9 += r0
l5:
exit
f1:
r0 = 0
exit
