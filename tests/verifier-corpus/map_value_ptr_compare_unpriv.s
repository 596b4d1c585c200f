// type: socket_filter
// mode: unpriv
map counts: hash key=4 value=8 max=64

// what: comparing a map value pointer with another pointer without CAP_PERFMON
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[counts] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
if r0 == r10 goto out
out:
r0 = 0
exit
