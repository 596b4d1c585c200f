// type: socket_filter

// what: a helper call with a non-zero offset
// patch: 0 off=1
call bpf_ktime_get_ns
r0 = 0
exit
