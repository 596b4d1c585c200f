// type: socket_filter

// what: helper calls clobber r1-r5
call bpf_ktime_get_ns
r0 = r1
exit
