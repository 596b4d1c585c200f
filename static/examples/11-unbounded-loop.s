// title: Rejected: a loop that cannot end
// type: socket_filter
// expect: rejected: infinite loop detected at insn 1
// about: The exit condition depends on a value that is loaded again on every iteration and
// about: never changes: the verifier sees the same state twice at the loop's head and stops.
// about: A loop must make progress toward its exit, for example a counter bounded by a constant.

    r0 = 0
loop:
    r2 = *(u32 *)(r1 +0)
    if r2 != 0 goto loop
    exit
