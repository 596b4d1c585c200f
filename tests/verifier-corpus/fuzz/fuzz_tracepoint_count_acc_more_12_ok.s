// type: tracepoint
// run: no
map amap: array key=4 value=64 max=1

// what: verifier_diff seed 12 (priv): processed: accepted, bpfplay counts more | bpfplay: accepted, 18 insns
r6 = r1
r1 = r10
r1 += -24
r2 = 0
r3 = 0
call bpf_probe_read_kernel
if r0 < 8388608 goto l1
*(u64 *)(r10 -8) = r6
l1:
r1 = map[amap] ll
r2 = r10
r2 += -44
call bpf_map_delete_elem
exit
