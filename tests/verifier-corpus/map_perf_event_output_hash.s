// type: socket_filter
map h: hash key=4 value=4 max=4

// what: bpf_perf_event_output needs a perf event array
*(u64 *)(r10 -8) = 0
r4 = r10
r4 += -8
r2 = map[h] ll
r3 = 0
r5 = 8
call bpf_perf_event_output
exit
