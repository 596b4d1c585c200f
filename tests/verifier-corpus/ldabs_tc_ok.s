// type: sched_cls

// what: LD_ABS in tc counts from the Ethernet header: byte 12 is the EtherType's first
r6 = r1
r0 = *(u8 *)skb[12]
exit
