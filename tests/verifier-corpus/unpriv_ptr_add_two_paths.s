// type: socket_filter
// mode: unpriv
// what: the same `r9 += r0` moves a map value pointer by 15 on one path and by 0 on the
// other (the 0/-1 fork of `&= 15`): its Spectre v1 mask cannot fit both, so unprivileged
// loading fails with "tried to add from different maps, paths or scalars".
map pamap: percpu_array key=4 value=32 max=16
r6 = r1
r8 = 0
*(u64 *)(r10 -24) = r8
r1 = map[pamap] ll
r2 = r10
r2 += -24
call bpf_map_lookup_elem
if r0 == 0 goto l1
r9 = *(u32 *)(r6 +16)
r9 &= 1
r9 = -r9
r9 &= 15
r9 += r0
l1:
r0 = 0
exit
