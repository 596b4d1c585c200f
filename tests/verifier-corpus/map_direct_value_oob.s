// type: socket_filter
map cfg: array key=4 value=16 max=1

// what: reading 8 bytes at offset 12 of a direct value pointer into a 16-byte value
r1 = map_value[cfg]+12
r0 = *(u64 *)(r1 +0)
exit
