// type: xdp
// mode: unpriv
// run: no
map amap: array key=4 value=12 max=4

// what: verifier_diff seed 210 (unpriv): message: kernel `RN invalid mem access 'scalar'`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 26`, 54 insns
r6 = r1
call f1
*(u32 *)(r10 -44) = 3
*(u64 *)(r10 -80) = 0
*(u64 *)(r10 -72) = 1
r1 = map[amap] ll
r2 = r10
r2 += -44
r3 = r10
r3 += -80
r4 = 0
call bpf_map_update_elem
*(u32 *)(r10 -20) = 2
r1 = map[amap] ll
r2 = r10
r2 += -20
call bpf_map_lookup_elem
r7 = r0
if r7 != 0 goto l4
l4:
call f2
r7 = *(u32 *)(r6 +0)
r9 = *(u32 *)(r6 +4)
r3 = r7
r3 += 34
if r9 < r3 goto l5
l5:
r8 = *(u32 *)(r6 +0)
r7 = *(u32 *)(r6 +4)
r1 = r8
r1 += 14
if r1 > r7 goto l6
l6:
r0 = 0
exit
f1:
r9 = 0
r9 /= 7
if r9 > 0 goto l1
goto l2
l1:
r0 = *(u64 *)(r9 +0)
l2:
exit
f2:
exit
