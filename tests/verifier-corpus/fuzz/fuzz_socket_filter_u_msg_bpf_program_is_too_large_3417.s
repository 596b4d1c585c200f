// type: socket_filter
// mode: unpriv
// run: no
// log: 0
map dmap: array key=4 value=48 max=1

// what: verifier_diff seed 3417 (unpriv): message: kernel `BPF program is too large. Processed N insn`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected EINVAL `infinite loop detected at insn 4`, 187 insns
r6 = r1
r7 = 0
l1:
r0 = r7
r7 += 1
if w7 < 7 goto l1
r7 = (s32)r7
w7 >>= 22
if r7 > 0 goto l2
goto l3
l2:
exit
l3:
l4:
r9 = *(u32 *)(r6 +64)
r8 = map_value[dmap]+16
r8 = *(u32 *)(r8 +28)
r0 = 0
exit
