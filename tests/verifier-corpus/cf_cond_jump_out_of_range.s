// type: socket_filter

// what: a conditional jump past the end
r0 = 0
if r0 == 0 goto +10
exit
