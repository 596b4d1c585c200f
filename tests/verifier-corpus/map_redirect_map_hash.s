// type: xdp
map h: hash key=4 value=4 max=2

// what: bpf_redirect_map takes device, CPU and AF_XDP socket maps only
r1 = map[h] ll
r2 = 0
r3 = 0
call bpf_redirect_map
exit
