// type: socket_filter
// mode: unpriv
// run: no
map dmap: array key=4 value=16 max=1

// what: verifier_diff seed 3048 (unpriv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `invalid access to map value pointer, value_size=N off=N` | bpfplay: rejected EINVAL `invalid access to map value pointer, value_size=16 off=16`, 0 insns
call f1
r7 = map_value[dmap]+16
exit
f1:
r0 = *(u16 *)skb[r1 + 14]
exit
