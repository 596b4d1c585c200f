// type: socket_filter
// mode: unpriv
// run: no
map dmap: array key=4 value=24 max=1
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 355 (unpriv): message: kernel `math between map_value pointer and register with unbounded min value is not allowed`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r8 = map_value[dmap]+12
call bpf_get_prandom_u32
r4 = r0
if w4 <= 8 goto l5
goto l4
l5:
r4 += r8
l4:
r1 = map[rb] ll
r9 = r0
r9 = (s32)r9
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l11
r1 = r0
r2 = 0
call bpf_ringbuf_submit
l11:
r0 = r9
exit
