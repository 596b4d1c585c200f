// type: xdp
// run: no
map amap: array key=4 value=12 max=4
map lmap: lru_hash key=4 value=12 max=64

// what: verifier_diff seed 17225 (priv): message: kernel `combined stack size of N calls is N. Too large`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 15`, 39 insns
r6 = r1
r1 = r10
r1 += -40
call f1
r2 = r10
r2 += -24
r1 = map[amap] ll
call bpf_map_lookup_elem
if r0 == 0 goto l3
l3:
r1 = map[lmap] ll
r2 = r10
r2 += -28
call bpf_map_lookup_elem
r8 = r0
if r8 == 0 goto l7
r7 = r0
if r7 > 10 goto l8
l8:
if w7 s> 10 goto l9
l9:
l7:
r9 = *(u32 *)(r6 +0)
r4 = r9
exit
f1:
*(u64 *)(r1 +0) = 5
r8 = 0
*(u64 *)(r10 -472) = r8
exit
