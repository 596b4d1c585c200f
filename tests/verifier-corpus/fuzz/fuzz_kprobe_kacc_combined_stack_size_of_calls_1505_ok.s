// type: kprobe
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 1505 (priv): verdict: kernel accepts, bpfplay rejects `combined stack size of N calls is N. Too large` | bpfplay: rejected EACCES `combined stack size of 2 calls is 528. Too large`, 12 insns
r1 = map[rb] ll
r2 = r10
r2 += -56
r3 = 0
r4 = 0
call bpf_ringbuf_output
r2 = 0
call f1
exit
f1:
*(u8 *)(r10 -461) = r2
r0 = 0
exit
