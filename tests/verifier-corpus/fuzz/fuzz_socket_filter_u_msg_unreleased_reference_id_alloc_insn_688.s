// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 688 (unpriv): message: kernel `Unreleased reference id=N alloc_insn=N`, bpfplay `BPF_LD_[ABS|IND] cannot be mixed with socket references` | bpfplay: rejected EINVAL `BPF_LD_[ABS|IND] cannot be mixed with socket references`, 6 insns
r6 = r1
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r0 = *(u32 *)skb[r8 + 14]
exit
