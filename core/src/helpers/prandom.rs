//! `bpf_get_prandom_u32`: the kernel's Tausworthe generator (lib/random32.c,
//! `prandom_u32_state`, seeded as `prandom_seed_state` does), from a seed the world gives.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prandom {
    s: [u32; 4],
}

fn tausworthe(s: u32, a: u32, b: u32, c: u32, d: u32) -> u32 {
    ((s & c) << d) ^ (((s << a) ^ s) >> b)
}

impl Prandom {
    /// `prandom_seed_state` then its warm-up.
    pub fn new(seed: u64) -> Prandom {
        let i = (((seed >> 32) ^ (seed << 10) ^ seed) & 0xffff_ffff) as u32;
        let f = |m: u32| if i < m { i + m } else { i };
        let mut p = Prandom { s: [f(2), f(8), f(16), f(128)] };
        for _ in 0..10 {
            p.next_u32();
        }
        p
    }

    pub fn next_u32(&mut self) -> u32 {
        let s = &mut self.s;
        s[0] = tausworthe(s[0], 6, 13, 4294967294, 18);
        s[1] = tausworthe(s[1], 2, 27, 4294967288, 2);
        s[2] = tausworthe(s[2], 13, 21, 4294967280, 7);
        s[3] = tausworthe(s[3], 3, 12, 4294967168, 13);
        s[0] ^ s[1] ^ s[2] ^ s[3]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let mut a = Prandom::new(1);
        let mut b = Prandom::new(1);
        let xs: alloc::vec::Vec<u32> = (0..8).map(|_| a.next_u32()).collect();
        assert_eq!(xs, (0..8).map(|_| b.next_u32()).collect::<alloc::vec::Vec<_>>());
        assert!(xs.windows(2).all(|w| w[0] != w[1]));
        assert_ne!(Prandom::new(2).next_u32(), Prandom::new(1).next_u32());
    }
}
