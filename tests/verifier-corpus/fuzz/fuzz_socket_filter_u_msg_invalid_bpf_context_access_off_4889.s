// type: socket_filter
// mode: unpriv
// run: no
map dmap: array key=4 value=64 max=1

// what: verifier_diff seed 4889 (unpriv): message: kernel `invalid bpf_context access off=N size=N`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 11`, 74 insns
r6 = r1
call bpf_get_smp_processor_id
r8 = r0
r4 = 26
r2 = r10
if r0 != 0 goto l5
goto l4
l5:
r7 = *(u32 *)(r6 +80)
l4:
l7:
*(u64 *)(r10 -56) = r8
r8 += 1
if r8 s< 6 goto l7
if r8 >= 14 goto l8
r2 = r10
r2 += -20
r9 = r0
r9 = map_value[dmap]+24
goto l10
l8:
r0 = *(u32 *)skb[r8 + 1]
l10:
exit
