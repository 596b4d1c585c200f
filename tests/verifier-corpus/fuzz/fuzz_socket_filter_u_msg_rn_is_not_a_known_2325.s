// type: socket_filter
// mode: unpriv
// run: no
map hmap: hash key=4 value=32 max=1
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 2325 (unpriv): message: kernel `RN is not a known constant'`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r2 = 0
*(u32 *)(r10 -12) = r2
r1 = map[hmap] ll
r2 = r10
r2 += -12
call bpf_map_lookup_elem
if r0 == 0 goto l1
r2 = *(u32 *)(r0 +0)
r2 = (s32)r2
l1:
call bpf_get_prandom_u32
r1 = map[rb] ll
r2 = r0
call bpf_ringbuf_reserve
exit
