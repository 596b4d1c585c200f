// type: xdp
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 2501 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN is not a known constant'` | bpfplay: rejected EACCES `R2 is not a known constant'`, 9 insns
r1 = r10
call f1
exit
f1:
r1 += -40
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r1 = map[rb] ll
r2 = r0
call bpf_ringbuf_reserve
exit
