//! Where a content read after its cue starts: a learned ranker over the
//! first tokens after the cue. The rules skip time words, channels,
//! addressees before "that" and a cue's preposition; what they miss is
//! the commonest start error ("said in an interview Tuesday that …",
//! "told reporters on Friday that …", "accused Clinton of …"), and the
//! evidence is many weak cues, so an averaged perceptron weighs them: for
//! every candidate start (a word, a number or an opening quote mark in the
//! first [`MAX_START`] tokens) the words and POS tags around the cut, what
//! it skips (a "that", a comma, a finite verb, a quote mark), where the
//! next "that" and finite verb are, the cue's word, and whether the rules
//! start there. The best-scoring candidate wins (ties keep the rules'
//! start). Trained with the end model by `newsgraph train content` (a
//! `CSTA` model file).

use super::content::{bucket, lower_hash, pos_hash, shape, EndModel};
use super::Ctx;
use crate::nlp::hash::{feat, feat2, feat3};
use crate::text::TokenKind;
use std::sync::LazyLock;

pub const KIND_START: &[u8; 4] = b"CSTA";

static START_BIN: &[u8] = include_bytes!("../../../data/attribution/content_start.bin");

/// How many tokens after the cue a content's start is looked for.
pub(super) const MAX_START: usize = 24;

/// The start model shipped in the binary (None when the file is empty or
/// bad: the rules decide alone then).
pub fn bundled() -> Option<&'static EndModel> {
    static M: LazyLock<Option<EndModel>> = LazyLock::new(|| {
        (!START_BIN.is_empty())
            .then(|| EndModel::from_bytes_as("data/attribution/content_start.bin", KIND_START, "START", START_BIN).ok())
            .flatten()
    });
    M.as_ref()
}

pub fn from_bytes(name: &str, bytes: &[u8]) -> crate::Result<EndModel> {
    EndModel::from_bytes_as(name, KIND_START, "START", bytes)
}

/// Whether a content may start at token k: a word or number outside
/// quotes, or a quote's opening mark.
pub(super) fn is_candidate(cx: &Ctx, k: usize) -> bool {
    match cx.kind(k) {
        Some(TokenKind::Word | TokenKind::Number) => cx.tok_quote[k] == 0,
        Some(TokenKind::Quote) => cx.opens_quote(k).is_some(),
        _ => false,
    }
}

/// Per-content tables over tokens `base..lim` (two tokens before the first
/// candidate to three after the last), computed once per content.
pub(super) struct Prep {
    base: usize,
    r0: usize,
    w: Vec<u64>,
    s: Vec<u64>,
    p: Vec<u64>,
    /// Counts over r0..k (index k - r0), capped: "that", commas, finite
    /// verbs, quote marks.
    that: Vec<u8>,
    comma: Vec<u8>,
    verb: Vec<u8>,
    quote: Vec<u8>,
    /// The next "that" / finite verb at or after k (index k - base).
    next_that: Vec<usize>,
    next_verb: Vec<usize>,
    cue_w: u64,
    first: u64,
}

fn finite(cx: &Ctx, k: usize) -> bool {
    cx.pos
        .is_some_and(|ps| ps.get(k).is_some_and(|t| matches!(*t, "VBD" | "VBZ" | "VBP" | "MD")))
}

impl Prep {
    pub(super) fn new(cx: &Ctx, r0: usize, hi: usize) -> Prep {
        let base = r0.saturating_sub(2);
        let lim = cx.toks.len().min(hi + 12);
        let n = lim.saturating_sub(base);
        let mut p = Prep {
            base,
            r0,
            w: Vec::with_capacity(n),
            s: Vec::with_capacity(n),
            p: Vec::with_capacity(n),
            that: Vec::with_capacity(n),
            comma: Vec::with_capacity(n),
            verb: Vec::with_capacity(n),
            quote: Vec::with_capacity(n),
            next_that: vec![usize::MAX; n],
            next_verb: vec![usize::MAX; n],
            cue_w: cx.toks.get(cx.cue_at.get()).map_or(1, |_| lower_hash(cx.word(cx.cue_at.get()))),
            first: if r0 < cx.toks.len() { lower_hash(cx.word(r0)) } else { 1 },
        };
        for k in base..lim {
            p.w.push(lower_hash(cx.word(k)));
            p.s.push(shape(cx, Some(k)));
            p.p.push(pos_hash(cx, Some(k)));
        }
        let (mut t, mut c, mut v, mut q) = (0u8, 0u8, 0u8, 0u8);
        for k in r0..lim.max(r0) {
            p.that.push(t);
            p.comma.push(c);
            p.verb.push(v);
            p.quote.push(q);
            t = (t + cx.is(k, "that") as u8).min(2);
            c = (c + cx.punct(k, ",") as u8).min(2);
            v = (v + finite(cx, k) as u8).min(2);
            q = (q + (cx.kind(k) == Some(TokenKind::Quote)) as u8).min(2);
        }
        let (mut nt, mut nv) = (usize::MAX, usize::MAX);
        for k in (base..lim).rev() {
            if cx.is(k, "that") {
                nt = k;
            }
            if finite(cx, k) {
                nv = k;
            }
            p.next_that[k - base] = nt;
            p.next_verb[k - base] = nv;
        }
        p
    }
    fn get(v: &[u64], base: usize, k: usize) -> u64 {
        k.checked_sub(base).and_then(|i| v.get(i)).copied().unwrap_or(1)
    }
    fn w(&self, k: usize) -> u64 {
        Self::get(&self.w, self.base, k)
    }
    fn s(&self, k: usize) -> u64 {
        Self::get(&self.s, self.base, k)
    }
    fn p(&self, k: usize) -> u64 {
        Self::get(&self.p, self.base, k)
    }
    fn count(v: &[u8], r0: usize, k: usize) -> u64 {
        k.checked_sub(r0).and_then(|i| v.get(i)).copied().unwrap_or(0) as u64
    }
}

/// The features of starting a content at token `k`, where the rules start
/// it at `rr` (the first token after the cue is `pr.r0`).
pub(super) fn features(pr: &Prep, k: usize, rr: usize, out: &mut Vec<u64>) {
    out.clear();
    let r0 = pr.r0;
    let rel = match k.cmp(&rr) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Equal => 1,
        std::cmp::Ordering::Greater => 2,
    };
    let gap = bucket(k.abs_diff(rr));
    let dist = bucket(k - r0);
    let (w0, w1, w2, wn) = (pr.w(k), pr.w(k.wrapping_sub(1)), pr.w(k.wrapping_sub(2)), pr.w(k + 1));
    let (p0, p1, p2, pn) = (pr.p(k), pr.p(k.wrapping_sub(1)), pr.p(k.wrapping_sub(2)), pr.p(k + 1));
    let (s0, s1) = (pr.s(k), pr.s(k.wrapping_sub(1)));
    let that = Prep::count(&pr.that, r0, k);
    let comma = Prep::count(&pr.comma, r0, k);
    let verb = Prep::count(&pr.verb, r0, k);
    let quote = Prep::count(&pr.quote, r0, k);
    let at = |v: &[usize]| v.get(k - pr.base).copied().unwrap_or(usize::MAX);
    let nt = at(&pr.next_that);
    let that_after = if nt == usize::MAX { 0 } else { bucket(nt - k + 1) };
    let nv = at(&pr.next_verb);
    let verb_after = if nv == usize::MAX { 0 } else { bucket(nv - k + 1) };
    let cue_w = pr.cue_w;
    out.push(feat(0, 0));
    out.push(feat2(1, rel, gap));
    out.push(feat(2, w0));
    out.push(feat(3, p0));
    out.push(feat(4, s0));
    out.push(feat(5, w1));
    out.push(feat(6, p1));
    out.push(feat(7, s1));
    out.push(feat2(8, p1, p0));
    out.push(feat2(9, w1, p0));
    out.push(feat2(10, w2, w1));
    out.push(feat3(11, p2, p1, p0));
    out.push(feat(12, wn));
    out.push(feat2(13, p0, pn));
    out.push(feat(14, dist));
    out.push(feat2(15, dist, p0));
    out.push(feat2(16, cue_w, w1));
    out.push(feat2(17, cue_w, p0));
    out.push(feat2(18, cue_w, dist));
    out.push(feat2(19, that, p0));
    out.push(feat(20, that_after));
    out.push(feat2(21, that_after, p0));
    out.push(feat2(22, comma, s0));
    out.push(feat2(23, verb, p0));
    out.push(feat(24, quote));
    out.push(feat2(25, pr.first, p0));
    out.push(feat2(26, verb_after, p0));
    out.push(feat2(27, rel, p0));
    out.push(feat2(28, w1, w0));
    out.push(feat2(29, rel, p1));
    out.push(feat2(30, cue_w, w0));
    out.push(feat3(31, cue_w, that, that_after));
    out.push(feat3(32, rel, gap, p0));
    out.push(feat2(33, pr.first, dist));
}

/// The candidate starts of a content after a cue: `r0..hi` filtered by
/// [`is_candidate`], and the rules' start `rr` whatever it is.
pub(super) fn window(cx: &Ctx, r0: usize, b: usize) -> usize {
    b.min(r0 + MAX_START).min(cx.toks.len())
}

/// The start the model prefers for a content whose first token after the
/// cue is `r0`, in a unit ending at `b`; `rr` is the rules' start.
pub(super) fn choose_start(cx: &Ctx, m: &EndModel, r0: usize, b: usize, rr: usize) -> usize {
    let hi = window(cx, r0, b);
    if r0 >= hi {
        return rr;
    }
    let mut fv = Vec::with_capacity(40);
    let mut row = [0i32; 256];
    let pr = Prep::new(cx, r0, hi.max(rr + 1));
    features(&pr, rr, rr, &mut fv);
    let mut best = (m.score_in(&fv, &mut row), rr);
    for k in r0..hi {
        if k == rr || !is_candidate(cx, k) {
            continue;
        }
        features(&pr, k, rr, &mut fv);
        let s = m.score_in(&fv, &mut row);
        if s > best.0 {
            best = (s, k);
        }
    }
    best.1
}
