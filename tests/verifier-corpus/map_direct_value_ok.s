// type: socket_filter
map cfg: array key=4 value=16 max=1

// what: a direct pointer to the value of a one-entry array (BPF_PSEUDO_MAP_VALUE), offset 8
r1 = map_value[cfg]+8
r0 = *(u64 *)(r1 +0)
exit
