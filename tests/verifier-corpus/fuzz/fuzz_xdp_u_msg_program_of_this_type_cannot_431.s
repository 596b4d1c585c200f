// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 431 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN leaks addr into helper function` | bpfplay: rejected EACCES `R3 leaks addr into helper function`, 6 insns
r6 = r1
r1 = r10
r1 += -48
r2 = 0
r3 = r6
call bpf_probe_read_kernel
exit
