// type: socket_filter
// mode: unpriv
// run: no
map pamap: percpu_array key=4 value=12 max=4

// what: verifier_diff seed 46 (unpriv): message: kernel `invalid access to map value, value_size=N off=N size=N`, bpfplay `RN pointer arithmetic of map value goes out of range, prohibited for !root` | bpfplay: rejected EACCES `R7 pointer arithmetic of map value goes out of range, prohibited for !root`, 11 insns
call f1
*(u32 *)(r10 -24) = -1
r1 = map[pamap] ll
r2 = r10
r2 += -24
call bpf_map_lookup_elem
r8 = r0
if r8 == 0 goto l3
r7 = r8
r7 += 16
l3:
exit
f1:
exit
