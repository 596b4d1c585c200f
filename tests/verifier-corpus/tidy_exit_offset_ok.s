// type: socket_filter

// what: exit with a non-zero offset loads (the kernel does not check it)
// patch: 1 off=1
r0 = 0
exit
