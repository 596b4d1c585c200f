// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 1239 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `invalid write to stack RN off=-N size=N` | bpfplay: rejected EACCES `invalid write to stack R1 off=-4 size=8`, 4 insns
r1 = r10
r1 += -4
r2 = 8
call bpf_probe_read_kernel
exit
