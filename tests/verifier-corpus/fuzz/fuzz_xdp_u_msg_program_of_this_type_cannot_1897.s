// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 1897 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `misaligned stack access off N+-N+N size N` | bpfplay: rejected EACCES `misaligned stack access off 0+-32+4 size 8`, 9 insns
r1 = r10
r1 += -48
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r1 = r10
r1 += -32
call f1
exit
f1:
r3 = *(u64 *)(r1 +4)
exit
