// type: xdp
// mode: unpriv
// run: no
map pamap: percpu_array key=4 value=24 max=1
map rb: ringbuf key=0 value=0 max=4096
map amap: array key=4 value=24 max=16
map lmap: lru_hash key=4 value=24 max=1

// what: verifier_diff seed 1945 (unpriv): processed: rejected `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay counts more | bpfplay: rejected EINVAL `program of this type cannot use helper bpf_probe_read_kernel#113`, 41 insns
*(u32 *)(r10 -32) = 0
r1 = map[pamap] ll
r2 = r10
r2 += -32
call bpf_map_lookup_elem
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
call f1
*(u32 *)(r10 -36) = 0
r1 = map[lmap] ll
r2 = r10
r2 += -36
call bpf_map_lookup_elem
if r0 == 0 goto l10
r7 = *(u8 *)(r0 +0)
*(u64 *)(r10 -24) = 56
l10:
r0 = 0
exit
f1:
*(u32 *)(r10 -36) = 1000
r1 = map[amap] ll
r2 = r10
r2 += -36
call bpf_map_lookup_elem
if r0 != 0 goto l8
goto l7
l8:
call bpf_probe_read_kernel
l7:
r2 = r10
r2 += -48
r3 = r10
r3 += -88
r4 = 0
exit
