// type: socket_filter

// what: bpf_ktime_get_ns
call bpf_ktime_get_ns
r0 = 0
exit
