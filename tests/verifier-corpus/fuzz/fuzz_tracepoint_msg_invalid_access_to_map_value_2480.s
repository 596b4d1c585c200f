// type: tracepoint
// run: no
map hmap: hash key=8 value=16 max=1
map dmap: array key=4 value=16 max=1
map phmap: percpu_hash key=4 value=16 max=1
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 2480 (priv): message: kernel `invalid access to map value, value_size=N off=N size=N`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 25`, 45 insns
r6 = r1
r1 = map[hmap] ll
r2 = r10
r2 += -32
call bpf_map_lookup_elem
if r0 != 0 goto l2
goto l1
l2:
r9 = map_value[dmap]+12
r8 = r9
r8 += 10
r0 = *(u16 *)(r8 +0)
l1:
call f1
r1 = map[phmap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 != 0 goto l7
l7:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r7 = r0
if r7 == 0 goto l9
r2 = 0
r1 = r7
call bpf_ringbuf_submit
l9:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l10
r1 = r0
r2 = 0
call bpf_ringbuf_submit
l10:
r0 = r6
exit
f1:
exit
