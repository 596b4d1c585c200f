// type: xdp
// mode: unpriv
// run: no
map amap: array key=4 value=48 max=1

// what: verifier_diff seed 11 (unpriv): processed: accepted, bpfplay counts more | bpfplay: accepted, 35 insns
r6 = r1
r2 = 0
*(u32 *)(r10 -28) = r2
r1 = map[amap] ll
r2 = r10
r2 += -28
call bpf_map_lookup_elem
if r0 == 0 goto l1
l1:
r8 = 0
r9 = *(u32 *)(r6 +0)
r7 = *(u32 *)(r6 +4)
r8 = r9
if r7 < r8 goto l3
l3:
r5 = *(u32 *)(r6 +4)
call f1
r0 = 0
exit
f1:
exit
