// type: socket_filter

// what: the dummy socket's rx_queue_mapping is -1; a narrow load of a 4-byte field reads its low bytes
r1 = *(u64 *)(r1 +168)
if r1 == 0 goto out
r0 = *(u16 *)(r1 +76)
exit
out:
r0 = 0
exit
