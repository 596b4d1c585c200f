// type: socket_filter

// what: bpf_get_current_pid_tgid in a socket filter (a base helper in 6.18)
call bpf_get_current_pid_tgid
r0 = 0
exit
