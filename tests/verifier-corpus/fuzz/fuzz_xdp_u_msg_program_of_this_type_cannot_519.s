// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 519 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN pointer -= pointer prohibited` | bpfplay: rejected EACCES `R4 pointer -= pointer prohibited`, 8 insns
r6 = r10
r1 = r10
r1 += -72
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r4 = r6
r4 -= r6
exit
