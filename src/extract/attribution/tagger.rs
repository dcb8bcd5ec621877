//! The cue tagger: an averaged perceptron over every token that could head
//! an attribution cue (a word the cue lexicon knows, or any verb), deciding
//! from the word, its stem, its POS tag and its neighbours', the subject on
//! its left, what follows it ("that", "to", a quote, a colon), where quote
//! marks are, and the lexicon's precision for the word and its pairs.
//! Unlike the lexicon classifier it reaches verbs no training cue had
//! ("is demanding", "implored") through their POS and context.
//! Trained by `newsgraph train cues`; the model is a `CUE\0` model file.

use super::brat::GoldDocument;
use super::lexicon::{crude_lemma, Lexicon};
use crate::nlp::format;
use crate::nlp::hash::{feat, feat2, feat3, Fh, Rng};
use crate::nlp::linear::{Linear, LinearData, Trainer};
use crate::text::{analyze, Token, TokenKind};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

pub const KIND_CUE: &[u8; 4] = b"CUE\0";

static CUE_BIN: &[u8] = include_bytes!("../../../data/attribution/cue_tagger.bin");

/// The stored model: the first pass's linear weights over classes `O` and
/// `CUE`, the feature groups it reads, the number of epochs and documents
/// it was trained with (for the model card), and the second pass.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CueTaggerData {
    pub linear: LinearData,
    pub epochs: u32,
    pub documents: u32,
    /// Extra first-pass feature groups (bits of `F_*`).
    pub groups: u32,
    /// The second pass (stacking), when trained.
    pub stack: Option<StackData>,
}

/// The second pass: a linear model over the first pass's margins of the
/// word, its neighbours, the other candidates of its sentence and the same
/// stem elsewhere in the document (bits of `S_*` say which groups).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StackData {
    pub linear: LinearData,
    pub epochs: u32,
    pub groups: u32,
}

/// One linear model's "cue" margin.
#[derive(Debug, Clone)]
struct Head {
    lin: Linear,
    cue: usize,
    scale: f32,
}

impl Head {
    fn new(name: &str, data: LinearData) -> crate::Result<Head> {
        let bad = |message: String| crate::error::Error::BadModel { path: name.into(), message };
        let cue = data.class_index_of("CUE").ok_or_else(|| bad("no CUE class".into()))?;
        if data.classes.len() != 2 {
            return Err(bad("expected two classes".into()));
        }
        let scale = data.scale;
        let lin = Linear::from_data(data).map_err(bad)?;
        Ok(Head { lin, cue, scale })
    }

    fn score(&self, feats: &[u64]) -> f32 {
        let mut s = [0i32; 256];
        self.lin.add_scores_256(feats, &mut s);
        (s[self.cue] - s[1 - self.cue]) as f32 * self.scale
    }
}

#[derive(Debug, Clone)]
pub struct CueTagger {
    first: Head,
    groups: u32,
    stack: Option<(Head, u32)>,
}

impl CueTagger {
    pub fn from_bytes(name: &str, bytes: &[u8]) -> crate::Result<CueTagger> {
        let d: CueTaggerData = format::decode(name, KIND_CUE, bytes)?;
        let first = Head::new(name, d.linear)?;
        let stack = match d.stack {
            Some(st) => Some((Head::new(name, st.linear)?, st.groups)),
            None => None,
        };
        Ok(CueTagger { first, groups: d.groups, stack })
    }

    /// The tagger shipped in the binary (None when the file is empty or bad).
    pub fn bundled() -> Option<&'static CueTagger> {
        static T: LazyLock<Option<CueTagger>> = LazyLock::new(|| {
            (!CUE_BIN.is_empty())
                .then(|| CueTagger::from_bytes("data/attribution/cue_tagger.bin", CUE_BIN).ok())
                .flatten()
        });
        T.as_ref()
    }

    /// The first pass's margin of "cue" over "not a cue" for these features.
    pub fn score(&self, feats: &[u64]) -> f32 {
        self.first.score(feats)
    }

    /// The same tagger without its second pass (for held-out comparisons).
    pub fn first_pass_only(&self) -> CueTagger {
        CueTagger { first: self.first.clone(), groups: self.groups, stack: None }
    }

    /// Whether the model has a second pass.
    pub fn has_stack(&self) -> bool {
        self.stack.is_some()
    }

    /// The cue margin of every token of a document into `out` (negative
    /// infinity where the token is not a candidate): the first pass over
    /// every candidate of the units (sentences), then, when the model has
    /// one, the second pass, which reads the first pass's margins of the
    /// other candidates. Allocates per document, never per token.
    pub fn score_document(&self, inp: &Input, units: &[(usize, (usize, usize))], out: &mut Vec<f32>) {
        let n = inp.toks.len();
        out.clear();
        out.resize(n, f32::NEG_INFINITY);
        let (mut fv, mut pair, mut lower) = (Vec::new(), String::new(), String::new());
        // First pass, keeping every candidate's features (one flat buffer)
        // when the second pass reads them too.
        let keep = self.stack.as_ref().is_some_and(|(_, g)| g & S_BASE != 0);
        let mut first = vec![f32::NEG_INFINITY; n];
        let mut stems = vec![0u64; n];
        let mut flat: Vec<u64> = Vec::new();
        let mut at: Vec<(usize, (usize, usize), usize, usize)> = Vec::new();
        for &(_, (a, b)) in units {
            for i in a..b.min(n) {
                lower.clear();
                lower.extend(inp.toks[i].text(inp.text).chars().flat_map(char::to_lowercase));
                if inp.is_candidate(i, &lower) {
                    inp.features_with(self.groups, (a, b), i, &lower, &mut pair, &mut fv);
                    first[i] = self.first.score(&fv);
                    stems[i] = hs(crude_lemma(&lower));
                    let s0 = flat.len();
                    if keep {
                        flat.extend_from_slice(&fv);
                    }
                    at.push((i, (a, b), s0, flat.len()));
                }
            }
        }
        let Some((st, sgroups)) = &self.stack else {
            // A model without a second pass: the first pass decides.
            *out = first;
            return;
        };
        let best = StemBest::new(&first, &stems);
        for &(i, unit, s0, s1) in &at {
            inp.stack_features(*sgroups, unit, i, &first, &stems, &best, &flat[s0..s1], &mut fv);
            out[i] = st.score(&fv);
        }
    }
}

trait ClassIndex {
    fn class_index_of(&self, name: &str) -> Option<usize>;
}
impl ClassIndex for LinearData {
    fn class_index_of(&self, name: &str) -> Option<usize> {
        self.classes.iter().position(|c| c == name)
    }
}

/// What the features of one document are read from.
pub struct Input<'a> {
    pub text: &'a str,
    pub toks: &'a [Token],
    /// Penn tag of every token.
    pub pos: &'a [&'static str],
    /// Token → inside a quote region (non-zero).
    pub in_quote: &'a [u32],
    pub lex: &'a Lexicon,
}

fn lower_hash(s: &str) -> u64 {
    let mut h = Fh::default();
    for c in s.chars().flat_map(char::to_lowercase) {
        h = h.ch(c);
    }
    h.0
}

fn hs(s: &str) -> u64 {
    Fh::default().str(s).0
}

/// Plain reporting verbs, for the "another cue nearby" features.
const STRONG: &[&str] = &[
    "said", "says", "say", "told", "tells", "according", "wrote", "added", "asked", "stated",
    "explained", "noted", "argued", "claimed", "insisted",
];

const SUBJECT_SKIP: &[&str] = &[
    "has", "have", "had", "is", "was", "are", "were", "will", "would", "also", "not", "never",
    "did", "does", "do", "could", "should", "may", "might", "can", "must", "been", "be", "still",
    "even", "just", "later", "then", "again", "repeatedly", "publicly", "n't", "’s", "'s",
];

/// The first pass's best margin threshold alone (on a held-out sixth of
/// PolNeAR train); with the second pass, `Config::tagger_threshold` decides.
pub const FIRST_PASS_THRESHOLD: f32 = -4.0;

/// Extra first-pass feature groups (stored in the model).
pub const F_FRAME: u32 = 1;
pub const F_COPULA: u32 = 2;

/// Second-pass feature groups (stored in the model): the word's own
/// first-pass margin, its neighbours', the best earlier candidate of the
/// sentence and how the word stands to it, the best later one, the same
/// stem elsewhere in the document, the word's rank in its sentence, all
/// first-pass features, and the stem alone.
pub const S_OWN: u32 = 1;
pub const S_NEIGH: u32 = 2;
pub const S_GOV: u32 = 4;
pub const S_LATER: u32 = 8;
pub const S_DOC: u32 = 16;
pub const S_RANK: u32 = 32;
pub const S_BASE: u32 = 64;
pub const S_LEX: u32 = 128;

const COMPLEMENTS: &[&str] = &[
    "that", "whether", "if", "how", "what", "why", "to", "about", "of", "for", "on", "with", "as",
];

const COPULAS: &[&str] = &[
    "is", "was", "are", "were", "be", "been", "being", "am", "seems", "seemed", "remains",
    "remained", "became", "feel", "feels", "felt", "’s", "'s",
];

/// A signed, roughly logarithmic bucket of a margin (99: no candidate).
fn sb(x: f32) -> u64 {
    const EDGES: [f32; 10] = [1.0, 2.0, 4.0, 6.0, 9.0, 13.0, 18.0, 25.0, 35.0, 50.0];
    if !x.is_finite() {
        return 99;
    }
    let m = EDGES.iter().take_while(|&&e| x.abs() >= e).count() as u64;
    if x < 0.0 {
        50 + m
    } else {
        m
    }
}

/// Five coarse bands of a margin around the usual threshold (9: no candidate).
fn coarse(x: f32) -> u64 {
    if !x.is_finite() {
        9
    } else if x < -15.0 {
        0
    } else if x < -4.0 {
        1
    } else if x < 4.0 {
        2
    } else if x < 15.0 {
        3
    } else {
        4
    }
}

/// A bucket of a token distance.
fn dist_bucket(d: usize) -> u64 {
    match d {
        0..=3 => d as u64,
        4..=6 => 4,
        7..=12 => 5,
        _ => 6,
    }
}

/// Per stem: the best and second-best first-pass margin in the document,
/// and where the best is (sorted by stem: looked up by binary search).
pub struct StemBest(Vec<(u64, f32, usize, f32)>);

impl StemBest {
    fn new(first: &[f32], stems: &[u64]) -> StemBest {
        let mut v: Vec<(u64, f32, usize)> = (0..first.len())
            .filter(|&i| first[i].is_finite())
            .map(|i| (stems[i], first[i], i))
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
        let mut out: Vec<(u64, f32, usize, f32)> = Vec::new();
        for (st, sc, i) in v {
            match out.last_mut() {
                Some(l) if l.0 == st => {
                    if !l.3.is_finite() {
                        l.3 = sc;
                    }
                }
                _ => out.push((st, sc, i, f32::NEG_INFINITY)),
            }
        }
        StemBest(out)
    }

    /// The best margin of the same stem at another token.
    fn other(&self, stem: u64, i: usize) -> f32 {
        match self.0.binary_search_by(|x| x.0.cmp(&stem)) {
            Ok(k) => {
                let (_, best, at, second) = self.0[k];
                if at == i {
                    second
                } else {
                    best
                }
            }
            Err(_) => f32::NEG_INFINITY,
        }
    }
}

impl Input<'_> {
    /// The second-pass features of candidate `i` in the unit `a..b`, from
    /// the first-pass margins `s` (negative infinity off candidates), the
    /// candidates' stems, and the first-pass features `base`.
    #[allow(clippy::too_many_arguments)]
    pub fn stack_features(
        &self,
        groups: u32,
        (a, b): (usize, usize),
        i: usize,
        s: &[f32],
        stems: &[u64],
        best: &StemBest,
        base: &[u64],
        out: &mut Vec<u64>,
    ) {
        out.clear();
        out.push(feat(99, 0));
        let own = s[i];
        let oc = coarse(own);
        let p = hs(self.pos_at(Some(i)));
        let stem = stems[i];
        // At most 500 tokens either side: a hostile run-on "sentence" of
        // 40,000 tokens stays linear (no PolNeAR unit is that long, so the
        // trained model reads the same features).
        let (a, b) = (a.max(i.saturating_sub(500)), b.min(s.len()).min(i + 500));
        if groups & S_OWN != 0 {
            out.push(feat(100, sb(own)));
            out.push(feat2(101, sb(own), p));
            out.push(feat2(102, oc, stem));
        }
        if groups & S_NEIGH != 0 {
            for (t, d) in [(103u32, -2isize), (104, -1), (105, 1), (106, 2)] {
                let k = i as isize + d;
                let v = if k >= a as isize && (k as usize) < b {
                    sb(s[k as usize])
                } else {
                    98
                };
                out.push(feat2(t, v, oc));
            }
        }
        if groups & S_GOV != 0 {
            // The best earlier candidate: is this word inside its content
            // ("said (that) the plan would fail", "said: …")?
            match best_scored(s, a..i) {
                None => out.push(feat(110, 0)),
                Some(j) => {
                    let mut rel = 0u64;
                    for k in j + 1..i {
                        let w = self.word(k);
                        if k <= j + 3 && w.eq_ignore_ascii_case("that") {
                            rel |= 1;
                        }
                        match w {
                            ":" => rel |= 2,
                            "," => rel |= 4,
                            _ => {}
                        }
                        if w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("but") {
                            rel |= 8;
                        }
                        if self.is_quote_mark(k) {
                            rel |= 16;
                        }
                        if s[k].is_finite() && self.pos.get(k).is_some_and(|p| p.starts_with("VB")) {
                            rel |= 32;
                        }
                    }
                    let cj = coarse(s[j]);
                    out.push(feat2(111, sb(s[j]), rel));
                    out.push(feat3(112, cj, rel, oc));
                    out.push(feat3(113, cj, dist_bucket(i - j), oc));
                    out.push(feat3(114, cj, rel, p));
                    out.push(feat3(115, cj, oc, stem));
                }
            }
        }
        if groups & S_LATER != 0 {
            // The best later candidate: ", X said" after this word.
            match best_scored(s, i + 1..b) {
                None => out.push(feat(120, 0)),
                Some(l) => {
                    let mut rel = 0u64;
                    for k in i + 1..l {
                        let w = self.word(k);
                        match w {
                            "," => rel |= 1,
                            ":" => rel |= 2,
                            _ => {}
                        }
                        if w.eq_ignore_ascii_case("that") {
                            rel |= 4;
                        }
                        if self.is_quote_mark(k) {
                            rel |= 8;
                        }
                    }
                    let cl = coarse(s[l]);
                    out.push(feat2(121, sb(s[l]), rel));
                    out.push(feat3(122, cl, rel, oc));
                    out.push(feat3(123, cl, dist_bucket(l - i), oc));
                }
            }
        }
        if groups & S_DOC != 0 {
            let o = best.other(stem, i);
            out.push(feat2(130, sb(o), oc));
            out.push(feat3(131, coarse(o), oc, p));
        }
        if groups & S_RANK != 0 {
            let (mut higher, mut above) = (0u64, 0u64);
            for k in a..b {
                if k != i && s[k].is_finite() {
                    higher += (s[k] > own) as u64;
                    above += (s[k] > -4.0) as u64;
                }
            }
            out.push(feat2(140, higher.min(3), oc));
            out.push(feat2(141, above.min(3), oc));
            out.push(feat3(142, higher.min(3), above.min(3), oc));
        }
        if groups & S_LEX != 0 {
            out.push(feat(150, stem));
            out.push(feat2(151, p, oc));
        }
        if groups & S_BASE != 0 {
            // Shifted so that they are keys of their own.
            out.extend(base.iter().map(|&f| f ^ 0x9e37_79b9_7f4a_7c15));
        }
    }

    fn word(&self, k: usize) -> &str {
        self.toks[k].text(self.text)
    }
    fn pos_at(&self, k: Option<usize>) -> &'static str {
        k.and_then(|k| self.pos.get(k)).copied().unwrap_or("<s>")
    }

    /// Whether token `i` is one the tagger decides on: a word outside
    /// quotes that the lexicon knows or that is tagged as a verb, and never
    /// a function word.
    pub fn is_candidate(&self, i: usize, lower: &str) -> bool {
        let t = &self.toks[i];
        t.kind == TokenKind::Word
            && self.in_quote.get(i).copied().unwrap_or(0) == 0
            && !super::is_one_of(lower, super::FUNCTION_WORDS)
            && (self.lex.get(lower).is_some()
                || self.pos.get(i).is_some_and(|p| p.starts_with("VB")))
    }

    /// The first-pass features of candidate `i` in the sentence (token
    /// range) `a..b`, with the extra groups `groups` (bits of `F_*`).
    pub fn features_with(
        &self,
        groups: u32,
        (a, b): (usize, usize),
        i: usize,
        lower: &str,
        pair: &mut String,
        out: &mut Vec<u64>,
    ) {
        out.clear();
        let (a, b) = (a.max(i.saturating_sub(40)), b.min(i + 40));
        let at = |d: isize| -> Option<usize> {
            let k = i as isize + d;
            (k >= a as isize && k < b as isize).then_some(k as usize)
        };
        let wh = |k: Option<usize>| k.map_or(1, |k| lower_hash(self.word(k)));
        let w = hs(lower);
        let stem = hs(crude_lemma(lower));
        let p = hs(self.pos_at(Some(i)));
        let pm1 = hs(self.pos_at(at(-1)));
        let pp1 = hs(self.pos_at(at(1)));
        let pm2 = hs(self.pos_at(at(-2)));
        let pp2 = hs(self.pos_at(at(2)));
        let (wm1, wp1, wp2) = (wh(at(-1)), wh(at(1)), wh(at(2)));
        out.push(feat(0, 0));
        out.push(feat(1, w));
        out.push(feat(2, stem));
        out.push(feat(3, p));
        out.push(feat(4, pm1));
        out.push(feat(5, pp1));
        out.push(feat(6, pm2));
        out.push(feat(7, pp2));
        out.push(feat(8, wm1));
        out.push(feat(9, wp1));
        out.push(feat(10, wp2));
        out.push(feat2(11, pm1, p));
        out.push(feat2(12, p, pp1));
        out.push(feat2(13, w, wp1));
        out.push(feat2(14, wm1, w));
        out.push(feat2(15, stem, p));
        out.push(feat3(16, pm1, p, pp1));
        out.push(feat2(17, stem, pp1));
        // Lexicon precision of the word and of its pairs, bucketed.
        let bucket = |x: f32| ((x * 10.0).floor() as i64).clamp(0, 9) as u64;
        let (lp, ln) = self.lex.get(lower).map_or((0.0, 0), |s| (s.precision, s.n_cue));
        let nb = (32 - ln.leading_zeros()) as u64;
        out.push(feat(18, bucket(lp) + 1));
        out.push(feat(19, nb));
        out.push(feat2(20, bucket(lp) + 1, p));
        for (t, other, before) in [(21u32, at(1), false), (22, at(-1), true)] {
            if let Some(k) = other.filter(|&k| self.toks[k].kind == TokenKind::Word) {
                pair.clear();
                if before {
                    pair.extend(self.word(k).chars().flat_map(char::to_lowercase));
                    pair.push(' ');
                    pair.push_str(lower);
                } else {
                    pair.push_str(lower);
                    pair.push(' ');
                    pair.extend(self.word(k).chars().flat_map(char::to_lowercase));
                }
                if let Some(s) = self.lex.get(pair) {
                    out.push(feat(t, bucket(s.precision) + 1));
                }
            }
        }
        // The subject on the left, past auxiliaries and adverbs.
        let mut k = i;
        let mut guard = 0;
        while k > a && guard < 4 {
            let prev = k - 1;
            let pw = self.word(prev);
            if super::is_one_of(pw, SUBJECT_SKIP)
                || self.pos.get(prev).is_some_and(|p| *p == "RB" || *p == "MD")
            {
                k -= 1;
                guard += 1;
            } else {
                break;
            }
        }
        let subj = (k > a).then(|| k - 1);
        let sp = hs(self.pos_at(subj));
        let sshape = subj.map_or(0, |s| self.shape(s));
        out.push(feat(23, sp));
        out.push(feat2(24, sp, stem));
        out.push(feat(25, sshape));
        out.push(feat2(26, sshape, stem));
        out.push(feat(27, (k - a).min(6) as u64));
        // What follows: "that", "to", a quote, a colon, a comma, "by", "of".
        let mut that_after = false;
        for k in i + 1..b.min(i + 8) {
            let t = &self.toks[k];
            if t.kind == TokenKind::Punct && matches!(self.word(k), "." | ";" | "!" | "?") {
                break;
            }
            if self.word(k).eq_ignore_ascii_case("that") {
                that_after = true;
                break;
            }
        }
        if that_after {
            out.push(feat(28, 1));
            out.push(feat2(29, stem, 1));
        }
        let next_shape = at(1).map_or(0, |k| self.shape(k));
        out.push(feat(30, next_shape));
        out.push(feat2(31, stem, next_shape));
        // Quote marks around: a closing one just before ("…,” she said), an
        // opening one after, the sentence having any.
        let q_before = (i.saturating_sub(3).max(a)..i).any(|k| self.is_quote_mark(k));
        let q_after = (i + 1..b.min(i + 8)).any(|k| self.is_quote_mark(k));
        let q_sent = (a..b).any(|k| self.in_quote.get(k).copied().unwrap_or(0) != 0);
        let qf = (q_before as u64) | (q_after as u64) << 1 | (q_sent as u64) << 2;
        out.push(feat(32, qf));
        out.push(feat2(33, qf, stem));
        // Position: first word, last word before final punctuation.
        let last = at(1).is_none_or(|k| matches!(self.word(k), "." | "!" | "?"));
        out.push(feat(34, (i == a) as u64 | (last as u64) << 1));
        // Suffix and capitalisation.
        let suf = lower.chars().rev().take(3).fold(Fh::default(), Fh::ch);
        out.push(feat(35, suf.0));
        out.push(feat(36, self.shape(i)));
        out.push(feat2(37, p, sp));
        {
            // Before the subject: a comma or closing quote (", X said").
            let before_subj = subj.and_then(|s| (s > a).then(|| s - 1));
            let bs = before_subj.map_or(0, |k| self.shape(k));
            out.push(feat2(50, bs, sshape));
            out.push(feat3(51, bs, sshape, stem));
            // Verbs before it in the sentence.
            let nv = (a..i)
                .filter(|&k| self.pos.get(k).is_some_and(|p| p.starts_with("VB")))
                .count()
                .min(3) as u64;
            out.push(feat(52, nv));
            out.push(feat2(53, nv, p));
            out.push(feat2(54, wm1, p));
            let wm2 = wh(at(-2));
            out.push(feat3(55, wm2, wm1, stem));
        }
        {
            // A plain reporting verb near it: the candidate is then likely
            // inside that verb's content ("said he realized"), or its
            // content precedes it.
            let (mut before, mut after) = (0u64, 0u64);
            for k in (i.saturating_sub(12).max(a)..i).rev() {
                if self.is_strong(k) {
                    before = 1 + (i - k).min(6) as u64;
                    break;
                }
            }
            for k in i + 1..b.min(i + 12) {
                if self.is_strong(k) {
                    after = 1 + (k - i).min(6) as u64;
                    break;
                }
            }
            out.push(feat2(56, before, after));
            out.push(feat3(57, before, after, stem));
            out.push(feat3(58, before.min(2), p, sp));
            out.push(feat3(59, after.min(2), p, qf));
        }
        if groups & F_FRAME != 0 {
            // Light-verb frames ("took heat for", "made clear that") and
            // what the word takes: a complementizer, a wh-word, "to", a
            // preposition, within the clause.
            out.push(feat3(60, stem, wp1, wp2));
            out.push(feat3(61, wm1, stem, wp1));
            let mut comp = 0u64;
            for k in i + 1..b.min(i + 5) {
                if self.toks[k].kind != TokenKind::Word {
                    break;
                }
                let w = self.word(k);
                if let Some(c) = COMPLEMENTS.iter().position(|c| w.eq_ignore_ascii_case(c)) {
                    comp = 1 + c as u64;
                    break;
                }
            }
            out.push(feat2(62, comp, stem));
            out.push(feat2(63, comp, p));
        }
        if groups & F_COPULA != 0 {
            // "was sure", "is confident", "remains opposed to": a copula
            // before the word (past adverbs), with what follows it.
            let mut k = i;
            while k > a && self.pos.get(k - 1).is_some_and(|p| p.starts_with("RB")) {
                k -= 1;
            }
            let cop = (k > a && super::is_one_of(self.word(k - 1), COPULAS)) as u64;
            out.push(feat2(64, cop, p));
            out.push(feat3(65, cop, stem, next_shape));
            out.push(feat3(66, cop, p, next_shape));
        }
    }

    /// Whether token k is a plain reporting verb (the POS check first: it
    /// rules out most tokens without comparing strings).
    fn is_strong(&self, k: usize) -> bool {
        self.pos.get(k).is_some_and(|p| p.starts_with('V'))
            && self.toks[k].kind == TokenKind::Word
            && super::is_one_of(self.word(k), STRONG)
    }

    fn is_quote_mark(&self, k: usize) -> bool {
        let t = &self.toks[k];
        t.kind == TokenKind::Quote && {
            // Not an apostrophe between letters.
            let glued_l = k > 0 && self.toks[k - 1].end == t.start;
            let glued_r = k + 1 < self.toks.len() && self.toks[k + 1].start == t.end;
            !(glued_l && glued_r)
        }
    }

    /// A coarse class of token k: pronoun, capitalised, lower, number,
    /// punctuation kinds, quote.
    fn shape(&self, k: usize) -> u64 {
        let t = &self.toks[k];
        let w = self.word(k);
        match t.kind {
            TokenKind::Quote => 2,
            TokenKind::Number => 3,
            TokenKind::Word => {
                if super::is_one_of(w, &["he", "she", "they", "it", "we", "i", "you", "who"]) {
                    4
                } else if w.eq_ignore_ascii_case("that") {
                    5
                } else if w.eq_ignore_ascii_case("to") {
                    6
                } else if super::is_one_of(w, &["about", "of", "on", "for", "over"]) {
                    7
                } else if w.eq_ignore_ascii_case("by") {
                    8
                } else if w.chars().next().is_some_and(char::is_uppercase) {
                    9
                } else {
                    10
                }
            }
            _ => match w {
                "," => 11,
                ":" => 12,
                "." | "!" | "?" => 13,
                "—" | "–" | "-" | "--" => 14,
                _ => 15,
            },
        }
    }
}

/// Token → 1 + index of the quote region it is in, or 0.
pub fn quote_map(text: &str, an: &crate::text::Analysis) -> Vec<u32> {
    let quotes = super::quotes::find(text, &an.paragraphs);
    let mut tok_quote = vec![0u32; an.tokens.len()];
    let mut qi = 0;
    for (i, t) in an.tokens.iter().enumerate() {
        while qi < quotes.len() && quotes[qi].end <= t.start {
            qi += 1;
        }
        if qi < quotes.len() && quotes[qi].start <= t.start && t.end <= quotes[qi].end {
            tok_quote[i] = qi as u32 + 1;
        }
    }
    tok_quote
}

/// How to train the tagger.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// First-pass epochs (per seed).
    pub epochs: usize,
    /// Extra first-pass feature groups (`F_*`).
    pub groups: u32,
    /// Second-pass epochs (0: no second pass).
    pub stack_epochs: usize,
    /// Second-pass feature groups (`S_*`).
    pub stack_groups: u32,
    /// Weights under this share of the largest are dropped (0.02).
    pub prune: f32,
}

/// One training candidate: its token, unit, feature range in its
/// document's flat buffer, and label.
struct Cand {
    i: usize,
    unit: (usize, usize),
    f: (usize, usize),
    y: usize,
}

/// A training document's analysis, tags and candidates.
struct DocData {
    toks: Vec<Token>,
    pos: Vec<&'static str>,
    in_quote: Vec<u32>,
    stems: Vec<u64>,
    cands: Vec<Cand>,
    flat: Vec<u64>,
}

/// Three averaged perceptrons over different shuffles, averaged: steadier
/// margins than one (+0.3 cue F1 on a held-out sixth of train). Weights
/// under `prune` (2%) of the largest are dropped: the averaged model's union of keys
/// shrinks from 4.2 to 2.9 MB (faster to load) at the same held-out F1.
fn fit(examples: &[(&[u64], usize)], epochs: usize, prune: f32, mut on_epoch: impl FnMut(usize, &Trainer)) -> LinearData {
    const SEEDS: [u64; 3] = [0x5eed_c0e5, 0x5eed_c0e6, 0x5eed_c0e7];
    let mut parts = Vec::new();
    for (si, &seed) in SEEDS.iter().enumerate() {
        let mut tr = Trainer::new(vec!["O".into(), "CUE".into()]);
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = Rng::new(seed);
        let mut sc = [0f32; 2];
        for ep in 0..epochs {
            rng.shuffle(&mut order);
            for &k in &order {
                let (f, y) = examples[k];
                tr.scores(f, &mut sc);
                let guess = (sc[1] > sc[0]) as usize;
                tr.update(f, y, guess);
                tr.now += 1;
            }
            if si == 0 {
                on_epoch(ep + 1, &tr);
            }
        }
        parts.push(tr.export(0.0));
    }
    crate::nlp::linear::average(&parts.iter().collect::<Vec<_>>(), prune)
}

/// Trains the tagger on gold documents: every candidate token, labelled by
/// whether it lies inside a gold cue. Lexicon features come from lexicons
/// learned on the other folds (as noisy as on unseen text). With a second
/// pass, its training margins are out-of-fold: the first pass trained on
/// four of five folds scores the fifth, so that the second pass learns from
/// margins as wrong as on unseen text. Deterministic: seeded shuffles.
pub fn train(
    docs: &[GoldDocument],
    models: &crate::nlp::Models,
    opt: &TrainOptions,
    on_epoch: impl FnMut(usize, &Trainer),
) -> crate::Result<Vec<u8>> {
    const FOLDS: usize = 5;
    let fold_lex = super::lexicon::fold_lexicons(docs, FOLDS, 2);
    let mut data: Vec<DocData> = Vec::with_capacity(docs.len());
    let mut lower = String::new();
    let mut fv = Vec::new();
    let mut pair = String::new();
    for (di, d) in docs.iter().enumerate() {
        let text = d.text.as_str();
        let an = analyze(text);
        let pos = models
            .tag_pos(text, &an)
            .unwrap_or_else(|| vec!["XX"; an.tokens.len()]);
        let in_quote = quote_map(text, &an);
        let inp = Input {
            text,
            toks: &an.tokens,
            pos: &pos,
            in_quote: &in_quote,
            lex: &fold_lex[di % FOLDS],
        };
        let units = super::units(text, &an);
        let mut dd = DocData {
            toks: Vec::new(),
            pos: Vec::new(),
            in_quote: Vec::new(),
            stems: vec![0; an.tokens.len()],
            cands: Vec::new(),
            flat: Vec::new(),
        };
        for &(_, (a, b)) in &units {
            for i in a..b {
                lower.clear();
                lower.extend(an.tokens[i].text(text).chars().flat_map(char::to_lowercase));
                if !inp.is_candidate(i, &lower) {
                    continue;
                }
                let t = &an.tokens[i];
                let y = d.cues.iter().any(|c| c.start <= t.start && t.end <= c.end) as usize;
                inp.features_with(opt.groups, (a, b), i, &lower, &mut pair, &mut fv);
                let f0 = dd.flat.len();
                dd.flat.extend_from_slice(&fv);
                dd.stems[i] = hs(crude_lemma(&lower));
                dd.cands.push(Cand { i, unit: (a, b), f: (f0, dd.flat.len()), y });
            }
        }
        dd.toks = an.tokens;
        dd.pos = pos;
        dd.in_quote = in_quote;
        data.push(dd);
    }
    let examples = |keep: &dyn Fn(usize) -> bool| -> Vec<(&[u64], usize)> {
        data.iter()
            .enumerate()
            .filter(|(di, _)| keep(*di))
            .flat_map(|(_, dd)| dd.cands.iter().map(|c| (&dd.flat[c.f.0..c.f.1], c.y)))
            .collect()
    };
    let linear = fit(&examples(&|_| true), opt.epochs, opt.prune, on_epoch);
    let mut stack = None;
    if opt.stack_epochs > 0 {
        // Out-of-fold first-pass margins of every candidate.
        let mut oof: Vec<Vec<f32>> =
            data.iter().map(|dd| vec![f32::NEG_INFINITY; dd.toks.len()]).collect();
        for k in 0..FOLDS {
            let head = Head::new("fold", fit(&examples(&|di| di % FOLDS != k), opt.epochs, opt.prune, |_, _| {}))?;
            for (di, dd) in data.iter().enumerate().filter(|(di, _)| di % FOLDS == k) {
                for c in &dd.cands {
                    oof[di][c.i] = head.score(&dd.flat[c.f.0..c.f.1]);
                }
            }
        }
        let mut sflat: Vec<Vec<u64>> = Vec::with_capacity(data.len());
        let mut sx: Vec<(usize, (usize, usize), usize)> = Vec::new();
        for (di, (dd, d)) in data.iter().zip(docs).enumerate() {
            let inp = Input {
                text: d.text.as_str(),
                toks: &dd.toks,
                pos: &dd.pos,
                in_quote: &dd.in_quote,
                lex: &fold_lex[di % FOLDS],
            };
            let best = StemBest::new(&oof[di], &dd.stems);
            let mut flat = Vec::new();
            for c in &dd.cands {
                inp.stack_features(
                    opt.stack_groups,
                    c.unit,
                    c.i,
                    &oof[di],
                    &dd.stems,
                    &best,
                    &dd.flat[c.f.0..c.f.1],
                    &mut fv,
                );
                let f0 = flat.len();
                flat.extend_from_slice(&fv);
                sx.push((di, (f0, flat.len()), c.y));
            }
            sflat.push(flat);
        }
        let sex: Vec<(&[u64], usize)> =
            sx.iter().map(|&(di, (f0, f1), y)| (&sflat[di][f0..f1], y)).collect();
        stack = Some(StackData {
            linear: fit(&sex, opt.stack_epochs, opt.prune, |_, _| {}),
            epochs: opt.stack_epochs as u32,
            groups: opt.stack_groups,
        });
    }
    let data = CueTaggerData {
        linear,
        epochs: opt.epochs as u32,
        documents: docs.len() as u32,
        groups: opt.groups,
        stack,
    };
    format::encode(KIND_CUE, &data)
}

/// Exports a trainer's current averaged weights as a first-pass tagger
/// reading the extra feature groups `groups` (for held-out checks).
pub fn snapshot(tr: &Trainer, groups: u32) -> crate::Result<CueTagger> {
    let data = CueTaggerData { linear: tr.export(0.0), epochs: 0, documents: 0, groups, stack: None };
    CueTagger::from_bytes("snapshot", &format::encode(KIND_CUE, &data)?)
}

/// The first candidate with the highest first-pass score in `range` (words
/// that are not candidates score non-finite and are skipped).
fn best_scored(s: &[f32], range: std::ops::Range<usize>) -> Option<usize> {
    let mut best: Option<usize> = None;
    for k in range {
        if s[k].is_finite() && best.is_none_or(|j| s[k] > s[j]) {
            best = Some(k);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A linear model with one CUE weight per key (class `O` left at 0).
    fn lin(entries: &[(u64, i16)]) -> LinearData {
        let mut e = entries.to_vec();
        e.sort_unstable();
        LinearData {
            classes: vec!["O".into(), "CUE".into()],
            scale: 1.0,
            keys: e.iter().map(|x| x.0).collect(),
            row_len: vec![1; e.len()],
            cls: vec![1; e.len()],
            w: e.iter().map(|x| x.1).collect(),
        }
    }

    /// The second pass turns down a verb inside another cue's "that"
    /// clause that the first pass alone would take as a cue.
    #[test]
    fn second_pass_rejects_verb_inside_reported_clause() {
        let text = "Officials said that the plan would fail.";
        let an = analyze(text);
        let pos: Vec<&'static str> = vec!["NNS", "VBD", "IN", "DT", "NN", "MD", "VB", "."];
        assert_eq!(an.tokens.len(), pos.len());
        let in_quote = vec![0u32; pos.len()];
        let lex = Lexicon::parse("");
        let inp = Input { text, toks: &an.tokens, pos: &pos, in_quote: &in_quote, lex: &lex };
        let units = super::super::units(text, &an);
        // First pass: every candidate scores 10. Second pass: a small
        // bias, minus 20 after a confident earlier cue followed by "that".
        let first = lin(&[(feat(0, 0), 10)]);
        let stack = lin(&[(feat(99, 0), 1), (feat3(112, coarse(10.0), 1, coarse(10.0)), -20)]);
        let data = CueTaggerData {
            linear: first,
            epochs: 0,
            documents: 0,
            groups: 0,
            stack: Some(StackData { linear: stack, epochs: 0, groups: S_GOV }),
        };
        let tagger = CueTagger::from_bytes("test", &format::encode(KIND_CUE, &data).unwrap()).unwrap();
        let (mut one, mut two) = (Vec::new(), Vec::new());
        tagger.first_pass_only().score_document(&inp, &units, &mut one);
        tagger.score_document(&inp, &units, &mut two);
        let th = -4.0;
        // "said" (1) is a cue either way; "fail" (6) only without the second pass.
        assert!(one[1] > th && two[1] > th, "{one:?} {two:?}");
        assert!(one[6] > th && two[6] < th, "{one:?} {two:?}");
        // Not candidates: the noun, the modal, the full stop.
        assert!(two[0].is_infinite() && two[5].is_infinite() && two[7].is_infinite());
    }

    /// The same stem's best margin elsewhere in the document.
    #[test]
    fn stem_best_excludes_the_word_itself() {
        let first = [3.0, f32::NEG_INFINITY, -2.0, 7.0];
        let stems = [1, 0, 1, 2];
        let b = StemBest::new(&first, &stems);
        assert_eq!(b.other(1, 0), -2.0);
        assert_eq!(b.other(1, 2), 3.0);
        assert!(b.other(2, 3).is_infinite());
        assert!(b.other(9, 1).is_infinite());
    }

    /// Junk, an unbalanced quote and emoji: margins for every token, no panic.
    #[test]
    fn scores_any_text() {
        let Some(t) = CueTagger::bundled() else { return };
        for text in ["", "“ 😀 said \u{202e}x", "He said: “yes", "\u{0301}\u{0301} told"] {
            let an = analyze(text);
            let pos = vec!["VBD"; an.tokens.len()];
            let in_quote = vec![0u32; an.tokens.len()];
            let lex = Lexicon::parse("");
            let inp = Input { text, toks: &an.tokens, pos: &pos, in_quote: &in_quote, lex: &lex };
            let units = super::super::units(text, &an);
            let mut out = Vec::new();
            t.score_document(&inp, &units, &mut out);
            assert_eq!(out.len(), an.tokens.len());
        }
    }
}
