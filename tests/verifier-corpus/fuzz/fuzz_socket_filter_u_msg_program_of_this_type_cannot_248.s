// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 248 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN min value is negative, either use unsigned or 'var &= const'` | bpfplay: rejected EACCES `R2 min value is negative, either use unsigned or 'var &= const'`, 4 insns
call bpf_get_prandom_u32
r2 = r0
r1 = r10
call bpf_probe_read_kernel
exit
