// type: kprobe
// run: no
map pamap: percpu_array key=4 value=12 max=1

// what: verifier_diff seed 17413 (priv): message: kernel `invalid access to map value, value_size=N off=-N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r1 = map[pamap] ll
r2 = r10
r2 += -12
call bpf_map_lookup_elem
r9 = r0
if r9 == 0 goto l4
r8 = 0
r8 = (s32)r8
r7 = r9
r7 += -8
r0 = *(u64 *)(r7 +0)
l4:
exit
