// type: kprobe
// run: no
map hmap: hash key=4 value=24 max=16
map amap: array key=4 value=24 max=1
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 768 (priv): message: kernel `RN invalid mem access 'scalar'`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 21`, 50 insns
r5 = 0
r5 %= 13
if r5 >= 9 goto l3
goto l4
l3:
r0 = *(u64 *)(r5 +0)
l4:
r1 = map[hmap] ll
r2 = r10
r2 += -16
call bpf_map_lookup_elem
r8 = r0
if r8 == 0 goto l5
l5:
r5 = 0
r8 += 1
r1 = map[amap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
if r0 != 0 goto l9
l9:
call bpf_get_prandom_u32
r1 = map[rb] ll
r2 = r10
r2 += -64
r3 = 0
r4 = 0
call bpf_ringbuf_output
exit
