// type: socket_filter
// mode: unpriv
// run: no
map pamap: percpu_array key=4 value=16 max=2

// what: verifier_diff seed 928 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN invalid mem access 'map_value_or_null'` | bpfplay: rejected EACCES `R7 invalid mem access 'map_value_or_null'`, 15 insns
call bpf_get_prandom_u32
r2 = r0
r2 &= 3
r1 = r10
r1 += -40
r3 = 0
call bpf_probe_read_kernel
r2 = 1
*(u32 *)(r10 -4) = r2
r1 = map[pamap] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
r7 = r0
r2 = *(u32 *)(r7 +12)
exit
