//! The arc-hybrid transition system (Kuhlmann et al. 2011) with the dynamic
//! oracle of Goldberg & Nivre (2013), and the parser's feature templates
//! (after Zhang & Nivre 2011). Token 0 is the artificial root, kept at the
//! bottom of the stack; it takes its one dependent (label `root`) last.

use crate::nlp::hash::{feat, feat2, feat3, mix};

/// "No token" in stack / child slots.
pub const NONE: u32 = u32::MAX;

/// What the features know about one token (index 0 = root).
#[derive(Debug, Clone, Copy, Default)]
pub struct PTok {
    /// Lower-cased form hash (digits folded).
    pub w: u64,
    /// XPOS hash (predicted).
    pub p: u64,
    /// Word cluster ids at 256 and 1024 clusters (+1; 0 unknown).
    pub c: u64,
    pub c2: u64,
    /// Lower-cased 3-character suffix and word shape ("Xx", "d.d"): what
    /// an unknown word still shows (used by [`F_AFFIX`]).
    pub s: u64,
    pub sh: u64,
    /// Predicted supertag (`crate::nlp::supertag`; used by [`F_STAG`]; 0 = none).
    pub st: u64,
}

/// Optional feature groups (the model stores which it was trained with).
/// Suffix and shape of s0, n0, n1, s1.
pub const F_AFFIX: u32 = 1;
/// Clusters of more positions (children, s2, n2) and word × cluster pairs.
pub const F_CLUS: u32 = 2;
/// More lexical pairs and triples over n0–n1 and s1–s0–n0.
pub const F_PAIRS: u32 = 4;
/// Children's labels with the head's word.
pub const F_LABW: u32 = 8;
/// Supertags (relation + head side, from a sequence tagger that reads the
/// whole sentence) of s0, s1, s2, n0, n1, n2, alone and with words, tags,
/// each other, distance and children.
pub const F_STAG: u32 = 16;

const ROOT_W: u64 = 0x0007_0007_0007;
const NONE_W: u64 = 0x000e_000e_000e;

impl PTok {
    pub fn root() -> PTok {
        PTok { w: ROOT_W, p: ROOT_W, c: ROOT_W, c2: ROOT_W, s: ROOT_W, sh: ROOT_W, st: ROOT_W }
    }
}

/// A parser configuration; its buffers are reused from sentence to sentence.
#[derive(Debug, Default, Clone)]
pub struct State {
    /// Tokens including the root.
    pub n: usize,
    pub stack: Vec<u32>,
    /// Front of the buffer; `b == n` means the buffer is empty.
    pub b: usize,
    pub head: Vec<u32>,
    /// Label index + 1 of each token's arc; 0 = none yet.
    pub label: Vec<u16>,
    l1: Vec<u32>,
    l2: Vec<u32>,
    r1: Vec<u32>,
    r2: Vec<u32>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
}

/// A transition class: 0 = SHIFT, 1..=L = LEFT-arc with label c-1,
/// L+1..=2L = RIGHT-arc with label c-1-L.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Shift,
    Left(u16),
    Right(u16),
}

#[inline]
pub fn decode_class(c: usize, n_labels: usize) -> Move {
    if c == 0 {
        Move::Shift
    } else if c <= n_labels {
        Move::Left((c - 1) as u16)
    } else {
        Move::Right((c - 1 - n_labels) as u16)
    }
}

/// Structural costs of the three moves (gold arcs they make unreachable),
/// and whether LEFT / RIGHT would give s0 its gold head.
#[derive(Debug, Clone, Copy)]
pub struct Costs {
    pub shift: u32,
    pub left: u32,
    pub left_head: bool,
    pub right: u32,
    pub right_head: bool,
}

impl State {
    /// The parse as (1-based head, label index) per word: an unattached word
    /// hangs from the root with `root_label`.
    pub fn arcs_into(&self, root_label: u16, out: &mut Vec<(u32, u16)>) {
        for i in 1..self.n.min(self.head.len()) {
            match self.head[i] {
                NONE => out.push((0, root_label)),
                h => out.push((h, self.label[i].saturating_sub(1))),
            }
        }
    }

    pub fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.stack.push(0);
        self.b = 1;
        for v in [&mut self.head, &mut self.l1, &mut self.l2, &mut self.r1, &mut self.r2] {
            v.clear();
            v.resize(n, NONE);
        }
        self.label.clear();
        self.label.resize(n, 0);
        for v in [&mut self.nl, &mut self.nr] {
            v.clear();
            v.resize(n, 0);
        }
        for v in [&mut self.lset, &mut self.rset] {
            v.clear();
            v.resize(n, 0);
        }
    }

    #[inline]
    pub fn terminal(&self) -> bool {
        self.b >= self.n && self.stack.len() <= 1
    }

    #[inline]
    fn s(&self, k: usize) -> u32 {
        let l = self.stack.len();
        if k < l {
            self.stack[l - 1 - k]
        } else {
            NONE
        }
    }

    #[inline]
    fn nb(&self, k: usize) -> u32 {
        if self.b + k < self.n {
            (self.b + k) as u32
        } else {
            NONE
        }
    }

    /// Whether class `c` may be taken. `root` is the `root` label, when the model has one:
    /// the root takes exactly one dependent, with that label, at the very end.
    #[inline]
    pub fn allowed(&self, m: Move, root: Option<u16>) -> bool {
        let buf = self.b < self.n;
        match m {
            Move::Shift => buf,
            Move::Left(l) => buf && self.stack.len() >= 2 && root != Some(l),
            Move::Right(l) => {
                if self.stack.len() < 2 {
                    return false;
                }
                if self.s(1) == 0 {
                    !buf && self.stack.len() == 2 && root.is_none_or(|r| r == l)
                } else {
                    root != Some(l)
                }
            }
        }
    }

    fn add_arc(&mut self, h: u32, d: u32, l: u16) {
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        self.label[du] = l + 1;
        let bit = 1u64 << (l.min(63));
        if d < h {
            if self.l1[hu] == NONE || d < self.l1[hu] {
                self.l2[hu] = self.l1[hu];
                self.l1[hu] = d;
            } else if self.l2[hu] == NONE || d < self.l2[hu] {
                self.l2[hu] = d;
            }
            self.nl[hu] = self.nl[hu].saturating_add(1);
            self.lset[hu] |= bit;
        } else {
            if self.r1[hu] == NONE || d > self.r1[hu] {
                self.r2[hu] = self.r1[hu];
                self.r1[hu] = d;
            } else if self.r2[hu] == NONE || d > self.r2[hu] {
                self.r2[hu] = d;
            }
            self.nr[hu] = self.nr[hu].saturating_add(1);
            self.rset[hu] |= bit;
        }
    }

    /// Applies an allowed move.
    pub fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.stack.push(self.b as u32);
                self.b += 1;
            }
            Move::Left(l) => {
                if let Some(s0) = self.stack.pop() {
                    self.add_arc(self.b as u32, s0, l);
                }
            }
            Move::Right(l) => {
                if let Some(s0) = self.stack.pop() {
                    let s1 = self.s(0);
                    if s1 != NONE {
                        self.add_arc(s1, s0, l);
                    }
                }
            }
        }
    }

    /// Goldberg & Nivre (2013) arc-hybrid costs against gold heads `gh`
    /// (exact for projective gold trees).
    pub fn costs(&self, gh: &[u32]) -> Costs {
        let mut c = Costs { shift: 0, left: 0, left_head: false, right: 0, right_head: false };
        let n = self.n;
        let l = self.stack.len();
        if self.b < n {
            let b = self.b as u32;
            // SHIFT: b can no longer head anything on the stack, nor take a head below s0.
            for (i, &k) in self.stack.iter().enumerate() {
                if gh[k as usize] == b {
                    c.shift += 1;
                }
                if gh[self.b] == k && i + 1 < l {
                    c.shift += 1;
                }
            }
        }
        if l >= 2 {
            let s0 = self.s(0);
            let s1 = self.s(1);
            let h = gh[s0 as usize];
            // s0's dependents still in the buffer are lost either way.
            let deps = (self.b..n).filter(|&d| gh[d] == s0).count() as u32;
            c.left = deps + (h == s1 || (h != NONE && (h as usize) > self.b)) as u32;
            c.left_head = self.b < n && h as usize == self.b;
            c.right = deps + (h != NONE && (h as usize) >= self.b) as u32;
            c.right_head = h == s1;
        }
        c
    }

    /// Feature keys of this configuration; `fs`: the optional groups (`F_*`) on.
    pub fn features(&self, t: &[PTok], fs: u32, out: &mut Vec<u64>) {
        let mut f = Sink { t: 0, out };
        let tok = |x: u32| -> PTok {
            if x == NONE {
                PTok { w: NONE_W, p: NONE_W, c: NONE_W, c2: NONE_W, s: NONE_W, sh: NONE_W, st: NONE_W }
            } else {
                t.get(x as usize).copied().unwrap_or_default()
            }
        };
        let lab = |x: u32| -> u64 { if x == NONE { 0 } else { self.label[x as usize] as u64 } };
        let at = |v: &Vec<u32>, x: u32| -> u32 { if x == NONE { NONE } else { v[x as usize] } };
        let (s0i, s1i, s2i) = (self.s(0), self.s(1), self.s(2));
        let (n0i, n1i, n2i) = (self.nb(0), self.nb(1), self.nb(2));
        let (s0, s1, s2, n0, n1, n2) = (tok(s0i), tok(s1i), tok(s2i), tok(n0i), tok(n1i), tok(n2i));
        let (s0li, s0l2i, s0ri, s0r2i) = (at(&self.l1, s0i), at(&self.l2, s0i), at(&self.r1, s0i), at(&self.r2, s0i));
        let (n0li, n0l2i) = (at(&self.l1, n0i), at(&self.l2, n0i));
        let (s1li, s1ri) = (at(&self.l1, s1i), at(&self.r1, s1i));
        let (s0l, s0l2, s0r, s0r2, n0l, n0l2, s1l, s1r) =
            (tok(s0li), tok(s0l2i), tok(s0ri), tok(s0r2i), tok(n0li), tok(n0l2i), tok(s1li), tok(s1ri));

        // Unigrams.
        f.one(0);
        for x in [s0, s1, n0, n1] {
            f.one(x.w);
            f.one(x.p);
            f.two(x.w, x.p);
            f.one(x.c);
        }
        f.one(n2.w);
        f.one(n2.p);
        f.one(s2.w);
        f.one(s2.p);
        f.one(s0.c2);
        f.one(n0.c2);
        // Pairs: s0–n0 (LEFT vs SHIFT) and s1–s0 (RIGHT).
        f.four(s0.w, s0.p, n0.w, n0.p);
        f.three(s0.w, s0.p, n0.w);
        f.three(s0.w, n0.w, n0.p);
        f.three(s0.w, s0.p, n0.p);
        f.three(s0.p, n0.w, n0.p);
        f.two(s0.w, n0.w);
        f.two(s0.p, n0.p);
        f.two(n0.p, n1.p);
        f.two(s0.c, n0.c);
        f.two(s0.c, n0.p);
        f.two(s0.p, n0.c);
        f.four(s1.w, s1.p, s0.w, s0.p);
        f.two(s1.w, s0.w);
        f.two(s1.p, s0.p);
        f.three(s1.w, s1.p, s0.p);
        f.three(s1.p, s0.w, s0.p);
        f.two(s1.c, s0.c);
        f.two(s1.c, s0.p);
        f.two(s1.p, s0.c);
        // Triples of tags.
        f.three(n0.p, n1.p, n2.p);
        f.three(s0.p, n0.p, n1.p);
        f.three(s1.p, s0.p, n0.p);
        f.three(s2.p, s1.p, s0.p);
        f.three(s0.p, s0l.p, n0.p);
        f.three(s0.p, s0r.p, n0.p);
        f.three(s0.p, n0.p, n0l.p);
        f.three(s1.p, s1r.p, s0.p);
        f.three(s1.p, s0.p, s0l.p);
        f.three(s1.p, s0.p, s0r.p);
        f.three(s1.p, s1l.p, s0.p);
        // Distance.
        let d = dist(s0i, n0i);
        let d2 = dist(s1i, s0i);
        f.two(s0.w, d);
        f.two(s0.p, d);
        f.two(n0.w, d);
        f.two(n0.p, d);
        f.three(s0.w, n0.w, d);
        f.three(s0.p, n0.p, d);
        f.two(s0.w, d2);
        f.two(s1.w, d2);
        f.three(s1.p, s0.p, d2);
        f.three(s1.w, s0.w, d2);
        // Valency.
        let v = |a: &Vec<u8>, x: u32| -> u64 { if x == NONE { 99 } else { a[x as usize] as u64 } };
        f.two(s0.w, v(&self.nr, s0i));
        f.two(s0.p, v(&self.nr, s0i));
        f.two(s0.w, v(&self.nl, s0i));
        f.two(s0.p, v(&self.nl, s0i));
        f.two(n0.w, v(&self.nl, n0i));
        f.two(n0.p, v(&self.nl, n0i));
        f.two(s1.p, v(&self.nr, s1i));
        f.two(s1.p, v(&self.nl, s1i));
        // Children.
        for (x, xi) in [(s0l, s0li), (s0r, s0ri), (n0l, n0li), (s1l, s1li), (s1r, s1ri), (s0l2, s0l2i), (s0r2, s0r2i), (n0l2, n0l2i)] {
            f.one(x.w);
            f.one(x.p);
            f.one(lab(xi));
        }
        f.three(s0.p, s0l.p, s0l2.p);
        f.three(s0.p, s0r.p, s0r2.p);
        f.three(n0.p, n0l.p, n0l2.p);
        f.three(s0.p, lab(s0li), lab(s0ri));
        f.three(n0.p, lab(n0li), lab(n0l2i));
        f.three(s1.p, lab(s1li), lab(s1ri));
        // Label sets.
        let set = |a: &Vec<u64>, x: u32| -> u64 { if x == NONE { 1 << 63 | 7 } else { a[x as usize] } };
        f.two(s0.w, set(&self.rset, s0i));
        f.two(s0.p, set(&self.rset, s0i));
        f.two(s0.w, set(&self.lset, s0i));
        f.two(s0.p, set(&self.lset, s0i));
        f.two(n0.w, set(&self.lset, n0i));
        f.two(n0.p, set(&self.lset, n0i));
        f.two(s1.p, set(&self.rset, s1i));
        // Is the buffer almost empty / the stack deep (root attachment).
        f.two(s0.p, (self.stack.len().min(4) as u64) << 8 | (self.n - self.b).min(4) as u64);
        // Optional groups; each numbers its templates from its own base, so a
        // group's keys do not depend on which other groups are on.
        if fs & F_AFFIX != 0 {
            f.t = 1000;
            for x in [s0, n0, n1, s1] {
                f.one(x.s);
                f.one(x.sh);
            }
            f.two(n0.s, n0.p);
        }
        if fs & F_CLUS != 0 {
            f.t = 2000;
            for x in [n1.c2, s1.c2, n2.c, s2.c, s0l.c, s0r.c, n0l.c] {
                f.one(x);
            }
            f.three(s0.c, n0.c, n1.c);
            f.two(s0.w, n0.c);
            f.two(s0.c, n0.w);
            f.two(s1.c, s0.w);
            f.two(s0.c2, n0.c2);
        }
        if fs & F_PAIRS != 0 {
            f.t = 3000;
            f.two(n0.w, n1.w);
            f.two(n0.w, n1.p);
            f.two(n0.p, n1.w);
            f.three(s0.w, n0.p, n1.p);
            f.three(s1.w, s0.p, n0.p);
            f.three(s1.p, s0.w, n0.p);
            f.three(s1.p, s0.p, n0.w);
            f.four(s0.p, n0.p, n1.p, n2.p);
        }
        if fs & F_LABW != 0 {
            f.t = 4000;
            f.three(s0.w, lab(s0li), lab(s0ri));
            f.two(n0.w, lab(n0li));
            f.three(s0.p, lab(s0li), lab(s0l2i));
            f.three(s0.p, lab(s0ri), lab(s0r2i));
            f.three(s1.w, lab(s1li), lab(s1ri));
        }
        if fs & F_STAG != 0 {
            f.t = 5000;
            for x in [s0, s1, n0, n1, n2, s2] {
                f.one(x.st);
            }
            for x in [s0, s1, n0] {
                f.two(x.w, x.st);
                f.two(x.p, x.st);
            }
            f.two(s0.st, n0.st);
            f.two(s1.st, s0.st);
            f.three(s0.st, n0.st, n1.st);
            f.three(s1.st, s0.st, n0.st);
            f.three(s0.st, n0.st, d);
            f.three(s1.st, s0.st, d2);
            f.three(s0.w, s0.st, n0.st);
            f.three(s0.st, n0.w, n0.st);
            f.three(s0.st, lab(s0li), lab(s0ri));
            f.two(n0.st, lab(n0li));
            f.two(s0.st, (self.stack.len().min(4) as u64) << 8 | (self.n - self.b).min(4) as u64);
        }
    }
}

/// Distance buckets.
#[inline]
fn dist(a: u32, b: u32) -> u64 {
    if a == NONE || b == NONE {
        return 0;
    }
    let d = (b as i64 - a as i64).unsigned_abs();
    match d {
        0..=4 => d,
        5..=7 => 5,
        8..=11 => 6,
        _ => 7,
    }
}

/// Numbers the templates in call order, so the same code makes the same keys in training and parsing.
struct Sink<'a> {
    t: u32,
    out: &'a mut Vec<u64>,
}

impl Sink<'_> {
    #[inline]
    fn one(&mut self, a: u64) {
        self.t += 1;
        self.out.push(feat(self.t, a));
    }
    #[inline]
    fn two(&mut self, a: u64, b: u64) {
        self.t += 1;
        self.out.push(feat2(self.t, a, b));
    }
    #[inline]
    fn three(&mut self, a: u64, b: u64, c: u64) {
        self.t += 1;
        self.out.push(feat3(self.t, a, b, c));
    }
    #[inline]
    fn four(&mut self, a: u64, b: u64, c: u64, d: u64) {
        self.t += 1;
        self.out.push(feat3(self.t, a, b, mix(c).wrapping_add(d.rotate_left(43))));
    }
}

/// Whether a tree (heads, 0 = root, words 1..) is projective.
pub fn projective(heads: &[u32]) -> bool {
    // heads[i] is the head of word i+1.
    let arcs: Vec<(u32, u32)> = heads
        .iter()
        .enumerate()
        .map(|(i, &h)| {
            let d = i as u32 + 1;
            (h.min(d), h.max(d))
        })
        .collect();
    for &(a, b) in &arcs {
        for &(c, d) in &arcs {
            if a < c && c < b && b < d {
                return false;
            }
        }
    }
    true
}
