// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 1873 (unpriv): message: kernel `RN !read_ok`, bpfplay `RN type=scalar expected=ringbuf_mem` | bpfplay: rejected EACCES `R1 type=scalar expected=ringbuf_mem`, 11 insns
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r9 = r0
if r9 == 0 goto l1
r1 = r9
r2 = 0
call bpf_ringbuf_submit
r1 = r9
call bpf_ringbuf_discard
l1:
exit
