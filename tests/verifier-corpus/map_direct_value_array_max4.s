// type: socket_filter
map arr: array key=4 value=16 max=4

// what: a direct value pointer into an array of 4 entries
r1 = map_value[arr]+0
r0 = 0
exit
