// title: Tracepoint: reading the event's fields
// type: tracepoint
// expect: accepted
// about: A tracepoint program gets a pointer to the event's record: an 8-byte common header,
// about: then the event's own fields. Reads must be aligned and within the record.

    r2 = *(u64 *)(r1 +8)          // first field after the header
    r3 = *(u32 *)(r1 +16)         // a 4-byte field
    r0 = 0
    if r3 == 0 goto out
    r0 = 1
out:
    exit
