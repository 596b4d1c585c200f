// type: socket_filter
// what: a may_goto loop writing a map value at a growing offset, the loop's exit test
// checked against the value's size
map vals: array key=4 value=64 max=1
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[vals]
call bpf_map_lookup_elem
if r0 == 0 goto out
r1 = 0
loop:
may_goto out
r2 = r0
r2 += r1
*(u8 *)(r2 +0) = 1
r1 += 1
if r1 < 64 goto loop
out:
r0 = 0
exit
