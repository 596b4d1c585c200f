// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 4872 (unpriv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `RN is not a known constant'` | bpfplay: rejected EACCES `R2 is not a known constant'`, 4 insns
call bpf_get_prandom_u32
r1 = map[rb] ll
r2 = r0
call bpf_ringbuf_reserve
call f1
exit
f1:
r0 = *(u16 *)skb[12]
exit
