// type: socket_filter
// mode: unpriv
map jt: prog_array key=4 value=4 max=4

// what: bpf_tail_call without CAP_SYS_ADMIN/CAP_PERFMON
r2 = map[jt] ll
r3 = 0
call bpf_tail_call
r0 = 0
exit
