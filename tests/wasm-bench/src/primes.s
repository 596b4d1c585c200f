    r6 = 2
    r7 = 0
loop:
    r1 = r6
    call is_prime
    r7 += r0
    r6 += 1
    if r6 < 30000 goto loop
    r0 = r7
    exit
is_prime:
    r2 = 2
inner:
    r3 = r2
    r3 *= r2
    if r3 > r1 goto prime
    r4 = r1
    r4 %= r2
    if r4 == 0 goto composite
    r2 += 1
    goto inner
prime:
    r0 = 1
    exit
composite:
    r0 = 0
    exit
