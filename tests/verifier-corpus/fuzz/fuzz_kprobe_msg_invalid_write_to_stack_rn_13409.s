// type: kprobe
// run: no
map amap: array key=4 value=8 max=2

// what: verifier_diff seed 13409 (priv): message: kernel `invalid write to stack RN off=N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r1 = map[amap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
r9 = r0
r9 = (s32)r9
*(u64 *)(r10 +8) = 794915377
exit
