// type: socket_filter
// run: no

// what: verifier_diff seed 1470 (priv): verdict: kernel accepts, bpfplay rejects `invalid bpf_context access off=N size=N` | bpfplay: rejected EACCES `invalid bpf_context access off=48 size=1`, 2 insns
r3 = 0
*(u8 *)(r1 +48) = r3
r0 = 0
exit
