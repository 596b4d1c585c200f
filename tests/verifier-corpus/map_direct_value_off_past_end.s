// type: socket_filter
map cfg: array key=4 value=16 max=1

// what: a direct value pointer whose offset (16) is the value size
r1 = map_value[cfg]+16
r0 = 0
exit
