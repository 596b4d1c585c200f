// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: a direct value pointer into a hash map
r1 = map_value[counts]+0
r0 = 0
exit
