// type: xdp

// what: data + 14 <= data_end checked before reading byte 12 (0x88 in the test frame)
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r0 = 0
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u8 *)(r2 +12)
out:
exit
