// type: xdp
// mode: unpriv
// run: no
map amap: array key=4 value=48 max=16

// what: verifier_diff seed 2232 (unpriv): message: kernel `RN invalid mem access 'map_value_or_null'`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
r0 = *(u32 *)(r6 +12)
r0 = (s32)r0
*(u64 *)(r10 -40) = r0
r1 = map[amap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
r7 = r0
r5 = *(u64 *)(r7 +0)
exit
