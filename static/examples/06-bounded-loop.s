// title: A bounded loop
// type: socket_filter
// expect: accepted
// about: Since Linux 5.3 loops are allowed when the verifier can see that they end: it walks
// about: every iteration, here 10, with the counter known exactly each time. Step through it
// about: and watch r1 grow. Returns 0+1+...+9 = 45.

    r0 = 0
    r1 = 0
loop:
    r0 += r1
    r1 += 1
    if r1 < 10 goto loop
    exit
