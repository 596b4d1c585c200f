// type: socket_filter
// mode: unpriv
// log: 0
// what: a three-iteration loop, unprivileged: every speculative walk of the exit branch
// gets fresh scalar ids, so no state repeats exactly and the verifier runs to the limit
// (states_maybe_looping compares ids too).
r8 = 0
l1:
r0 = r8
r8 += 1
if r8 < 3 goto l1
r0 = 0
exit
