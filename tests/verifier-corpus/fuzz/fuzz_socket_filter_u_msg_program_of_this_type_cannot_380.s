// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 380 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN type=scalar expected=map_ptr` | bpfplay: rejected EACCES `R1 type=scalar expected=map_ptr`, 10 insns
r9 = 0
call bpf_get_prandom_u32
r2 = r0
r2 &= 3
r1 = r10
r1 += -80
r3 = r9
call bpf_probe_read_kernel
r1 = 0
call bpf_map_lookup_elem
exit
