// type: xdp
// mode: unpriv
// run: no
map hmap: hash key=4 value=48 max=64

// what: verifier_diff seed 485 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `invalid read from stack RN off -N+N size N` | bpfplay: rejected EACCES `invalid read from stack R2 off -8+0 size 4`, 11 insns
call bpf_get_prandom_u32
r2 = r0
r2 &= 15
r1 = r10
r1 += -40
r3 = 0
call bpf_probe_read_kernel
r1 = map[hmap] ll
r2 = r10
r2 += -8
call bpf_map_update_elem
call f1
exit
f1:
exit
