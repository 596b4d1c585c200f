// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096
map amap: array key=4 value=4 max=2

// what: verifier_diff seed 3153 (unpriv): message: kernel `RN !read_ok`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 22`, 48 insns
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r9 = r0
if r9 == 0 goto l1
r1 = r9
r2 = 0
call bpf_ringbuf_discard
l1:
*(u32 *)(r10 -20) = 1
r1 = map[amap] ll
r2 = r10
r2 += -20
call bpf_map_lookup_elem
if r0 == 0 goto l2
l2:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r8 = r0
if r8 == 0 goto l3
r1 = r8
r2 = 0
call bpf_ringbuf_discard
l3:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l5
r1 = r0
r2 = 0
call bpf_ringbuf_submit
l5:
*(u64 *)(r10 -16) = r9
r0 = 0
exit
