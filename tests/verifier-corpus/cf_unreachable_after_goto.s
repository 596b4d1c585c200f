// type: socket_filter

// what: an instruction jumped over by every path
r0 = 0
goto +1
r0 = 1
exit
