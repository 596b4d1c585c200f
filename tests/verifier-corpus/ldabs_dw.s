// type: socket_filter

// what: an 8-byte LD_ABS (patched size field)
// patch: 1 code=0x38
r6 = r1
r0 = *(u8 *)skb[0]
exit
