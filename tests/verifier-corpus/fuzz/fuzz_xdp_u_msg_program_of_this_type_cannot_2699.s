// type: xdp
// mode: unpriv
// run: no
map amap: array key=4 value=8 max=4

// what: verifier_diff seed 2699 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `invalid access to packet, off=N size=N, RN(id=N,off=N,r=N)` | bpfplay: rejected EACCES `invalid access to packet, off=0 size=1, R8(id=0,off=0,r=0)`, 14 insns
r6 = r1
*(u32 *)(r10 -4) = 1
r1 = map[amap] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 != 0 goto l2
l2:
r1 = r10
r2 = r0
r1 += -8
r3 = 0
call bpf_probe_read_kernel
r8 = *(u32 *)(r6 +0)
r0 = *(u8 *)(r8 +0)
exit
