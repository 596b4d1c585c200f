// type: xdp
map q: queue key=0 value=8 max=4

// what: bpf_map_lookup_elem on a queue with a packet pointer as its (0-byte) key: the key passes, the map type does not
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 > r3 goto out
r1 = map[q] ll
call bpf_map_lookup_elem
out:
r0 = 0
exit
