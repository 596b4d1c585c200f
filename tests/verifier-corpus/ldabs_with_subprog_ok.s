// type: socket_filter

// what: LD_ABS in a program with bpf-to-bpf calls is allowed (6.18)
r6 = r1
call f
r0 = *(u8 *)skb[0]
exit
f:
r0 = 0
exit
