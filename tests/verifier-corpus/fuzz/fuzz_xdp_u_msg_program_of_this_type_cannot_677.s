// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 677 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN type=ctx expected=map_ptr` | bpfplay: rejected EACCES `R1 type=ctx expected=map_ptr`, 8 insns
r6 = r1
r3 = 0
r2 = 0
r1 = r10
r1 += -16
call bpf_probe_read_kernel
r1 = r6
call bpf_map_lookup_elem
exit
