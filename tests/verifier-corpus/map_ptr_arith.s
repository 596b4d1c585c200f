// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: arithmetic on the map pointer
r1 = map[counts] ll
r1 += 8
r0 = 0
exit
