// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 2584 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r1 = r10
r1 += -40
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r3 = (s32)r3
exit
