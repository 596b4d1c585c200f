// type: socket_filter
// mode: unpriv
// run: no
map phmap: percpu_hash key=8 value=16 max=64
map amap: array key=4 value=16 max=1

// what: verifier_diff seed 454 (unpriv): processed: rejected `math between map_value pointer and register with unbounded min value is not allowed`, bpfplay counts more | bpfplay: rejected EACCES `math between map_value pointer and register with unbounded min value is not allowed`, 40 insns
r2 = r10
*(u64 *)(r10 -32) = 20
r1 = map[phmap] ll
r2 += -32
call bpf_map_lookup_elem
r9 = r0
if r9 == 0 goto l6
call bpf_get_prandom_u32
r7 = r0
if w7 <= 8 goto l8
goto l7
l8:
r7 += r9
l7:
l6:
*(u32 *)(r10 -48) = 0
r1 = map[amap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 == 0 goto l9
r5 = *(u16 *)(r0 +0)
if w5 s< 0 goto l10
if w5 s> 14 goto l10
l10:
l9:
r9 = 0
if r9 s< 13 goto l11
l11:
r0 = 0
exit
