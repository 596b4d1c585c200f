// type: socket_filter

// what: helper id 0 (unspec)
call 0
r0 = 0
exit
