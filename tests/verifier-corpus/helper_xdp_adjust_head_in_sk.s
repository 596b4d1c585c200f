// type: socket_filter

// what: an XDP helper in a socket filter
r2 = 0
call bpf_xdp_adjust_head
r0 = 0
exit
