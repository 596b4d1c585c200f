// type: socket_filter

// what: negation; returns 0xfffffffb
r0 = 5
r0 = -r0
exit
