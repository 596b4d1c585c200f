// type: xdp
// run: no
map amap: array key=4 value=24 max=1

// what: verifier_diff seed 3771 (priv): message: kernel `misaligned access off (N; N)+N+N size N`, bpfplay `RN invalid mem access 'scalar'` | bpfplay: rejected EACCES `R0 invalid mem access 'scalar'`, 8 insns
r1 = map[amap] ll
r2 = r10
r2 += -32
call bpf_map_lookup_elem
if r0 == 0 goto l1
r5 = *(u16 *)(r0 +18)
r0 = 0
r0 = atomic64_cmpxchg((u64 *)(r0 +0), r0, r5)
l1:
exit
