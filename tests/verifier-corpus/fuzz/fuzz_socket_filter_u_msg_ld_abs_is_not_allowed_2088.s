// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 2088 (unpriv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 6`, 38 insns
call f1
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l3
r1 = r0
r2 = 0
call bpf_ringbuf_discard
l3:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r7 = r0
if r7 == 0 goto l4
r1 = r7
r2 = 0
call bpf_ringbuf_discard
l4:
r0 = 0
exit
f1:
r6 = r1
r0 = *(u8 *)skb[2]
r8 = 0
if w8 > 1 goto l1
l1:
exit
