// type: tracepoint
// run: no
map dmap: array key=4 value=4 max=1
map hmap: hash key=4 value=4 max=1

// what: verifier_diff seed 2226 (priv): message: kernel `RN pointer arithmetic on map_value_or_null prohibited, null-check it first`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 26`, 48 insns
r6 = r1
r9 = map_value[dmap]+0
r0 = 0
r0 &= 1
r0 += r9
if r0 s<= 4 goto l1
goto l2
l1:
r1 = map[hmap] ll
r2 = r9
call bpf_map_lookup_elem
r1 = 0
r1 += r0
l2:
r3 = 0
if r0 == 583 goto l3
*(u32 *)(r10 -20) = 1000
r1 = map[hmap] ll
r2 = r10
r2 = r10
r2 += -24
goto l5
l3:
l5:
if r9 != r9 goto l6
l6:
r8 = 0
l7:
r8 += 3
if r8 < 11 goto l7
exit
