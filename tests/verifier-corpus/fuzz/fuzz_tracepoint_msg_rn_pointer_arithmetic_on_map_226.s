// type: tracepoint
// run: no
map hmap: hash key=4 value=12 max=1

// what: verifier_diff seed 226 (priv): message: kernel `RN pointer arithmetic on map_value_or_null prohibited, null-check it first`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
call f1
r1 = map[hmap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
r9 = *(u64 *)(r6 +112)
r9 = (s32)r9
r9 += r0
exit
f1:
exit
