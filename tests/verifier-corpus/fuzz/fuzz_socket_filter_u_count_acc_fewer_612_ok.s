// type: socket_filter
// mode: unpriv
// run: no
map phmap: percpu_hash key=4 value=4 max=64

// what: verifier_diff seed 612 (unpriv): processed: accepted, bpfplay counts fewer | bpfplay: accepted, 24 insns
r4 = 0
*(u64 *)(r10 -16) = r4
r1 = map[phmap] ll
r2 = r10
r2 += -16
call bpf_map_lookup_elem
r6 = r0
if r6 == 0 goto l1
r1 = *(u16 *)(r6 +0)
if r1 s< 0 goto l2
if r1 s> 2 goto l2
r6 += r1
l2:
w1 |= w1
l1:
r0 = 0
exit
