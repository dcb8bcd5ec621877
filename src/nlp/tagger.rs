//! Greedy left-to-right sequence taggers (POS and NER) over the linear
//! model: features, decoding, and the training loop with early stopping.

use super::clusters::Clusters;
use super::gazetteer::{GazData, Gazetteer};
use super::hash::{feat, feat2, feat3, Fh, Rng};
use super::linear::{Linear, LinearData, Trainer};
use super::token::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashing for maps keyed by feature hashes: one multiply-mix, not SipHash.
#[derive(Default)]
pub struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = super::hash::mix(self.0 ^ b as u64);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = super::hash::mix(self.0 ^ x);
    }
}

pub type BuildMix = BuildHasherDefault<MixHasher>;

/// The memory feature value: most frequent type + 1, and whether types disagree.
#[inline]
pub(crate) fn mem_value(c: Option<&[u16; 4]>) -> u8 {
    let Some(c) = c else { return 0 };
    let mut best = 0;
    for k in 1..4 {
        if c[k] > c[best] {
            best = k;
        }
    }
    if c[best] == 0 {
        return 0;
    }
    let kinds = c.iter().filter(|&&x| x > 0).count();
    (best as u8 + 1) | ((kinds > 1) as u8) << 4
}
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    Pos,
    Ner,
}

/// The stored form of a tagger.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaggerData {
    pub task: Task,
    pub linear: LinearData,
    /// Fingerprint of the clusters it was trained with; 0 = none.
    pub clusters: u64,
    /// NER only: trained with POS tags from the POS tagger.
    pub use_pos: bool,
    /// NER: 2 (or 3) = tag each document twice (three times), each later pass
    /// seeing the pass before's entities from every other sentence; 1 = earlier
    /// sentences only.
    pub passes: u8,
    /// Name lists the features look up.
    pub gazetteer: Option<GazData>,
}

#[derive(Debug, Clone)]
pub struct Tagger {
    pub task: Task,
    pub linear: Linear,
    pub clusters_fp: u64,
    pub use_pos: bool,
    pub passes: u8,
    pub gaz: Option<Gazetteer>,
    /// NER: per class (0 = O, 1 = B, 2 = I, 3 = L, 4 = U; entity type index).
    pub(crate) iob: Vec<(u8, u8)>,
    /// NER: per class, its IOB2 name (L- → I-, U- → B-).
    iob2: Vec<String>,
    /// NER: per class, its tag hash for the previous-tag features.
    pub(crate) class_hash: Vec<u64>,
    /// Unique per loaded model, so per-thread caches know whose scores they hold.
    pub(crate) id: u64,
    pub(crate) tabs: DynTables,
}

/// Entity types in NER class names, in a fixed order.
pub fn iob_of(class: &str, types: &mut Vec<String>) -> (u8, u8) {
    match class.split_once('-') {
        Some((p, t)) => {
            let ti = match types.iter().position(|x| x == t) {
                Some(i) => i,
                None => {
                    types.push(t.to_string());
                    types.len() - 1
                }
            };
            let k = match p {
                "B" => 1,
                "I" => 2,
                "L" | "E" => 3,
                _ => 4,
            };
            (k, ti as u8)
        }
        None => (0, 0),
    }
}

fn class_meta(classes: &[String]) -> (Vec<(u8, u8)>, Vec<u64>) {
    let mut types = Vec::new();
    let iob = classes.iter().map(|c| iob_of(c, &mut types)).collect();
    let hash = classes.iter().map(|c| Fh::default().str(c).0).collect();
    (iob, hash)
}

impl Tagger {
    pub fn from_data(d: TaggerData) -> Result<Tagger, String> {
        let (iob, class_hash) = class_meta(&d.linear.classes);
        let iob2 = d
            .linear
            .classes
            .iter()
            .map(|c| match c.split_once('-') {
                Some(("L", t)) => format!("I-{t}"),
                Some(("U", t)) => format!("B-{t}"),
                _ => c.clone(),
            })
            .collect();
        let linear = Linear::from_data(d.linear)?;
        let gaz = d.gazetteer.map(Gazetteer::from_data).transpose()?;
        let tabs = DynTables::build(d.task, &linear, &class_hash);
        let id = super::fast::next_id();
        Ok(Tagger { task: d.task, linear, clusters_fp: d.clusters, use_pos: d.use_pos, passes: d.passes, gaz, iob, iob2, class_hash, id, tabs })
    }

    pub fn classes(&self) -> &[String] {
        &self.linear.data.classes
    }

    /// The IOB2 name of a class.
    pub fn iob2_name(&self, c: usize) -> &str {
        self.iob2.get(c).map_or("O", |s| s.as_str())
    }
}

/// Whether class `c` may follow `prev` (None at sentence start) at a token
/// that is (`last`) or is not the sentence's last. IOB2: I-X only after B-X
/// or I-X. BILOU: after B-X / I-X only I-X or L-X (L-X at the end); otherwise
/// O, B-, U- (no B- at the end). So no decoded sequence is ever invalid.
#[inline]
pub(crate) fn allowed(task: Task, iob: &[(u8, u8)], bilou: bool, prev: Option<usize>, c: usize, last: bool) -> bool {
    if task != Task::Ner {
        return true;
    }
    let (k, ty) = iob[c];
    let open = prev.map(|p| iob[p]).filter(|&(pk, _)| pk == 1 || pk == 2);
    if !bilou {
        return k != 2 || open.is_some_and(|(_, pt)| pt == ty);
    }
    match open {
        Some((_, pt)) => pt == ty && (k == 3 || (k == 2 && !last)),
        None => k == 0 || k == 4 || (k == 1 && !last),
    }
}

// Feature templates.
mod t {
    pub const BIAS: u32 = 1;
    pub const W: u32 = 2;
    pub const L: u32 = 3;
    pub const SH: u32 = 4;
    pub const PRE: u32 = 5; // ..=8
    pub const SUF: u32 = 9; // ..=12
    pub const L_M1: u32 = 13;
    pub const L_P1: u32 = 14;
    pub const L_M2: u32 = 15;
    pub const L_P2: u32 = 16;
    pub const W_M1: u32 = 17;
    pub const W_P1: u32 = 18;
    pub const SH_M1: u32 = 19;
    pub const SH_P1: u32 = 20;
    pub const SH3: u32 = 21;
    pub const LL_M1: u32 = 22;
    pub const LL_P1: u32 = 23;
    pub const C: u32 = 24; // ..=26
    pub const C_M1: u32 = 27; // ..=29
    pub const C_P1: u32 = 30; // ..=32
    pub const C2_M2: u32 = 33;
    pub const C2_P2: u32 = 34;
    pub const CASE: u32 = 35;
    pub const CASE_SH: u32 = 36;
    pub const CASE_LINE: u32 = 37;
    pub const DOCCASE: u32 = 38;
    pub const LINE_SH: u32 = 39;
    pub const LINE_L: u32 = 40;
    pub const FIRST_SH: u32 = 41;
    pub const P: u32 = 42;
    pub const P_M1: u32 = 43;
    pub const P_P1: u32 = 44;
    pub const PP: u32 = 45;
    pub const FLAGS: u32 = 46;
    pub const SUF3_M1: u32 = 47;
    pub const SUF3_P1: u32 = 48;
    pub const PREV: u32 = 60;
    pub const PREV2: u32 = 61;
    pub const PREV_L: u32 = 62;
    pub const PREV_SH: u32 = 63;
    pub const PREV_C: u32 = 64;
    pub const MEM: u32 = 65;
    pub const MEM_SH: u32 = 66;
    pub const PREV_SUF: u32 = 67;
    pub const PREV2_L: u32 = 68;
    pub const LEN: u32 = 69;
    pub const GAZ: u32 = 70;
    pub const MEM_P1: u32 = 74;
    pub const GAZ_MASK: u32 = 71;
    pub const GAZ_M1: u32 = 72;
    pub const GAZ_P1: u32 = 73;
    pub const RUN_POS: u32 = 75;
    pub const RUN_LAST: u32 = 76;
    pub const RUN_FIRST: u32 = 77;
    pub const RUN_ALL: u32 = 78;
    pub const GAZ_POS: u32 = 79;
    pub const L_CAPCTX: u32 = 80;
}

pub(crate) const BOS: u64 = 0x5eed_0b05;
pub(crate) const EOS: u64 = 0x5eed_0e05;

/// Line kinds: 0 normal, 1 Title Case line, 2 ALL CAPS line.
fn line_kind(toks: &[Tok]) -> u8 {
    let (mut alpha, mut caps, mut long, mut title) = (0, 0, 0, 0);
    for t in toks {
        if t.is(HAS_ALPHA) {
            alpha += 1;
            if t.is(ALL_CAP) {
                caps += 1;
            }
            if t.chars >= 4 {
                long += 1;
                if t.is(INIT_CAP) {
                    title += 1;
                }
            }
        }
    }
    if alpha >= 2 && caps * 10 >= alpha * 7 {
        2
    } else if long >= 3 && title * 10 >= long * 8 {
        1
    } else {
        0
    }
}

/// Per-document facts: lines, and how each word is cased in ordinary sentences.
#[derive(Debug, Default)]
pub struct DocCtx {
    pub line: Vec<u8>,
    /// lower → bit 1: seen lower-case, bit 2: seen Capitalized mid-sentence.
    pub seen: HashMap<u64, u8, BuildMix>,
    /// lower → how often each entity type was assigned to the word in this document.
    pub mem: HashMap<u64, [u16; 4], BuildMix>,
    /// First pass of a two-pass document: (sentence, word, type) assignments.
    pub first: Vec<(u32, u64, u8)>,
    /// The assignments of the pass under way, for the next pass.
    pub next: Vec<(u32, u64, u8)>,
}

impl DocCtx {
    pub fn prepare(&mut self, toks: &[Tok], sents: &[Range<usize>]) {
        self.line.clear();
        self.seen.clear();
        self.mem.clear();
        self.first.clear();
        for s in sents {
            let k = line_kind(&toks[s.clone()]);
            self.line.push(k);
            if k != 0 {
                continue;
            }
            for t in toks.get(s.start + 1..s.end).unwrap_or(&[]) {
                if !t.is(HAS_ALPHA) || t.is(ALL_CAP) {
                    continue;
                }
                let bit = if t.is(INIT_CAP) { 2 } else if t.is(HAS_LOWER) { 1 } else { 0 };
                *self.seen.entry(t.lower).or_insert(0) |= bit;
            }
        }
    }
}

/// Offsets of the word groups: a token's features about the word at
/// `i + off`, for `off` in -2..=2 (see [`word_group`]).
pub const OFFSETS: [isize; 5] = [-2, -1, 0, 1, 2];

/// The features of the token at `i` that depend only on the word at `i + off`
/// (`o`; None past the sentence's edge): the same for every occurrence of
/// that word in that role, so tagging sums them once per word and caches the
/// sum (see `fast.rs`). Together with [`context_features`] these are exactly
/// the static features.
#[inline]
pub fn word_group(task: Task, off: isize, o: Option<&Tok>, out: &mut Vec<u64>) {
    let sh = |o: Option<&Tok>| o.map_or(BOS, |t| t.shape);
    match off {
        0 => {
            let Some(tk) = o else { return };
            out.push(feat(t::BIAS, 0));
            out.push(feat(t::W, tk.word));
            out.push(feat(t::L, tk.lower));
            out.push(feat(t::SH, tk.shape));
            out.push(feat(t::FLAGS, tk.flags as u64));
            for k in 0..4 {
                if tk.pre[k] != 0 && (task == Task::Ner || k < 3) {
                    out.push(feat(t::PRE + k as u32, tk.pre[k]));
                }
                if tk.suf[k] != 0 {
                    out.push(feat(t::SUF + k as u32, tk.suf[k]));
                }
            }
            for (lv, c) in tk.clus.iter().enumerate() {
                if *c != 0 {
                    out.push(feat(t::C + lv as u32, *c as u64));
                }
            }
            out.push(feat(t::CASE, tk.case as u64));
            if task == Task::Ner {
                out.push(feat2(t::CASE_SH, tk.case as u64, tk.shape));
            }
        }
        -1 => {
            out.push(feat(t::L_M1, o.map_or(BOS, |t| t.lower)));
            out.push(feat(t::W_M1, o.map_or(BOS, |t| t.word)));
            out.push(feat(t::SH_M1, sh(o)));
            if let Some(o) = o {
                for lv in 1..3 {
                    out.push(feat(t::C_M1 + lv as u32, o.clus[lv] as u64));
                }
            }
            out.push(feat(t::SUF3_M1, o.map_or(BOS, |t| t.suf[2])));
        }
        1 => {
            out.push(feat(t::L_P1, o.map_or(EOS, |t| t.lower)));
            // BOS, not EOS, past the end: as the model was trained.
            out.push(feat(t::SH_P1, sh(o)));
            out.push(feat(t::W_P1, o.map_or(EOS, |t| t.word)));
            if let Some(o) = o {
                for lv in 1..3 {
                    out.push(feat(t::C_P1 + lv as u32, o.clus[lv] as u64));
                }
            }
            out.push(feat(t::SUF3_P1, o.map_or(EOS, |t| t.suf[2])));
        }
        -2 => {
            out.push(feat(t::L_M2, o.map_or(BOS, |t| t.lower)));
            if let Some(o) = o {
                out.push(feat(t::C2_M2, o.clus[2] as u64));
            }
        }
        2 => {
            out.push(feat(t::L_P2, o.map_or(EOS, |t| t.lower)));
            if let Some(o) = o {
                out.push(feat(t::C2_P2, o.clus[2] as u64));
            }
        }
        _ => {}
    }
}

/// Static features of token `i` of a sentence (`toks`/`pos` are the sentence's).
#[allow(clippy::too_many_arguments)]
pub fn static_features(
    task: Task,
    toks: &[Tok],
    pos: &[u64],
    gz: &[u16],
    gzp: &[u32],
    line: u8,
    ctx: &DocCtx,
    i: usize,
    out: &mut Vec<u64>,
) {
    for off in OFFSETS {
        let k = i as isize + off;
        let o = if k < 0 { None } else { toks.get(k as usize) };
        word_group(task, off, o, out);
    }
    context_features(task, toks, pos, gz, gzp, line, ctx, i, out);
}

/// The static features of token `i` that are not in a [`word_group`]:
/// word pairs, the line, the document, gazetteer matches, capitalized runs, POS.
#[allow(clippy::too_many_arguments)]
pub fn context_features(
    task: Task,
    toks: &[Tok],
    pos: &[u64],
    gz: &[u16],
    gzp: &[u32],
    line: u8,
    ctx: &DocCtx,
    i: usize,
    out: &mut Vec<u64>,
) {
    let tk = &toks[i];
    let low = |j: isize| -> u64 {
        let k = i as isize + j;
        if k < 0 {
            BOS
        } else if k as usize >= toks.len() {
            EOS
        } else {
            toks[k as usize].lower
        }
    };
    let get = |j: isize| -> Option<&Tok> {
        let k = i as isize + j;
        if k < 0 {
            None
        } else {
            toks.get(k as usize)
        }
    };
    let sh = |o: Option<&Tok>| o.map_or(BOS, |t| t.shape);
    match task {
        Task::Pos => {
            out.push(feat2(t::LL_P1, tk.lower, low(1)));
            out.push(feat2(t::LL_M1, low(-1), tk.lower));
        }
        Task::Ner => {
            out.push(feat3(t::SH3, sh(get(-1)), tk.shape, sh(get(1))));
            out.push(feat2(t::LL_M1, low(-1), tk.lower));
            out.push(feat2(t::LL_P1, tk.lower, low(1)));
            let capk = (tk.flags & (INIT_CAP | ALL_CAP)) as u64;
            out.push(feat3(t::CASE_LINE, tk.case as u64, line as u64, capk | ((i == 0) as u64) << 8));
            let seen = ctx.seen.get(&tk.lower).copied().unwrap_or(0) as u64;
            out.push(feat3(t::DOCCASE, seen, capk | ((i == 0) as u64) << 8, line as u64));
            out.push(feat2(t::LINE_SH, line as u64, tk.shape));
            if line != 0 {
                out.push(feat2(t::LINE_L, line as u64, tk.lower));
            }
            if i == 0 {
                out.push(feat(t::FIRST_SH, tk.shape));
            }
            out.push(feat(t::LEN, (tk.chars.min(12) as u64) | (toks.len().min(4) as u64) << 8));
            if !gz.is_empty() {
                let g = gz[i];
                if g != 0 {
                    for b in 0..16 {
                        if g & (1 << b) != 0 {
                            out.push(feat(t::GAZ, b as u64 | capk << 8));
                        }
                    }
                    out.push(feat2(t::GAZ_MASK, g as u64, capk));
                }
                out.push(feat(t::GAZ_M1, if i > 0 { gz[i - 1] as u64 } else { BOS }));
                out.push(feat(t::GAZ_P1, gz.get(i + 1).map_or(EOS, |&x| x as u64)));
            }
            if line == 0 && tk.is(INIT_CAP) {
                // The run of capitalized words around this one (at most 8 each
                // way): its extent, first and last word (the head: "Bank",
                // "Party", "Cup"), and the whole phrase.
                let cap = |t: &Tok| t.is(INIT_CAP);
                let mut a = i;
                while a > 0 && i - a < 8 && cap(&toks[a - 1]) {
                    a -= 1;
                }
                let mut b = i + 1;
                while b < toks.len() && b - i < 8 && cap(&toks[b]) {
                    b += 1;
                }
                let n = b - a;
                let code: u64 = if n == 1 { 4 } else if i == a { 1 } else if i + 1 == b { 3 } else { 2 };
                out.push(feat(t::RUN_POS, code | (n.min(4) as u64) << 4 | ((a == 0) as u64) << 8));
                out.push(feat2(t::RUN_LAST, toks[b - 1].lower, code));
                out.push(feat2(t::RUN_FIRST, toks[a].lower, code));
                if n >= 2 {
                    let mut h = 0u64;
                    for t in &toks[a..b] {
                        h = super::hash::mix(h ^ t.lower);
                    }
                    out.push(feat(t::RUN_ALL, h));
                }
            }
            if let Some(&g) = gzp.get(i) {
                // Where this token sits in each gazetteer match covering it (B, I, L, U per category).
                for b in 0..32 {
                    if g & (1 << b) != 0 {
                        out.push(feat(t::GAZ_POS, b as u64 | capk << 8));
                    }
                }
            }
            if !tk.is(INIT_CAP) {
                // Lower-case words between capitalized ones: "Bank of England", "Jean de Florette".
                let ck = |o: Option<&Tok>| o.map_or(9, |t| (t.flags & (INIT_CAP | ALL_CAP)) as u64);
                out.push(feat3(t::L_CAPCTX, tk.lower, ck(get(-1)), ck(get(1))));
            }
            if !pos.is_empty() {
                let p = |j: isize| -> u64 {
                    let k = i as isize + j;
                    if k < 0 {
                        BOS
                    } else {
                        pos.get(k as usize).copied().unwrap_or(EOS)
                    }
                };
                out.push(feat(t::P, p(0)));
                out.push(feat(t::P_M1, p(-1)));
                out.push(feat(t::P_P1, p(1)));
                out.push(feat2(t::PP, p(-1), p(0)));
            }
        }
    }
}

/// Features that depend on earlier decisions.
#[inline]
fn dynamic_features(task: Task, tk: &Tok, prev: u64, prev2: u64, mem: u8, mem_next: u8, out: &mut Vec<u64>) {
    out.push(feat(t::PREV, prev));
    if task == Task::Ner {
        out.push(feat2(t::PREV2, prev, prev2));
        out.push(feat(t::MEM, mem as u64 | ((tk.flags & (INIT_CAP | ALL_CAP)) as u64) << 8));
        out.push(feat2(t::MEM_P1, mem_next as u64, mem as u64));
    }
    dynamic_rest(task, tk, prev, prev2, mem, out);
}

/// The dynamic features that involve the word; the others (previous tags,
/// document memory alone) take few values, so tagging looks their scores up
/// in [`DynTables`].
#[inline]
pub(crate) fn dynamic_rest(task: Task, tk: &Tok, prev: u64, prev2: u64, mem: u8, out: &mut Vec<u64>) {
    out.push(feat2(t::PREV_L, prev, tk.lower));
    match task {
        Task::Pos => {
            out.push(feat2(t::PREV2, prev, prev2));
            out.push(feat2(t::PREV_SUF, prev, tk.suf[2]));
            out.push(feat3(t::PREV2_L, prev, prev2, tk.lower));
        }
        Task::Ner => {
            out.push(feat2(t::PREV_SH, prev, tk.shape));
            out.push(feat2(t::PREV_C, prev, tk.clus[1] as u64));
            out.push(feat2(t::MEM_SH, mem as u64, tk.shape));
        }
    }
}

/// The distinct memory values (see `mem_value`: 0, a type 1..=4, |16 when
/// the types disagree) as indices 0..10.
#[inline]
pub(crate) fn mem_index(v: u8) -> usize {
    (v & 7) as usize + 5 * (v >> 4) as usize
}
pub(crate) const MEM_INDICES: usize = 10;

/// Precomputed scores (rows of [`Linear::stride`] weights) of the dynamic
/// features without a word. `pp`: the previous tag (row `prev + 1`, 0 =
/// sentence start), for NER with the tag before it (row `(prev + 1) *
/// (n + 1) + prev2 + 1`); `mm` (NER): the memory value × capitalization × the
/// next word's memory value (row `(mem_index * 4 + cap) * 10 + next index`).
#[derive(Debug, Clone, Default)]
pub(crate) struct DynTables {
    pub pp: Vec<i32>,
    pub mm: Vec<i32>,
}

impl DynTables {
    fn build(task: Task, lin: &Linear, class_hash: &[u64]) -> DynTables {
        let (n, w) = (lin.n_classes(), lin.stride());
        let ph = |p: usize| if p == 0 { BOS } else { class_hash[p - 1] };
        let value = |i: usize| if i < 5 { i as u64 } else { (i as u64 - 5) | 16 };
        let mut d = DynTables::default();
        let row = |out: &mut Vec<i32>, f: &[u64]| {
            let at = out.len();
            out.resize(at + w, 0);
            lin.add_scores(f, &mut out[at..at + n]);
        };
        if task == Task::Ner {
            for p in 0..=n {
                for p2 in 0..=n {
                    row(&mut d.pp, &[feat(t::PREV, ph(p)), feat2(t::PREV2, ph(p), ph(p2))]);
                }
            }
            for m in 0..MEM_INDICES {
                for capk in 0..4u64 {
                    for next in 0..MEM_INDICES {
                        row(&mut d.mm, &[feat(t::MEM, value(m) | capk << 8), feat2(t::MEM_P1, value(next), value(m))]);
                    }
                }
            }
        } else {
            for p in 0..=n {
                row(&mut d.pp, &[feat(t::PREV, ph(p))]);
            }
        }
        d
    }
}

/// Reusable buffers: tagging allocates nothing per token once these have grown.
#[derive(Debug, Default)]
pub struct Scratch {
    pub toks: Vec<Tok>,
    pub pos: Vec<u64>,
    pub feats: Vec<u64>,
    pub iscores: Vec<i32>,
    pub stat: Vec<i32>,
    pub(crate) allowed: Vec<bool>,
    pub ctx: DocCtx,
    /// Tagging fast path: cached tokens and word-group scores (`fast.rs`).
    pub(crate) tok_cache: super::fast::TokCache,
    pub(crate) word_cache: [super::fast::WordCache; 2],
    pub(crate) gz: Vec<u16>,
    pub(crate) gzp: Vec<u32>,
    /// Per token (memory value, next word's memory value) in this pass and
    /// the one before, and the decisions of the pass before.
    pub(crate) mem_now: Vec<(u8, u8)>,
    pub(crate) mem_before: Vec<(u8, u8)>,
    pub(crate) out_before: Vec<u16>,
    /// Per token of a sentence, the end of its context features in `feats`;
    /// the features found (see `Linear::resolve`).
    pub(crate) ends: Vec<u32>,
    pub(crate) hits: Vec<(u32, u32)>,
    /// The last document's POS classes and the words they were tagged
    /// from (see `Models::doc_pos_classes`).
    pub(crate) pos_memo: PosMemo,
}

impl Scratch {
    /// Drops the per-token buffers a very long document grew (they are
    /// refilled by every tagging call), so that its hundreds of megabytes are
    /// not held through the rest of the run; news-sized ones are kept.
    pub fn release_large(&mut self) {
        fn release<T>(v: &mut Vec<T>) {
            const MAX_BYTES: usize = 8 << 20;
            if v.capacity() * std::mem::size_of::<T>() > MAX_BYTES {
                *v = Vec::new();
            }
        }
        release(&mut self.toks);
        release(&mut self.pos);
        release(&mut self.feats);
        release(&mut self.iscores);
        release(&mut self.stat);
        release(&mut self.gz);
        release(&mut self.gzp);
        release(&mut self.mem_now);
        release(&mut self.mem_before);
        release(&mut self.out_before);
        release(&mut self.ends);
        release(&mut self.hits);
    }
}

/// POS classes of one document's words and sentences, kept so that the
/// NER tagger's POS features and `Models::tag_pos` tag a document once.
#[derive(Debug, Default)]
pub(crate) struct PosMemo {
    pub(crate) valid: bool,
    /// The POS tagger's and the clusters' ids.
    pub(crate) owner: (u64, u64),
    pub(crate) bytes: Vec<u8>,
    pub(crate) lens: Vec<u32>,
    pub(crate) sents: Vec<Range<usize>>,
    pub(crate) classes: Vec<u16>,
}

impl PosMemo {
    /// Whether the memo holds exactly these words and sentences.
    pub(crate) fn holds(&self, owner: (u64, u64), words: &[&str], sents: &[Range<usize>]) -> bool {
        if !self.valid || self.owner != owner || self.lens.len() != words.len() || self.sents != sents {
            return false;
        }
        let mut at = 0usize;
        for (w, &l) in words.iter().zip(&self.lens) {
            let b = w.as_bytes();
            if b.len() != l as usize || self.bytes.get(at..at + b.len()) != Some(b) {
                return false;
            }
            at += b.len();
        }
        true
    }

    /// Records the words and sentences that `self.classes` were tagged from.
    pub(crate) fn store_words(&mut self, owner: (u64, u64), words: &[&str], sents: &[Range<usize>]) {
        self.owner = owner;
        self.bytes.clear();
        self.lens.clear();
        for w in words {
            self.bytes.extend_from_slice(w.as_bytes());
            self.lens.push(w.len() as u32);
        }
        self.sents.clear();
        self.sents.extend_from_slice(sents);
        self.valid = true;
    }
}

/// A document ready for decoding: tokens, sentences, static features.
pub struct Prepared {
    pub toks: Vec<Tok>,
    pub sents: Vec<Range<usize>>,
    pub feats: Vec<u64>,
    pub offs: Vec<u32>,
    pub ctx: DocCtx,
}

pub fn prepare(
    task: Task,
    words: &[&str],
    sents: &[Range<usize>],
    clusters: Option<&Clusters>,
    pos: &[u64],
    gaz: Option<&Gazetteer>,
) -> Prepared {
    let toks: Vec<Tok> = words.iter().map(|w| Tok::new(w, clusters)).collect();
    let (mut gz, mut gzp) = (Vec::new(), Vec::new());
    let mut ctx = DocCtx::default();
    ctx.prepare(&toks, sents);
    let mut feats = Vec::with_capacity(words.len() * 48);
    let mut offs = Vec::with_capacity(words.len() + 1);
    for (si, s) in sents.iter().enumerate() {
        let p = if pos.is_empty() { &[][..] } else { &pos[s.clone()] };
        match gaz {
            Some(g) => g.mark_with_positions(&toks[s.clone()], &mut gz, &mut gzp),
            None => {
                gz.clear();
                gzp.clear();
            }
        }
        for i in 0..s.len() {
            offs.push(feats.len() as u32);
            static_features(task, &toks[s.clone()], p, &gz, &gzp, ctx.line[si], &ctx, i, &mut feats);
        }
    }
    offs.push(feats.len() as u32);
    Prepared { toks, sents: sents.to_vec(), feats, offs, ctx }
}

/// Training hook for [`decode`]: gold classes, the update (features, gold,
/// guess), and feature dropout: a salt (per document and epoch) and the
/// threshold below which a static feature's salted hash drops it.
type Learn<'a> = (&'a [u16], &'a mut dyn FnMut(&[u64], usize, usize), u64, u64);

/// The entries of sentence `si` in the first-pass list (in sentence order).
fn sentence_entries(first: &[(u32, u64, u8)], si: usize) -> (usize, usize) {
    let a = first.partition_point(|e| (e.0 as usize) < si);
    let b = first.partition_point(|e| (e.0 as usize) <= si);
    (a, b)
}

/// Greedy decoding of a prepared document with any scorer. In training,
/// `learn` is called per token of the last pass with (features, gold, guess).
#[allow(clippy::too_many_arguments)]
fn decode<S: Copy + Default + PartialOrd + std::ops::AddAssign>(
    task: Task,
    iob: &[(u8, u8)],
    class_hash: &[u64],
    passes: u8,
    p: &mut Prepared,
    n_classes: usize,
    scores: &mut Vec<S>,
    feats: &mut Vec<u64>,
    stat: &mut Vec<S>,
    allowed_tab: &mut Vec<bool>,
    score: &mut dyn FnMut(&[u64], &mut [S]),
    mut learn: Option<Learn<'_>>,
    out: &mut Vec<u16>,
) {
    scores.resize(n_classes, S::default());
    let bilou = iob.iter().any(|&(k, _)| k >= 3);
    // Which class may follow which (row prev + 1, row 0 = sentence start),
    // at the last token or not: looked up, not recomputed per class.
    let ner = task == Task::Ner;
    if ner {
        allowed_tab.clear();
        for last in [false, true] {
            for prev in 0..=n_classes {
                let pv = prev.checked_sub(1);
                allowed_tab.extend((0..n_classes).map(|c| allowed(task, iob, bilou, pv, c, last)));
            }
        }
    }
    // Tagging (not training): the static features' scores do not change
    // between passes, so each token's are summed once.
    let cache = learn.is_none();
    if cache {
        stat.clear();
        stat.resize(p.toks.len() * n_classes, S::default());
        for i in 0..p.toks.len() {
            score(&p.feats[p.offs[i] as usize..p.offs[i + 1] as usize], &mut stat[i * n_classes..(i + 1) * n_classes]);
        }
    }
    let passes = if task == Task::Ner { passes.clamp(1, 3) } else { 1 };
    p.ctx.first.clear();
    p.ctx.next.clear();
    for pass in 1..=passes {
        let last_pass = pass == passes;
        out.clear();
        p.ctx.mem.clear();
        if pass >= 2 {
            for &(_, k, ty) in &p.ctx.first {
                p.ctx.mem.entry(k).or_insert([0; 4])[ty as usize] += 1;
            }
        }
        for (si, s) in p.sents.clone().into_iter().enumerate() {
            if pass >= 2 {
                // A later pass sees every other sentence's entities from the pass before, not its own.
                let (a, b) = sentence_entries(&p.ctx.first, si);
                for &(_, k, ty) in &p.ctx.first[a..b] {
                    if let Some(c) = p.ctx.mem.get_mut(&k) {
                        c[ty as usize] = c[ty as usize].saturating_sub(1);
                    }
                }
            }
            let mut prev: Option<usize> = None;
            let mut prev2: Option<usize> = None;
            for i in s.clone() {
                let tk = p.toks[i];
                feats.clear();
                if !cache {
                    let fs = &p.feats[p.offs[i] as usize..p.offs[i + 1] as usize];
                    match &learn {
                        Some((_, _, salt, cut)) if *cut > 0 => {
                            let salt = salt ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                            feats.extend(fs.iter().filter(|&&f| super::hash::mix(f ^ salt) >= *cut));
                        }
                        _ => feats.extend_from_slice(fs),
                    }
                }
                let ph = prev.map_or(BOS, |c| class_hash[c]);
                let ph2 = prev2.map_or(BOS, |c| class_hash[c]);
                let (mut mem, mut mem_next) = (0, 0);
                if task == Task::Ner && !p.ctx.mem.is_empty() {
                    mem = mem_value(p.ctx.mem.get(&tk.lower));
                    if i + 1 < s.end {
                        mem_next = mem_value(p.ctx.mem.get(&p.toks[i + 1].lower));
                    }
                }
                dynamic_features(task, &tk, ph, ph2, mem, mem_next, feats);
                score(feats, scores);
                if cache {
                    for (sc, &st) in scores.iter_mut().zip(&stat[i * n_classes..(i + 1) * n_classes]) {
                        *sc += st;
                    }
                }
                let last = i + 1 == s.end;
                let mut best = usize::MAX;
                if ner {
                    let row = (last as usize * (n_classes + 1) + prev.map_or(0, |c| c + 1)) * n_classes;
                    let ok = &allowed_tab[row..row + n_classes];
                    for c in 0..n_classes {
                        if ok[c] && (best == usize::MAX || scores[c] > scores[best]) {
                            best = c;
                        }
                    }
                } else {
                    best = 0;
                    for c in 1..n_classes {
                        if scores[c] > scores[best] {
                            best = c;
                        }
                    }
                }
                if best == usize::MAX {
                    // Only with a class set missing an O class: take the plain best.
                    best = 0;
                    for c in 1..n_classes {
                        if scores[c] > scores[best] {
                            best = c;
                        }
                    }
                }
                if last_pass {
                    if let Some((gold, f, _, _)) = learn.as_mut() {
                        f(feats, gold[i] as usize, best);
                    }
                }
                out.push(best as u16);
                prev2 = prev;
                prev = Some(best);
            }
            if task == Task::Ner {
                for i in s.clone() {
                    let (b, ty) = iob[out[i] as usize];
                    if b != 0 && p.toks[i].is(HAS_ALPHA) {
                        let k = p.toks[i].lower;
                        if !last_pass {
                            p.ctx.next.push((si as u32, k, ty.min(3)));
                        }
                        if pass == 1 {
                            p.ctx.mem.entry(k).or_insert([0; 4])[ty.min(3) as usize] += 1;
                        }
                    }
                }
                if pass >= 2 {
                    let (a, b) = sentence_entries(&p.ctx.first, si);
                    for &(_, k, ty) in &p.ctx.first[a..b] {
                        if let Some(c) = p.ctx.mem.get_mut(&k) {
                            c[ty as usize] += 1;
                        }
                    }
                }
            }
        }
        std::mem::swap(&mut p.ctx.first, &mut p.ctx.next);
        p.ctx.next.clear();
    }
}

impl Tagger {
    /// Tags a prepared document; one class index per token.
    pub fn tag_prepared(&self, p: &mut Prepared, sc: &mut Scratch, out: &mut Vec<u16>) {
        let lin = &self.linear;
        let n = lin.n_classes();
        // Integer scores: the quantized weights add up exactly, so the
        // argmax is the same as over their f32 conversion, without converting.
        let mut buf = [0i32; 256];
        let mut score = |f: &[u64], s: &mut [i32]| {
            buf[..n].fill(0);
            lin.add_scores_256(f, &mut buf);
            s.copy_from_slice(&buf[..n]);
        };
        decode(self.task, &self.iob, &self.class_hash, self.passes, p, n, &mut sc.iscores, &mut sc.feats, &mut sc.stat, &mut sc.allowed, &mut score, None, out);
    }
}

/// A training document: words, sentence ranges, gold class per token, optional POS hashes.
pub struct TrainDoc {
    pub words: Vec<String>,
    pub sents: Vec<Range<usize>>,
    pub gold: Vec<u16>,
    pub pos: Vec<u64>,
}

#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub epochs: usize,
    pub patience: usize,
    pub seed: u64,
    pub prune: f32,
    /// NER document passes (see [`TaggerData::passes`]).
    pub passes: u8,
    /// NER: learn BILOU classes (output stays IOB2).
    pub bilou: bool,
    /// Taggers trained from different seeds and averaged into the model (1 = one).
    pub ensemble: usize,
    /// Fraction of static features dropped from each training instance (0 = none).
    pub dropout: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 10, patience: 2, seed: 20241219, prune: 0.0, passes: 1, bilou: true, ensemble: 1, dropout: 0.0 }
    }
}

#[allow(clippy::too_many_arguments)]
/// Trains a tagger; `dev_score` rates a candidate on the dev set (higher is
/// better). With `opt.ensemble` K > 1: K taggers from K shuffling seeds,
/// each stopped early on dev, averaged into one model (a linear model, so as
/// fast as one): less dependent on one shuffle's luck.
pub fn train(
    task: Task,
    classes: Vec<String>,
    train: &[TrainDoc],
    clusters: Option<&Clusters>,
    use_pos: bool,
    gazetteer: Option<GazData>,
    opt: &TrainOptions,
    dev_score: &mut dyn FnMut(&Tagger) -> f64,
    log: &mut dyn FnMut(&str),
) -> Result<(TaggerData, f64), String> {
    let k = opt.ensemble.max(1);
    if k == 1 {
        return train_one(task, classes, train, clusters, use_pos, gazetteer, opt, dev_score, log);
    }
    let mut members = Vec::with_capacity(k);
    for m in 0..k {
        // Member seeds: the seed, then fixed offsets from it.
        let o = TrainOptions { seed: opt.seed.wrapping_add(m as u64 * 1_000_003), ensemble: 1, ..*opt };
        log(&format!("ensemble member {} of {k}, seed {}", m + 1, o.seed));
        let (d, s) = train_one(task, classes.clone(), train, clusters, use_pos, gazetteer.clone(), &o, dev_score, log)?;
        log(&format!("member {}: dev {s:.2}", m + 1));
        members.push(d);
    }
    let linear = super::linear::average(&members.iter().map(|d| &d.linear).collect::<Vec<_>>(), opt.prune);
    let data = TaggerData { linear, ..members[0].clone() };
    let s = dev_score(&Tagger::from_data(data.clone())?);
    log(&format!("ensemble of {k}: dev {s:.2}, {} features", data.linear.keys.len()));
    Ok((data, s))
}

#[allow(clippy::too_many_arguments)]
/// Trains a tagger; `dev_score` rates a candidate on the dev set (higher is better).
fn train_one(
    task: Task,
    classes: Vec<String>,
    train: &[TrainDoc],
    clusters: Option<&Clusters>,
    use_pos: bool,
    gazetteer: Option<GazData>,
    opt: &TrainOptions,
    dev_score: &mut dyn FnMut(&Tagger) -> f64,
    log: &mut dyn FnMut(&str),
) -> Result<(TaggerData, f64), String> {
    if classes.len() > 255 {
        return Err(format!("{} classes: at most 255", classes.len()));
    }
    let (iob, class_hash) = class_meta(&classes);
    let n = classes.len();
    let passes = opt.passes;
    let gaz = gazetteer.clone().map(Gazetteer::from_data).transpose()?;
    let mut prepared: Vec<Prepared> = train
        .iter()
        .map(|d| {
            let w: Vec<&str> = d.words.iter().map(|s| s.as_str()).collect();
            prepare(task, &w, &d.sents, clusters, if use_pos { &d.pos } else { &[] }, gaz.as_ref())
        })
        .collect();
    let mut tr = Trainer::new(classes);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng::new(opt.seed);
    let mut best: Option<(TaggerData, f64)> = None;
    let mut since_best = 0;
    let (mut scores, mut feats, mut out, mut stat, mut allowed_tab) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let fp = clusters.map_or(0, |c| c.fingerprint());
    for epoch in 1..=opt.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &di in &order {
            let gold = &train[di].gold;
            let p = &mut prepared[di];
            let trc = std::cell::RefCell::new(&mut tr);
            let mut score = |f: &[u64], s: &mut [f32]| trc.borrow().scores(f, s);
            let mut learn = |f: &[u64], g: usize, guess: usize| {
                let mut t = trc.borrow_mut();
                t.now += 1;
                t.update(f, g, guess);
            };
            let salt = super::hash::mix(opt.seed ^ (epoch as u64) << 32 ^ di as u64);
            let cut = (opt.dropout.clamp(0.0, 0.9) as f64 * u64::MAX as f64) as u64;
            decode(task, &iob, &class_hash, passes, p, n, &mut scores, &mut feats, &mut stat, &mut allowed_tab, &mut score, Some((gold, &mut learn, salt, cut)), &mut out);
            right += out.iter().zip(gold).filter(|(a, b)| a == b).count();
            total += gold.len();
        }
        let data = TaggerData { task, linear: tr.export(opt.prune), clusters: fp, use_pos, passes, gazetteer: gazetteer.clone() };
        let tagger = Tagger::from_data(data.clone())?;
        let s = dev_score(&tagger);
        log(&format!(
            "epoch {epoch}: train acc {:.2}%, dev {s:.2}, {} features",
            100.0 * right as f64 / total.max(1) as f64,
            data.linear.keys.len()
        ));
        if best.as_ref().is_none_or(|b| s > b.1) {
            best = Some((data, s));
            since_best = 0;
        } else {
            since_best += 1;
            if since_best >= opt.patience {
                break;
            }
        }
    }
    best.ok_or_else(|| "no training epochs".to_string())
}
