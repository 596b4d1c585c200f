// type: socket_filter

// what: helper id 999 does not exist
call 999
r0 = 0
exit
