// type: socket_filter
// log: 0
// what: found by the soundness campaign: a loop that moves a map-value pointer one byte per
// iteration runs into the 1M limit; bpfplay's checkpoints kept their whole instruction history
// and needed 24 GB until the kernel's force_new_state (jump history over 40 entries) was modelled.
map phmap: percpu_hash key=4 value=16 max=16
r6 = r1
r3 = 15
*(u64 *)(r10 -16) = r3
r1 = map[phmap] ll
r2 = r10
r2 += -16
call bpf_map_lookup_elem
r9 = r0
if r9 == 0 goto l1
r7 = *(u32 *)(r9 +0)
if r7 <= 4 goto l3
goto l2
l3:
r9 += r7
r4 = *(u32 *)(r9 +0)
l2:
l1:
r7 = -128
r3 = 128
r7 -= r3
l4:
r3 += 5
r7 = *(u64 *)(r10 -16)
*(u64 *)(r10 -56) = r9
r9 += 1
if r9 < 8 goto l4
r2 = -2147483648
r3 |= r2
r5 = 3
r5 s>>= 22
*(u32 *)(r10 -16) = r5
r5 = *(u32 *)(r10 -16)
r8 = 0
l5:
r4 = *(u64 *)(r10 -56)
*(u64 *)(r10 -40) = r8
*(u64 *)(r10 -24) = r8
r8 += 2
if r8 <= 9 goto l5
r1 = *(u64 *)(r10 -16)
r0 = 0
exit
