// type: kprobe

// what: bpf_trace_printk with a format that is not NUL-terminated (checked at run time, not by the verifier)
r1 = 0x41414141
*(u32 *)(r10 -4) = r1
r1 = r10
r1 += -4
r2 = 4
call bpf_trace_printk
r0 = 0
exit
