// type: socket_filter
// run: no
map pamap: percpu_array key=4 value=12 max=2

// what: verifier_diff seed 610 (priv): message: kernel `RN unbounded memory access, make sure to bounds check any such access`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r1 = map[pamap] ll
r2 = r10
r2 += -36
call bpf_map_lookup_elem
r9 = r0
if r9 == 0 goto l1
r4 = 0
r4 %= 10
r4 = (s32)r4
r4 >>= 23
r4 += r9
r6 = *(u64 *)(r4 +0)
l1:
exit
