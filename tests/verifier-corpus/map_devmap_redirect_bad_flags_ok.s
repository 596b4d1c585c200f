// type: xdp
map dm: devmap key=4 value=4 max=4

// what: bpf_redirect_map with an unknown flag (4) returns XDP_ABORTED
r1 = map[dm] ll
r2 = 1
r3 = 6
call bpf_redirect_map
exit
