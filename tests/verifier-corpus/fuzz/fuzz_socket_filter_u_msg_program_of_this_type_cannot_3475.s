// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096
map pamap: percpu_array key=4 value=16 max=16

// what: verifier_diff seed 3475 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `invalid access to map value, value_size=N off=-N size=N` | bpfplay: rejected EACCES `invalid access to map value, value_size=16 off=-1 size=4`, 30 insns
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l3
r1 = r0
r2 = 0
call bpf_ringbuf_discard
l3:
call f1
call f2
exit
f1:
r9 = 0
call bpf_get_prandom_u32
r2 = r0
r2 &= 0
r1 = r10
r1 += -16
r3 = r9
call bpf_probe_read_kernel
exit
f2:
*(u32 *)(r10 -28) = 7
r1 = map[pamap] ll
r2 = r10
r2 += -28
call bpf_map_lookup_elem
r6 = r0
if r6 != 0 goto l9
goto l8
l9:
r2 = *(u32 *)(r6 -1)
l8:
exit
