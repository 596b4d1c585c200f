// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 1136 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `invalid shift N` | bpfplay: rejected EINVAL `invalid shift 33`, 7 insns
r1 = r10
r1 += -40
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r7 = 0
w7 >>= 33
call f1
exit
f1:
exit
