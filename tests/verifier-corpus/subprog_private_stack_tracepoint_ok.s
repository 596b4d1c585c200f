// type: tracepoint
// what: 496 bytes of stack in the main program and 56 in a subprogram: 560 in all, over 512,
// but tracepoint programs (without tail calls) get private stacks on x86-64 and the
// subprogram's 64 rounded bytes are its own (bpf_enable_priv_stack)
*(u16 *)(r10 -496) = 2
call f
r0 = 0
exit
f:
*(u64 *)(r10 -56) = 1
r0 = 0
exit
