// type: socket_filter
// run: no
map phmap: percpu_hash key=4 value=8 max=64

// what: verifier_diff seed 6202 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 13`, 34 insns
call f1
call f2
call f3
exit
f1:
r6 = r1
r0 = *(u16 *)skb[1]
if r0 s<= r0 goto l3
l3:
exit
f2:
r1 = map[phmap] ll
r2 = r10
r2 += -16
call bpf_map_lookup_elem
if r0 == 0 goto l7
l7:
exit
f3:
r1 = map[phmap] ll
r2 = r10
r2 += -8
call bpf_map_lookup_elem
exit
