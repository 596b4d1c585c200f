// type: socket_filter
// mode: unpriv
// run: no
// log: 0
map lmap: lru_hash key=4 value=8 max=64

// what: verifier_diff seed 74 (unpriv): message: kernel `BPF program is too large. Processed N insn`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 11`, 47 insns
r6 = r1
*(u64 *)(r10 -8) = 8
*(u32 *)(r10 -16) = 10
r1 = map[lmap] ll
r2 = r10
r2 += -16
call bpf_map_lookup_elem
r7 = r0
if r7 == 0 goto l1
l1:
r9 = 0
l2:
r0 = r9
r9 += 3
if w9 < 9 goto l2
r0 = 0
exit
