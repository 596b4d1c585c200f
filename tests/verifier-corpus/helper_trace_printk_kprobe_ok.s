// type: kprobe

// what: bpf_trace_printk("hi\n", 4) with the format on the stack
r1 = 0x000a6968
*(u32 *)(r10 -4) = r1
r1 = r10
r1 += -4
r2 = 4
call bpf_trace_printk
r0 = 0
exit
