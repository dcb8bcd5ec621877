//! Feature hashing: features are u64 keys built incrementally from the
//! token's bytes, so extracting them never allocates.

/// An FNV-1a state; cheap to copy, so prefixes of a word come for free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fh(pub u64);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Default for Fh {
    fn default() -> Self {
        Fh(FNV_OFFSET)
    }
}

impl Fh {
    #[inline]
    pub fn byte(self, b: u8) -> Fh {
        Fh((self.0 ^ b as u64).wrapping_mul(FNV_PRIME))
    }

    #[inline]
    pub fn ch(self, c: char) -> Fh {
        let mut buf = [0u8; 4];
        let mut h = self;
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h = h.byte(b);
        }
        h
    }

    #[inline]
    pub fn str(self, s: &str) -> Fh {
        let mut h = self;
        for &b in s.as_bytes() {
            h = h.byte(b);
        }
        h
    }
}

/// A well-mixed 64-bit finalizer (splitmix64).
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The key of feature template `t` with value `v`; never 0 (0 marks an empty slot).
#[inline]
pub fn feat(t: u32, v: u64) -> u64 {
    mix(v ^ (t as u64).wrapping_mul(0xd6e8_feb8_6659_fd93)) | 1
}

/// The key of template `t` over two values.
#[inline]
pub fn feat2(t: u32, a: u64, b: u64) -> u64 {
    feat(t, mix(a).wrapping_add(b.rotate_left(17)))
}

/// The key of template `t` over three values.
#[inline]
pub fn feat3(t: u32, a: u64, b: u64, c: u64) -> u64 {
    feat(t, mix(mix(a).wrapping_add(b.rotate_left(17))).wrapping_add(c.rotate_left(31)))
}

/// A small seeded PRNG (splitmix64) for reproducible shuffles.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0.wrapping_sub(0x9e37_79b9_7f4a_7c15))
    }

    /// Fisher–Yates with this generator.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Hints the CPU to fetch the cache line of `p` (only a hint: any address is safe).
#[inline(always)]
pub fn prefetch_ptr<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetch never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Open-addressing table u64 key → u32 value, built once at load. Keys are
/// already well mixed: the low bits pick the slot and the high 32 bits are
/// kept as a check, so a slot is 8 bytes and a lookup touches one cache line.
#[derive(Debug, Clone, Default)]
pub struct KeyTable {
    slots: Vec<(u32, u32)>,
    mask: usize,
}

#[inline]
fn check(k: u64) -> u32 {
    // Never 0, which marks an empty slot.
    ((k >> 32) as u32).max(1)
}

impl KeyTable {
    /// `keys` must be distinct and non-zero; the value of `keys[i]` is `i`.
    pub fn build(keys: &[u64]) -> KeyTable {
        KeyTable::build_with(keys, |i| i as u32)
    }

    /// As [`KeyTable::build`], with the value of `keys[i]` given by `val(i)`.
    pub fn build_with(keys: &[u64], val: impl Fn(usize) -> u32) -> KeyTable {
        let cap = (keys.len() * 2).max(8).next_power_of_two();
        let mut t = KeyTable { slots: vec![(0, 0); cap], mask: cap - 1 };
        for (i, &k) in keys.iter().enumerate() {
            let mut s = (k as usize) & t.mask;
            while t.slots[s].0 != 0 {
                s = (s + 1) & t.mask;
            }
            t.slots[s] = (check(k), val(i));
        }
        t
    }

    /// Hints the CPU to fetch `k`'s slot; scoring prefetches all of a token's
    /// features first, so the cache misses overlap instead of queueing.
    #[inline]
    pub fn prefetch(&self, k: u64) {
        #[cfg(target_arch = "x86_64")]
        if !self.slots.is_empty() {
            let p = self.slots.as_ptr().wrapping_add((k as usize) & self.mask);
            // SAFETY: prefetch is only a hint; the address is inside `slots`.
            unsafe { std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = k;
    }

    /// The value of `k`; with 32 check bits beyond the slot index, a false
    /// hit on an absent key is vanishingly rare and costs one stray weight.
    #[inline]
    pub fn get(&self, k: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let c = check(k);
        let mut s = (k as usize) & self.mask;
        loop {
            let (x, v) = self.slots[s];
            if x == c {
                return Some(v);
            }
            if x == 0 {
                return None;
            }
            s = (s + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_finds_every_key_and_no_other() {
        let keys: Vec<u64> = (1..1000u64).map(|i| feat(3, i)).collect();
        let t = KeyTable::build(&keys);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.get(k), Some(i as u32));
        }
        assert_eq!(t.get(feat(4, 1)), None);
    }

    #[test]
    fn shuffle_is_seeded() {
        let mut a: Vec<u32> = (0..50).collect();
        let mut b = a.clone();
        Rng::new(7).shuffle(&mut a);
        Rng::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        assert_ne!(a, (0..50).collect::<Vec<_>>());
    }
}
