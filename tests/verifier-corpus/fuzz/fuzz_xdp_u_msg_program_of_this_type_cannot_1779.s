// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 1779 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `invalid read from stack off -N+N size N` | bpfplay: rejected EACCES `invalid read from stack off -12+0 size 4`, 9 insns
call bpf_get_prandom_u32
r8 = r0
*(u32 *)(r10 -16) = r8
r1 = r10
r1 += -8
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r9 = *(u32 *)(r10 -12)
exit
