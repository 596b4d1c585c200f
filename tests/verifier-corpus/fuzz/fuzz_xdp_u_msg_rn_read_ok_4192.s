// type: xdp
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 4192 (unpriv): message: kernel `RN !read_ok`, bpfplay `RN invalid mem access 'scalar'` | bpfplay: rejected EACCES `R9 invalid mem access 'scalar'`, 10 insns
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r9 = r0
if r9 == 0 goto l3
r1 = r9
r2 = 0
call bpf_ringbuf_submit
r1 = *(u64 *)(r9 +0)
l3:
exit
