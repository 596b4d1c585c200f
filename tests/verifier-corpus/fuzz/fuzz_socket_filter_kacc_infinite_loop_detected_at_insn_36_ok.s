// type: socket_filter
// run: no
map hmap: hash key=4 value=4 max=16
map pamap: percpu_array key=4 value=4 max=16

// what: verifier_diff seed 36 (priv): verdict: kernel accepts, bpfplay rejects `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 18`, 55 insns
r1 = map[hmap] ll
r2 = r10
r2 += -28
call bpf_map_lookup_elem
r8 = r0
if r8 == 0 goto l1
l1:
r1 = map[pamap] ll
r2 = r10
r2 += -36
call bpf_map_lookup_elem
if r0 != 0 goto l3
l3:
r1 = map[hmap] ll
r2 = r10
r2 += -28
call bpf_map_lookup_elem
r6 = r0
if r6 == 0 goto l7
r3 = *(u16 *)(r6 +0)
if r3 > 2 goto l8
r5 = *(u16 *)(r6 +0)
l8:
l7:
r0 = 0
exit
