// type: socket_filter
// mode: unpriv
// run: no
map pamap: percpu_array key=4 value=32 max=16

// what: verifier_diff seed 638 (unpriv): verdict: kernel rejects `RN tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root`, bpfplay accepts | bpfplay: accepted, 17 insns
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
