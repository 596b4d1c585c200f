// type: socket_filter
// mode: unpriv
// run: no
map lmap: lru_hash key=4 value=64 max=64

// what: verifier_diff seed 4826 (unpriv): message: kernel `math between map_value pointer and register with unbounded min value is not allowed`, bpfplay `invalid bpf_context access off=N size=N` | bpfplay: rejected EACCES `invalid bpf_context access off=52 size=1`, 1 insns
*(u8 *)(r1 +52) = 0
r3 = 0
*(u64 *)(r10 -48) = r3
r1 = map[lmap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 != 0 goto l3
l3:
r3 = 0
r3 /= 6
r3 += r0
exit
