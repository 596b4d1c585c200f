// type: socket_filter

// what: exit without setting r0
exit
