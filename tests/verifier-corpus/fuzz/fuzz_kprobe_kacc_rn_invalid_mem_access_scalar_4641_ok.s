// type: kprobe
// run: no

// what: verifier_diff seed 4641 (priv): verdict: kernel accepts, bpfplay rejects `RN invalid mem access 'scalar'` | bpfplay: rejected EACCES `R0 invalid mem access 'scalar'`, 5 insns
call bpf_get_smp_processor_id
if r0 >= 89 goto l2
goto l3
l2:
r0 = *(u64 *)(r0 +0)
l3:
exit
