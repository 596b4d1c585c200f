// type: tracepoint
// run: no

// what: verifier_diff seed 1686 (priv): processed: accepted, bpfplay counts fewer | bpfplay: accepted, 6 insns
call bpf_get_smp_processor_id
r9 = r0
r5 = r9
r5 = -r5
r5 &= 1
exit
