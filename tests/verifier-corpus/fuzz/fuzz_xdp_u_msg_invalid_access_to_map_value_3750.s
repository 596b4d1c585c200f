// type: xdp
// mode: unpriv
// run: no
map phmap: percpu_hash key=4 value=16 max=64
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 3750 (unpriv): message: kernel `invalid access to map value, value_size=N off=N size=N`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 21`, 39 insns
r6 = r1
*(u32 *)(r10 -24) = -1
r1 = map[phmap] ll
r2 = r10
r2 += -24
call bpf_map_lookup_elem
r8 = r0
if r8 != 0 goto l2
goto l1
l2:
r7 = *(u16 *)(r8 +0)
r7 += r8
l1:
r5 = 0
r2 = r10
r2 += -20
if r0 == 0 goto l6
l6:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l9
r1 = r0
r2 = 0
call bpf_ringbuf_submit
l9:
r7 = *(u32 *)(r6 +0)
r9 = *(u32 *)(r6 +4)
r0 = r7
if r9 < r0 goto l10
l10:
r0 = 0
exit
