// type: kprobe
// run: no
map pamap: percpu_array key=4 value=64 max=2
map rb: ringbuf key=0 value=0 max=4096
map hmap: hash key=4 value=64 max=64

// what: verifier_diff seed 14725 (priv): processed: rejected `RN unbounded memory access, make sure to bounds check any such access`, bpfplay counts more | bpfplay: rejected EACCES `R7 unbounded memory access, make sure to bounds check any such access`, 40 insns
r4 = 0
r1 = map[pamap] ll
r2 = r10
r2 += -32
call bpf_map_lookup_elem
if r0 != 0 goto l2
goto l1
l2:
r9 = *(u64 *)(r0 +8)
r7 = r9
w7 = w7
r7 += r0
r7 = *(u64 *)(r7 +0)
l1:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l4
r1 = r0
r2 = 0
call bpf_ringbuf_discard
l4:
r7 = 0
r1 = map[hmap] ll
r2 = r10
r2 += -24
call bpf_map_lookup_elem
if r0 == 0 goto l5
*(u16 *)(r0 +0) = -272
call bpf_get_prandom_u32
l5:
exit
