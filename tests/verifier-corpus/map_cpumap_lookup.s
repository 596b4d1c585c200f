// type: xdp
map cm: cpumap key=4 value=4 max=2

// what: programs only redirect to a cpumap; they cannot look into it
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[cm] ll
call bpf_map_lookup_elem
r0 = 2
exit
