// title: Check the lookup
// type: socket_filter
// goal: Count packets in the map and keep them all (return 0xffff). The verifier rejects the
// goal: program as it is: fix it without removing the lookup.
// check: accepted
// check: returns 65535
// check: contains bpf_map_lookup_elem
// hint: The lookup's result is `map_value_or_null`. Step to the error and look at R0.
// hint: Compare R0 with 0 and skip the increment when it is NULL: `if r0 == 0 goto out`.
map counts: hash key=4 value=8 max=1

    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[counts] ll
    call bpf_map_lookup_elem
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
out:
    r0 = 0xffff
    exit
