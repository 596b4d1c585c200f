// type: kprobe
// run: no
map lmap: lru_hash key=4 value=32 max=64

// what: verifier_diff seed 7601 (priv): message: kernel `math between map_value pointer and -N is not allowed`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
r1 = map[lmap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
r8 = r0
if r8 != 0 goto l3
l3:
r9 = r8
r7 = r9
r1 = -1733040861
r7 += r1
r5 = *(u64 *)(r6 +128)
r5 = (s32)r5
exit
