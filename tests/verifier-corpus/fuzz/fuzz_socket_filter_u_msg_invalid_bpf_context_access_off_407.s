// type: socket_filter
// mode: unpriv
// run: no
map hmap: hash key=8 value=64 max=16

// what: verifier_diff seed 407 (unpriv): message: kernel `invalid bpf_context access off=N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r6 = r1
*(u64 *)(r10 -24) = 12
r1 = map[hmap] ll
r2 = r10
r2 += -24
call bpf_map_lookup_elem
if r0 == 0 goto l1
r8 = *(u32 *)(r0 +0)
r8 = (s32)r8
l1:
r8 = *(u32 *)(r6 +80)
exit
