// type: socket_filter
// mode: unpriv
// run: no
map phmap: percpu_hash key=4 value=16 max=64

// what: verifier_diff seed 911 (unpriv): message: kernel `math between map_value pointer and register with unbounded min value is not allowed`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 14`, 74 insns
*(u32 *)(r10 -12) = 47
r1 = map[phmap] ll
r2 = r10
r2 += -12
call bpf_map_lookup_elem
if r0 != 0 goto l4
goto l3
l4:
r8 = *(u32 *)(r0 +0)
if w8 > 8 goto l5
r8 += r0
r2 = *(u64 *)(r8 +0)
l5:
r2 += r0
l3:
r7 = 0
l6:
*(u64 *)(r10 -24) = r7
r7 += 3
if r7 != 24 goto l6
exit
