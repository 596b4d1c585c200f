// type: tracepoint
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 727 (priv): processed: rejected `invalid access to memory, mem_size=N off=N size=N`, bpfplay counts more | bpfplay: rejected EACCES `invalid access to memory, mem_size=0 off=31 size=1`, 11 insns
call bpf_get_smp_processor_id
r7 = r0
if r7 s< 14 goto l1
r3 = 0
l1:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r7 = r0
if r7 == 0 goto l9
*(u8 *)(r7 +31) = -8
l9:
exit
