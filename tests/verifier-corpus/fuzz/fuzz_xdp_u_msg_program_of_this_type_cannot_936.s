// type: xdp
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 936 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `invalid access to memory, mem_size=N off=N size=N` | bpfplay: rejected EACCES `invalid access to memory, mem_size=0 off=16 size=8`, 11 insns
r1 = r10
r1 += -24
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l1
*(u64 *)(r0 +16) = -43
l1:
exit
