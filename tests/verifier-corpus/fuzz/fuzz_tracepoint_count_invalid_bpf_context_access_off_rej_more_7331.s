// type: tracepoint
// run: no
map hmap: hash key=8 value=24 max=64
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 7331 (priv): processed: rejected `invalid bpf_context access off=N size=N`, bpfplay counts more | bpfplay: rejected EACCES `invalid bpf_context access off=4 size=4`, 43 insns
r6 = r1
r1 = map[hmap] ll
r2 = r10
r2 += -8
call bpf_map_lookup_elem
if r0 != 0 goto l2
goto l1
l2:
r7 = *(u32 *)(r6 +4)
l1:
r1 = map[hmap] ll
r2 = r10
r2 += -24
call bpf_map_lookup_elem
if r0 == 0 goto l5
r7 = *(u32 *)(r6 +12)
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l6
r1 = r0
r2 = 0
call bpf_ringbuf_discard
l6:
l5:
call bpf_get_prandom_u32
r2 = r0
r7 = r10
r7 += -64
if w2 > 539 goto l7
l7:
r9 = 0
r0 = 0
exit
