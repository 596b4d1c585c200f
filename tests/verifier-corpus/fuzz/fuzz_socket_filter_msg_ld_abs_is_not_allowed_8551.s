// type: socket_filter
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 8551 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `invalid access to memory, mem_size=N off=N size=N` | bpfplay: rejected EACCES `invalid access to memory, mem_size=0 off=24 size=4`, 11 insns
call f1
r3 = 0
r1 = map[rb] ll
r2 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l6
*(u32 *)(r0 +24) = 27533127
l6:
call f2
exit
f1:
r6 = r1
w8 = 0
r0 = *(u32 *)skb[r8 + 100]
exit
f2:
exit
