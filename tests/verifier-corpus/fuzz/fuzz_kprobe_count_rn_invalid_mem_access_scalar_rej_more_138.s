// type: kprobe
// run: no
map lmap: lru_hash key=4 value=64 max=16
map rb: ringbuf key=0 value=0 max=4096
map pamap: percpu_array key=4 value=64 max=16

// what: verifier_diff seed 138 (priv): processed: rejected `RN invalid mem access 'scalar'`, bpfplay counts more | bpfplay: rejected EACCES `R8 invalid mem access 'scalar'`, 52 insns
r9 = 0
r8 = r9
r8 = *(u64 *)(r10 -24)
w8 >>= 21
r8 /= 7
if r8 >= 1 goto l1
goto l2
l1:
r0 = *(u64 *)(r8 +0)
l2:
r1 = map[lmap] ll
r2 = r10
r2 += -16
r3 = r10
r3 += -128
r4 = 0
call bpf_map_update_elem
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l3
r1 = r0
r2 = 0
call bpf_ringbuf_submit
l3:
r5 = 8
if w5 s>= 5 goto l4
goto l6
l4:
r7 = 0
r7 = be64 r7
l6:
r1 = map[pamap] ll
r2 = r10
r2 += -32
call bpf_map_lookup_elem
if r0 == 0 goto l7
if r8 > 56 goto l8
r8 += r0
r9 = *(u64 *)(r8 +0)
l8:
l7:
r0 = 0
exit
