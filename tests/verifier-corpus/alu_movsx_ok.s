// type: socket_filter

// what: sign-extending move: (s8)0xff = -1; returns 0xffffffff
r1 = 0xff
r0 = (s8)r1
exit
