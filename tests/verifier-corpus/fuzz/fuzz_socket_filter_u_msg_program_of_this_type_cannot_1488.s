// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 1488 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `bpfplay timed out (> N s)` | bpfplay: rejected E0 `bpfplay timed out (> 3 s)`
r1 = r10
r1 += -72
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r9 = 0
l7:
r9 += 2
if w9 s< 2 goto l7
exit
