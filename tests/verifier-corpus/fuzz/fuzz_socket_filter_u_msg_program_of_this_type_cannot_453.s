// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 453 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `invalid bpf_context access off=N size=N` | bpfplay: rejected EACCES `invalid bpf_context access off=76 size=4`, 8 insns
r6 = r1
r2 = *(u32 *)(r6 +52)
r2 &= 15
r1 = r10
r1 += -16
r3 = 0
call bpf_probe_read_kernel
r9 = *(u32 *)(r6 +76)
exit
