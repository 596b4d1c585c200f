// type: socket_filter
// run: no
map amap: array key=4 value=8 max=16

// what: verifier_diff seed 18866 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `invalid access to map value, value_size=N off=N size=N` | bpfplay: rejected EACCES `invalid access to map value, value_size=8 off=14 size=4`, 12 insns
call f1
exit
f1:
r6 = r1
r0 = *(u16 *)skb[-1]
r1 = map[amap] ll
r2 = r10
r2 += -28
call bpf_map_lookup_elem
if r0 == 0 goto l1
r8 = *(u32 *)(r0 +0)
if r8 > 14 goto l2
r8 += r0
r8 = *(u32 *)(r8 +0)
l2:
l1:
exit
