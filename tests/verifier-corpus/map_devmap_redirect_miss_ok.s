// type: xdp
map dm: devmap key=4 value=4 max=4

// what: bpf_redirect_map to an empty slot returns the action in the flags' low bits (XDP_PASS here)
r1 = map[dm] ll
r2 = 1
r3 = 2
call bpf_redirect_map
exit
