// type: xdp
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096
map phmap: percpu_hash key=8 value=16 max=64

// what: verifier_diff seed 2992 (unpriv): processed: rejected `invalid bpf_context access off=N size=N`, bpfplay counts fewer | bpfplay: rejected EACCES `invalid bpf_context access off=12 size=2`, 49 insns
r6 = r1
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l1
r1 = r0
r2 = 0
call bpf_ringbuf_discard
l1:
*(u64 *)(r10 -48) = 1
r1 = map[phmap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 == 0 goto l2
r7 = *(u32 *)(r6 +12)
r7 &= 7
r7 += r0
l2:
r8 = 0
r8 s%= -2147483648
if r8 != 13 goto l3
l3:
if w8 s< 7 goto l5
goto l6
l5:
*(u16 *)(r6 +12) = 16
l6:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r9 = r0
if r9 == 0 goto l7
r1 = r9
r2 = 0
call bpf_ringbuf_discard
l7:
*(u64 *)(r10 -8) = 0
r8 = atomic64_xchg((u64 *)(r10 -8), r8)
r0 = 0
exit
