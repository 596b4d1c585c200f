// type: socket_filter
map jt: prog_array key=4 value=4 max=4

// what: bpf_tail_call(ctx, prog_array, 0); the empty slot falls through
r2 = map[jt] ll
r3 = 0
call bpf_tail_call
r0 = 0
exit
