// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 75 (unpriv): verdict: kernel rejects `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay accepts | bpfplay: accepted, 6 insns
r1 = r10
r1 += -64
r2 = 0
r3 = 0
call bpf_probe_read_kernel
exit
