// type: kprobe
// what: the program of subprog_private_stack_tracepoint_ok as a kprobe: the 6.18 kernel here
// gives kprobe programs no private stack (measured), so 496 and 64 rounded bytes add up past 512
*(u16 *)(r10 -496) = 2
call f
r0 = 0
exit
f:
*(u64 *)(r10 -56) = 1
r0 = 0
exit
