// type: xdp
// mode: unpriv
// run: no
map amap: array key=4 value=8 max=16

// what: verifier_diff seed 7 (unpriv): message (numbers differ): kernel `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 9`, 49 insns
r9 = 0
l1:
r9 += 1
if r9 < 1 goto l1
*(u32 *)(r10 -12) = 13
r1 = map[amap] ll
r2 = r10
r2 += -12
call bpf_map_lookup_elem
r8 = r0
if r8 == 0 goto l2
*(u64 *)(r8 +0) = 1
call bpf_get_prandom_u32
r1 = r0
if r1 > 4 goto l3
r1 += r8
r4 = *(u32 *)(r1 +0)
l3:
l2:
exit
