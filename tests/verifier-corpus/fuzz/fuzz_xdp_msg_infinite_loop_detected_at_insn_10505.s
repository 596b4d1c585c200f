// type: xdp
// run: no
map hmap: hash key=4 value=16 max=16

// what: verifier_diff seed 10505 (priv): message: kernel `infinite loop detected at insn N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r1 = map[hmap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 == 0 goto l1
r5 = *(u32 *)(r0 +0)
l1:
r5 = (s32)r5
l7:
r9 = 0
if w9 != 10 goto l7
exit
