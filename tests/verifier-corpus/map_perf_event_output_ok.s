// type: socket_filter
map pe: perf_event_array key=4 value=4 max=4

// what: bpf_perf_event_output into a perf event array with no perf event open: -ENOENT
*(u64 *)(r10 -8) = 0
r4 = r10
r4 += -8
r2 = map[pe] ll
r3 = 0xffffffff ll
r5 = 8
call bpf_perf_event_output
exit
