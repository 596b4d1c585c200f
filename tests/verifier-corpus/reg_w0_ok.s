// type: socket_filter

// what: a 32-bit move zero-extends; the test run returns 0xffffffff
w0 = -1
exit
