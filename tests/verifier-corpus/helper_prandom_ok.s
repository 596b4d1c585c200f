// type: xdp

// what: bpf_get_prandom_u32; returns XDP_PASS
call bpf_get_prandom_u32
r0 = 2
exit
