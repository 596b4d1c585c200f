// type: socket_filter

// what: shifts by 63 and 31 are fine; returns 1
r0 = 1
r0 <<= 63
r0 >>= 63
w0 <<= 31
w0 >>= 31
exit
