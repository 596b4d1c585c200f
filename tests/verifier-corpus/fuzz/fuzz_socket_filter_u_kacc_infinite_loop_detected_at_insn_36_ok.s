// type: socket_filter
// mode: unpriv
// run: no
map hmap: hash key=8 value=4 max=1

// what: verifier_diff seed 36 (unpriv): verdict: kernel accepts, bpfplay rejects `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 19`, 39 insns
*(u64 *)(r10 -40) = 0
r1 = map[hmap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
r8 = r0
if r8 == 0 goto l3
r7 = *(u8 *)(r8 +1)
r0 = r7
r0 &= 1
r0 += r8
l3:
r2 = r10
r2 += -12
if r0 == 0 goto l4
r1 = 0
r1 &= 1
r4 = *(u16 *)(r0 +0)
*(u64 *)(r10 -16) = -401
l4:
call bpf_get_prandom_u32
r2 = r10
r2 += -40
r3 = r10
r3 += -72
r6 = r0
r6 &= 6
goto l7
l7:
exit
