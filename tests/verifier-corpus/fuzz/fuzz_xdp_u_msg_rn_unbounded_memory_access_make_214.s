// type: xdp
// mode: unpriv
// run: no
map amap: array key=4 value=32 max=16

// what: verifier_diff seed 214 (unpriv): message: kernel `RN unbounded memory access, make sure to bounds check any such access`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 18`, 48 insns
r5 = 0
*(u64 *)(r10 -48) = r5
r1 = map[amap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
r8 = r0
if r8 != 0 goto l2
l2:
r2 = 0
r2 /= 3
r2 >>= 27
r2 = -r2
r2 = -r2
r2 += r8
r9 = 0
l3:
*(u64 *)(r10 -16) = r9
r9 += 3
if w9 <= 7 goto l3
exit
