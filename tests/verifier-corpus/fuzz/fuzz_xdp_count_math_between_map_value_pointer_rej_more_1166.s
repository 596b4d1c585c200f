// type: xdp
// run: no
map lmap: lru_hash key=4 value=16 max=64

// what: verifier_diff seed 1166 (priv): processed: rejected `math between map_value pointer and register with unbounded min value is not allowed`, bpfplay counts more | bpfplay: rejected EACCES `math between map_value pointer and register with unbounded min value is not allowed`, 15 insns
r6 = r1
call bpf_get_smp_processor_id
r7 = r0
r8 = 141
if r7 <= r8 goto l1
r3 = *(u32 *)(r6 +12)
l1:
r1 = map[lmap] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
r7 = r0
if r7 == 0 goto l6
r3 = *(u8 *)(r0 +0)
r3 %= 3
r3 += r7
l6:
exit
