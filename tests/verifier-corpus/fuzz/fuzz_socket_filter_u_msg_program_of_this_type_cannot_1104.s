// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 1104 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `attempt to corrupt spilled pointer on stack` | bpfplay: rejected EACCES `attempt to corrupt spilled pointer on stack`, 7 insns
*(u64 *)(r10 -16) = r1
r1 = r10
r1 += -40
r2 = 0
r3 = 0
call bpf_probe_read_kernel
*(u32 *)(r10 -12) = 128
exit
