// type: socket_filter

// what: signed 32-bit division by the constant 0
w0 = 7
w0 s/= 0
exit
