// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 60 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN invalid mem access 'scalar'` | bpfplay: rejected EACCES `R3 invalid mem access 'scalar'`, 10 insns
r3 = 0
r3 %= 15
if r3 s> 0 goto l1
goto l2
l1:
r0 = *(u64 *)(r3 +0)
l2:
r1 = r10
r1 += -40
r2 = 0
call bpf_probe_read_kernel
exit
