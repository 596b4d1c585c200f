// type: socket_filter

// what: a jump to the second slot of a 64-bit constant
r0 = 0
if r0 == 0 goto +1
r1 = 0x1122334455667788 ll
exit
