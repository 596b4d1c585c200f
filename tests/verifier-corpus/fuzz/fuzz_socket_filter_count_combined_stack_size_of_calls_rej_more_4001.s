// type: socket_filter
// run: no
map pamap: percpu_array key=4 value=12 max=16
map amap: array key=4 value=12 max=2

// what: verifier_diff seed 4001 (priv): processed: rejected `combined stack size of N calls is N. Too large`, bpfplay counts more | bpfplay: rejected EACCES `combined stack size of 2 calls is 560. Too large`, 30 insns
r1 = map[pamap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
if r0 != 0 goto l2
l2:
*(u32 *)(r10 -508) = 14
r1 = r10
call f1
exit
f1:
r1 = map[amap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 == 0 goto l5
r6 = r0
r0 = *(u16 *)(r6 +0)
l5:
exit
