//! What the taggers know about one token, computed once per token without
//! allocating: hashes of its forms, prefixes, suffixes, shape, clusters.

use super::clusters::Clusters;
use super::hash::Fh;

pub const INIT_CAP: u16 = 1;
pub const ALL_CAP: u16 = 2;
pub const HAS_DIGIT: u16 = 4;
pub const ALL_DIGIT: u16 = 8;
pub const HAS_HYPHEN: u16 = 16;
pub const HAS_PERIOD: u16 = 32;
pub const HAS_ALPHA: u16 = 64;
pub const HAS_LOWER: u16 = 128;

#[derive(Debug, Clone, Copy, Default)]
pub struct Tok {
    /// The form as written, digits folded to 0.
    pub word: u64,
    /// Lower-cased, digits folded to 0: the key of clusters and document memory.
    pub lower: u64,
    /// Character classes with runs collapsed: "Xx", "X.X.", "d-d".
    pub shape: u64,
    /// Lower-cased prefixes and suffixes of 1..=4 characters (0 when the word is shorter).
    pub pre: [u64; 4],
    pub suf: [u64; 4],
    /// Cluster ids (+1; 0 = unknown word) at each granularity.
    pub clus: [u32; 3],
    /// How often the word is capitalized mid-sentence in unlabeled text: 0 unknown, 1..=4.
    pub case: u8,
    pub flags: u16,
    pub chars: u16,
}

fn class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else if c.is_alphabetic() {
        'a'
    } else {
        c
    }
}

/// Lower-case hash of `s` folded as [`Tok::lower`].
pub fn lower_hash(s: &str) -> u64 {
    let mut h = Fh::default();
    for c in s.chars() {
        h = fold_lower(h, c);
    }
    h.0
}

#[inline]
fn fold_lower(h: Fh, c: char) -> Fh {
    if c.is_ascii() {
        let b = c as u8;
        if b.is_ascii_digit() {
            h.byte(b'0')
        } else {
            h.byte(b.to_ascii_lowercase())
        }
    } else if c.is_numeric() {
        h.byte(b'0')
    } else {
        let mut h = h;
        for l in c.to_lowercase() {
            h = h.ch(l);
        }
        h
    }
}

impl Tok {
    pub fn new(s: &str, clusters: Option<&Clusters>) -> Tok {
        let mut t = Tok::default();
        let mut word = Fh::default();
        let mut lower = Fh::default();
        let mut shape = Fh::default();
        let mut last_class = '\0';
        let mut n = 0usize;
        let (mut upper, mut lowc, mut digit, mut alpha) = (0, 0, 0, 0);
        for (i, c) in s.chars().enumerate() {
            word = if c.is_ascii_digit() { word.byte(b'0') } else { word.ch(c) };
            lower = fold_lower(lower, c);
            if i < 4 {
                t.pre[i] = lower.0;
            }
            let k = class(c);
            if k != last_class {
                shape = shape.ch(k);
                last_class = k;
            }
            if i == 0 && c.is_uppercase() {
                t.flags |= INIT_CAP;
            }
            if c.is_uppercase() {
                upper += 1;
            }
            if c.is_lowercase() {
                lowc += 1;
            }
            if c.is_numeric() {
                digit += 1;
            }
            if c.is_alphabetic() {
                alpha += 1;
            }
            if c == '-' {
                t.flags |= HAS_HYPHEN;
            }
            if c == '.' {
                t.flags |= HAS_PERIOD;
            }
            n += 1;
        }
        if upper > 0 && lowc == 0 {
            t.flags |= ALL_CAP;
        }
        if lowc > 0 {
            t.flags |= HAS_LOWER;
        }
        if digit > 0 {
            t.flags |= HAS_DIGIT;
            if digit == n {
                t.flags |= ALL_DIGIT;
            }
        }
        if alpha > 0 {
            t.flags |= HAS_ALPHA;
        }
        t.word = word.0;
        t.lower = lower.0;
        t.shape = shape.0;
        t.chars = n.min(u16::MAX as usize) as u16;
        // Suffixes: walk back over at most 4 characters.
        let mut starts = [0usize; 4];
        let mut k = 0;
        for (b, _) in s.char_indices().rev().take(4) {
            starts[k] = b;
            k += 1;
        }
        for (j, &b) in starts[..k].iter().enumerate() {
            let mut h = Fh::default();
            for c in s[b..].chars() {
                h = fold_lower(h, c);
            }
            t.suf[j] = h.0;
        }
        if let Some(cl) = clusters {
            if let Some((ids, case)) = cl.lookup(t.lower) {
                for (j, &id) in ids.iter().take(3).enumerate() {
                    t.clus[j] = id as u32 + 1;
                }
                t.case = case;
            }
        }
        t
    }

    pub fn is(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}
