// type: socket_filter
// mode: unpriv
// run: no
map amap: array key=4 value=12 max=2

// what: verifier_diff seed 1746 (unpriv): processed: rejected `misaligned stack access off N+N+-N size N`, bpfplay counts more | bpfplay: rejected EACCES `misaligned stack access off 0+0+-54 size 4`, 20 insns
r4 = 0
*(u64 *)(r10 -40) = r4
r1 = map[amap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
if r0 == 0 goto l1
r9 = *(u32 *)(r0 +4)
r2 = *(u32 *)(r0 +0)
if w2 > 4 goto l2
l2:
if r2 <= 255 goto l3
*(u64 *)(r10 -56) = 0
r0 = 0
r0 = atomic_cmpxchg((u32 *)(r10 -54), r0, r9)
l3:
l1:
r0 = 0
exit
