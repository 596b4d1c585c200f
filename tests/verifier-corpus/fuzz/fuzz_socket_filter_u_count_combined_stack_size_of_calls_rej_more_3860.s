// type: socket_filter
// mode: unpriv
// run: no
map hmap: hash key=8 value=16 max=1
map lmap: lru_hash key=8 value=16 max=64

// what: verifier_diff seed 3860 (unpriv): processed: rejected `combined stack size of N calls is N. Too large`, bpfplay counts more | bpfplay: rejected EACCES `combined stack size of 2 calls is 528. Too large`, 34 insns
*(u64 *)(r10 -48) = 0
r1 = map[hmap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 == 0 goto l1
r9 = 0
l1:
call f1
*(u32 *)(r10 -480) = r0
exit
f1:
*(u64 *)(r10 -48) = 41
r1 = map[lmap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 == 0 goto l2
l2:
r0 = 0
exit
