// type: xdp
// run: no
map lmap: lru_hash key=4 value=48 max=16
map hmap: hash key=4 value=48 max=64

// what: verifier_diff seed 10486 (priv): processed: rejected `invalid access to map value, value_size=N off=N size=N`, bpfplay counts more | bpfplay: rejected EACCES `invalid access to map value, value_size=48 off=65535 size=2`, 69 insns
r1 = map[lmap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
r9 = r0
if r9 != 0 goto l2
goto l1
l2:
r7 = *(u16 *)(r9 +0)
r9 += r7
r2 = *(u16 *)(r9 +0)
l1:
*(u32 *)(r10 -12) = 14
r1 = map[hmap] ll
r2 = r10
r2 += -12
call bpf_map_lookup_elem
if r0 == 0 goto l4
r9 = *(u32 *)(r0 +12)
l4:
call f1
r1 = r10
r1 += -64
call f2
exit
f1:
exit
f2:
r6 = r1
r1 = r10
r1 += -80
call bpf_get_prandom_u32
if r0 <= 11 goto l5
if r0 <= r0 goto l6
r7 = *(u32 *)(r6 +12)
w7 s>>= 17
l6:
r1 = 0
r8 = *(u8 *)(r10 -79)
l5:
r0 = 0
exit
