// type: socket_filter

// what: callx (0x8d), which the kernel does not know
// patch: 1 code=0x8d dst=2 imm=0
r2 = 0
call bpf_ktime_get_ns
r0 = 0
exit
