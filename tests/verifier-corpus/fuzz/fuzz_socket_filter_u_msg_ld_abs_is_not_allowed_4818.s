// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 4818 (unpriv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `RN invalid mem access 'ringbuf_mem_or_null'` | bpfplay: rejected EACCES `R9 invalid mem access 'ringbuf_mem_or_null'`, 6 insns
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r9 = r0
*(u64 *)(r9 +0) = -1662840858
call f1
exit
f1:
r0 = *(u16 *)skb[r9 + -1]
exit
