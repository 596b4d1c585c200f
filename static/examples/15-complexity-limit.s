// title: Rejected: too complex (a million instructions)
// type: socket_filter
// expect: rejected: BPF program is too large. Processed 1000001 insn
// about: A loop of a hundred million iterations: the verifier walks it one iteration at a
// about: time, each with a new value of r1, and gives up after a million processed
// about: instructions. The walk runs in the background: the page stays usable, and you can
// about: cancel it.

    r1 = 0
loop:
    r1 += 1
    if r1 < 100000000 goto loop
    r0 = 0
    exit
