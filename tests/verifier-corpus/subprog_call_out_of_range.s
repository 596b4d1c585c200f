// type: socket_filter

// what: a call to a target past the end
call pc+5
r0 = 0
exit
