// title: Event accounting: a histogram in a hash map
// type: socket_filter
// expect: accepted
// runs: 100
// about: Every packet is counted in a bucket of its length (len / 256, at most 7): the key is
// about: the bucket, the value a counter. User space reads the map and draws the histogram;
// about: in the map inspector the counters show as a bar chart. Run it many times.
map sizes: hash key=4 value=8 max=16

    r2 = *(u32 *)(r1 +0)          // skb->len
    r2 >>= 8                      // bucket = len / 256
    if r2 <= 7 goto store
    r2 = 7                        // the last bucket takes everything larger
store:
    *(u32 *)(r10 -4) = r2         // key on the stack
    r1 = map[sizes] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto new
    r1 = 1
    lock *(u64 *)(r0 +0) += r1    // existing bucket: count atomically
    goto out
new:
    r1 = 1
    *(u64 *)(r10 -16) = r1        // first packet of this size: insert 1
    r1 = map[sizes] ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 0                        // BPF_ANY
    call bpf_map_update_elem
out:
    r0 = 0
    exit
