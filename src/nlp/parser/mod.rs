//! A fast greedy dependency parser: arc-hybrid transitions, a dynamic
//! oracle, and an averaged perceptron over hashed features (the taggers'
//! [`Linear`] weight store), reading the POS tagger's predicted XPOS.
//! Labeled with UD deprels as they appear in the training data (subtypes
//! such as `nsubj:pass` kept). See `models/README.md`, "Dependency parser".
//!
//! Library use (after [`crate::nlp::Models::bundled_with_parser`]):
//! ```ignore
//! let m = Models::bundled_with_parser()?;
//! // words of ONE sentence; POS tags are predicted when not given.
//! if let Some(arcs) = m.parse(&["Police", "arrested", "two", "men", "."], None) {
//!     // arcs[i] = (head, deprel) of word i: head 0 = root, else 1-based word index.
//!     assert_eq!(arcs[0], (2, "nsubj"));
//! }
//! ```

pub mod beam;
pub mod bilstm;
pub mod conllu;
pub mod doc;
pub mod system;
pub mod train;

use super::clusters::Clusters;
use super::hash::{Fh, KeyTable};
use super::linear::LinearData;
use super::token::Tok;
use serde::{Deserialize, Serialize};
use system::{decode_class, PTok, State};

pub const KIND_PARSER: &[u8; 4] = b"PAR\0";

/// The stored form of the parser.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ParserData {
    /// Transition classes: `SH`, `L:<label>` ×L, `R:<label>` ×L, in that order.
    pub linear: LinearData,
    pub labels: Vec<String>,
    /// Fingerprint of the clusters it was trained with; 0 = none.
    pub clusters: u64,
    /// Optional feature groups it was trained with ([`system::F_AFFIX`] ...).
    pub features: u32,
    /// Beam width it was trained for and parses with (0 or 1 = greedy).
    pub beam: u32,
    /// Fingerprint ([`crate::nlp::supertag::fingerprint`]) of the supertagger
    /// file it was trained and evaluated with; 0 = none recorded (no
    /// supertag features, or a file written before the field).
    pub supertagger: u64,
}

/// The stored form before the supertagger fingerprint (no `supertagger` field).
#[derive(Deserialize)]
struct ParserDataV3 {
    linear: LinearData,
    labels: Vec<String>,
    clusters: u64,
    features: u32,
    beam: u32,
}

/// The stored form before the beam width (no `beam` field).
#[derive(Deserialize)]
struct ParserDataV2 {
    linear: LinearData,
    labels: Vec<String>,
    clusters: u64,
    features: u32,
}

/// The stored form before optional feature groups (no `features` field).
#[derive(Deserialize)]
struct ParserDataV1 {
    linear: LinearData,
    labels: Vec<String>,
    clusters: u64,
}

/// Decodes a `PAR\0` model file, including files written before the
/// `supertagger`, `beam` or `features` fields (postcard is not self-describing,
/// so the older layouts are tried in turn; a newer layout never decodes as an
/// older one by accident because the newest is tried first).
pub fn decode_data(name: &str, bytes: &[u8]) -> crate::Result<ParserData> {
    let e = match super::format::decode::<ParserData>(name, KIND_PARSER, bytes) {
        Ok(d) => return Ok(d),
        Err(e) => e,
    };
    if let Ok(v) = super::format::decode::<ParserDataV3>(name, KIND_PARSER, bytes) {
        return Ok(ParserData { linear: v.linear, labels: v.labels, clusters: v.clusters, features: v.features, beam: v.beam, supertagger: 0 });
    }
    if let Ok(v) = super::format::decode::<ParserDataV2>(name, KIND_PARSER, bytes) {
        return Ok(ParserData { linear: v.linear, labels: v.labels, clusters: v.clusters, features: v.features, beam: 0, supertagger: 0 });
    }
    match super::format::decode::<ParserDataV1>(name, KIND_PARSER, bytes) {
        Ok(v) => Ok(ParserData { linear: v.linear, labels: v.labels, clusters: v.clusters, features: 0, beam: 0, supertagger: 0 }),
        Err(_) => Err(e),
    }
}

#[derive(Debug, Clone)]
pub struct Parser {
    /// The weights as stored (and scored by [`Scorer`]).
    pub data: LinearData,
    scorer: Scorer,
    pub labels: Vec<String>,
    pub clusters_fp: u64,
    /// Optional feature groups on.
    pub features: u32,
    /// Beam width of [`Parser::parse_toks`] (1 = greedy).
    pub beam: usize,
    root: Option<u16>,
    /// Predicts the supertags the [`system::F_STAG`] features read (shared: loaded once).
    pub supertagger: Option<std::sync::Arc<crate::nlp::supertag::Supertagger>>,
    /// The fingerprint of the supertagger it was trained with (0 = not recorded).
    pub supertagger_fp: u64,
}

/// The weights laid out for scoring: with ~100 transition classes many
/// features (tags, tag pairs) have weights for most classes, so those rows
/// are stored dense (one vectorizable add) and the rest sparse, as in [`super::linear::Linear`].
#[derive(Debug, Clone, Default)]
struct Scorer {
    /// Slot value: DENSE | dense row index, or sparse start << 8 | length.
    table: KeyTable,
    n: usize,
    dense: Vec<i16>,
    sparse: Vec<(u8, i16)>,
}

const DENSE: u32 = 1 << 31;

impl Scorer {
    fn new(d: &LinearData) -> Result<Scorer, String> {
        if d.classes.is_empty() || d.classes.len() > 256 {
            return Err(format!("{} classes", d.classes.len()));
        }
        if d.row_len.len() != d.keys.len() || d.cls.len() != d.w.len() {
            return Err("inconsistent weight table".into());
        }
        if d.keys.windows(2).any(|w| w[0] >= w[1]) || d.keys.first() == Some(&0) {
            return Err("feature keys not sorted".into());
        }
        let n = d.classes.len();
        if d.cls.iter().any(|&c| c as usize >= n) {
            return Err("class index out of range".into());
        }
        let mut sc = Scorer { n, ..Default::default() };
        let mut vals = Vec::with_capacity(d.keys.len());
        let mut at = 0usize;
        for &len in &d.row_len {
            let (a, b) = (at, at + len as usize);
            at = b;
            let (Some(cls), Some(w)) = (d.cls.get(a..b), d.w.get(a..b)) else { return Err("row lengths do not add up".into()) };
            if len as usize * 4 > n {
                let r = sc.dense.len() / n;
                sc.dense.resize(sc.dense.len() + n, 0);
                for (&c, &x) in cls.iter().zip(w) {
                    sc.dense[r * n + c as usize] = x;
                }
                vals.push(DENSE | r as u32);
            } else {
                let start = sc.sparse.len();
                if start >= 1 << 23 {
                    return Err("too many weights".into());
                }
                sc.sparse.extend(cls.iter().copied().zip(w.iter().copied()));
                vals.push((start as u32) << 8 | len as u32);
            }
        }
        if at != d.w.len() || sc.dense.len() / n.max(1) >= DENSE as usize {
            return Err("row lengths do not add up".into());
        }
        sc.table = KeyTable::build_with(&d.keys, |i| vals[i]);
        Ok(sc)
    }

    /// Adds the weights of `feats` into `scores` (the first `n` count).
    /// Memory-bound: the table slots and then the rows are cache misses, so
    /// each is prefetched for all features before any is read.
    #[inline]
    fn add(&self, feats: &[u64], scores: &mut [i32; 256], rows: &mut Vec<u32>) {
        for &f in feats {
            self.table.prefetch(f);
        }
        rows.clear();
        let n = self.n;
        for &f in feats {
            let Some(v) = self.table.get(f) else { continue };
            let (p, bytes) = if v & DENSE != 0 {
                (self.dense.as_ptr().wrapping_add((v & !DENSE) as usize * n) as *const i8, 2 * n)
            } else {
                (self.sparse.as_ptr().wrapping_add((v >> 8) as usize) as *const i8, 4 * (v & 0xff) as usize)
            };
            for off in (0..bytes).step_by(64) {
                prefetch(p.wrapping_add(off));
            }
            rows.push(v);
        }
        for &v in rows.iter() {
            if v & DENSE != 0 {
                let r = (v & !DENSE) as usize * n;
                if let Some(row) = self.dense.get(r..r + n) {
                    for (s, &w) in scores.iter_mut().zip(row) {
                        *s += w as i32;
                    }
                }
            } else {
                let (a, l) = ((v >> 8) as usize, (v & 0xff) as usize);
                for &(c, w) in self.sparse.get(a..a + l).unwrap_or(&[]) {
                    scores[c as usize] += w as i32;
                }
            }
        }
    }
}

/// Reusable buffers: parsing allocates nothing per sentence once these have grown.
#[derive(Debug)]
pub struct ParseScratch {
    pub state: State,
    pub toks: Vec<PTok>,
    feats: Vec<u64>,
    rows: Vec<u32>,
    scores: [i32; 256],
    beam: beam::Beam,
    /// The supertagger's buffers (its own, so its word cache is not the POS tagger's).
    tagger: crate::nlp::tagger::Scratch,
    st_classes: Vec<u16>,
    st_hashes: Vec<u64>,
}

impl Default for ParseScratch {
    fn default() -> Self {
        ParseScratch { state: State::default(), toks: Vec::new(), feats: Vec::with_capacity(160), rows: Vec::with_capacity(160), scores: [0; 256], beam: beam::Beam::default(), tagger: Default::default(), st_classes: Vec::new(), st_hashes: Vec::new() }
    }
}

/// A cache hint; never faults (any address may be prefetched).
#[inline]
fn prefetch(p: *const i8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetch is only a hint and does not dereference.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Transition class names for a label set.
pub fn class_names(labels: &[String]) -> Vec<String> {
    let mut c = vec!["SH".to_string()];
    c.extend(labels.iter().map(|l| format!("L:{l}")));
    c.extend(labels.iter().map(|l| format!("R:{l}")));
    c
}

/// The parser's view of a word: its form, predicted XPOS and clusters.
pub fn ptok(word: &str, xpos: &str, clusters: Option<&Clusters>) -> PTok {
    let t = Tok::new(word, clusters);
    // The shape carries the capitalization and digit flags the lower-cased form lost.
    PTok { w: t.lower, p: Fh::default().str(xpos).0, c: t.clus[1] as u64, c2: t.clus[2] as u64, s: t.suf[2] ^ 0x5u64, sh: t.shape ^ (t.flags as u64) << 48, st: 0 }
}

impl Parser {
    pub fn from_data(d: ParserData) -> Result<Parser, String> {
        let want = class_names(&d.labels);
        if d.linear.classes != want {
            return Err("transition classes do not match the labels".into());
        }
        if d.labels.len() > 127 {
            return Err(format!("{} labels: at most 127", d.labels.len()));
        }
        let root = d.labels.iter().position(|l| l == "root").map(|i| i as u16);
        let scorer = Scorer::new(&d.linear)?;
        let beam = (d.beam as usize).clamp(1, 64);
        Ok(Parser { data: d.linear, scorer, labels: d.labels, clusters_fp: d.clusters, features: d.features, beam, root, supertagger: None, supertagger_fp: d.supertagger })
    }

    /// Whether `st` is the supertagger this model was trained with: always
    /// true for a model that reads no supertags or recorded no fingerprint.
    pub fn fits_supertagger(&self, st: &crate::nlp::supertag::Supertagger) -> bool {
        !self.needs_supertags() || self.supertagger_fp == 0 || self.supertagger_fp == st.fingerprint
    }

    /// Whether the model reads supertags (and so needs [`Parser::supertagger`]).
    pub fn needs_supertags(&self) -> bool {
        self.features & system::F_STAG != 0
    }

    /// Fills `toks[1..]`'s supertags from the supertagger (`words` are the
    /// sentence's, `toks[0]` the root); nothing when the model reads none.
    pub fn supertag(&self, words: &[&str], clusters: Option<&Clusters>, sc: &mut ParseScratch, toks: &mut [PTok]) {
        if !self.needs_supertags() {
            return;
        }
        let Some(st) = &self.supertagger else { return };
        st.tag_hashes(words, clusters, &mut sc.tagger, &mut sc.st_classes, &mut sc.st_hashes);
        for (t, &h) in toks.iter_mut().skip(1).zip(&sc.st_hashes) {
            t.st = h;
        }
    }

    pub fn label(&self, l: u16) -> &str {
        self.labels.get(l as usize).map_or("dep", |s| s.as_str())
    }

    /// Parses one sentence given as parser tokens (`toks[0]` is the root)
    /// with the model's beam width; `out[i]` = (head, label index) of word
    /// i+1, head 0 = root.
    pub fn parse_toks(&self, toks: &[PTok], sc: &mut ParseScratch, out: &mut Vec<(u32, u16)>) {
        self.parse_toks_beam(toks, self.beam, sc, out);
    }

    /// Greedy parsing: the best move at every step.
    fn parse_toks_greedy(&self, toks: &[PTok], sc: &mut ParseScratch, out: &mut Vec<(u32, u16)>) {
        out.clear();
        let n = toks.len();
        if n <= 1 {
            return;
        }
        let nl = self.labels.len();
        let nc = self.data.classes.len().min(256);
        let st = &mut sc.state;
        st.reset(n);
        // Every move shifts or pops once: 2n moves at most; the cap only guards against bugs.
        let mut budget = 2 * n + 2;
        while !st.terminal() && budget > 0 {
            budget -= 1;
            sc.feats.clear();
            st.features(toks, self.features, &mut sc.feats);
            sc.scores.fill(0);
            self.scorer.add(&sc.feats, &mut sc.scores, &mut sc.rows);
            let mut best: Option<(i32, usize)> = None;
            for (c, &s) in sc.scores[..nc].iter().enumerate() {
                if best.is_none_or(|(b, _)| s > b) && st.allowed(decode_class(c, nl), self.root) {
                    best = Some((s, c));
                }
            }
            match best {
                Some((_, c)) => st.apply(decode_class(c, nl)),
                None => break,
            }
        }
        st.arcs_into(self.root.unwrap_or(0), out);
    }

    /// Parses one sentence of words with their (predicted) XPOS tags.
    pub fn parse_words(&self, words: &[&str], xpos: &[&str], clusters: Option<&Clusters>, sc: &mut ParseScratch, out: &mut Vec<(u32, u16)>) {
        let mut toks = std::mem::take(&mut sc.toks);
        toks.clear();
        toks.push(PTok::root());
        for (i, w) in words.iter().enumerate() {
            toks.push(ptok(w, xpos.get(i).copied().unwrap_or("XX"), clusters));
        }
        self.supertag(words, clusters, sc, &mut toks);
        self.parse_toks(&toks, sc, out);
        sc.toks = toks;
    }
}

#[cfg(test)]
mod tests;
