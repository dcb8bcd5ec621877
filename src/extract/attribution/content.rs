//! Where a content ends: a learned ranker over the token boundaries after a
//! content's first token. Rules find where a statement's content starts
//! (after the cue, "that", a quote mark); where it stops is the commonest
//! error of the reader (a clause that runs on past ", which …", "… and
//! …", "…,” he said"), and the cues for it are many and weak, so an
//! averaged perceptron weighs them: for every candidate end (a boundary
//! before a word, a comma, a dash, a conjunction, the sentence end) the
//! words and POS tags on both sides, whether a quote is cut, the length,
//! and whether the rules would end there. The best-scoring candidate wins.
//! Trained by `newsgraph train content` on PolNeAR train's Content spans
//! (the gold start given, the gold end the target); the model is a `CEND`
//! model file.

use super::brat::GoldDocument;
use super::Ctx;
use crate::nlp::format;
use crate::nlp::hash::{feat, feat2, feat3, Fh, Rng};
use crate::nlp::linear::{Linear, LinearData, Trainer};
use crate::text::{analyze, TokenKind};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

pub const KIND_END: &[u8; 4] = b"CEND";

static END_BIN: &[u8] = include_bytes!("../../../data/attribution/content_end.bin");

/// How many tokens after its start a content's end is looked for.
pub(super) const MAX_CONTENT: usize = 160;

/// The stored model: linear weights over classes `NO` and `END` (or
/// `START` for the start model of `content_start.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndModelData {
    pub linear: LinearData,
    pub epochs: u32,
    pub documents: u32,
}

/// A candidate ranker: the score of a candidate is its positive class's
/// score minus `NO`'s. The content-end and content-start models are both.
#[derive(Debug)]
pub struct EndModel {
    lin: Linear,
    end: usize,
    scale: f32,
}

impl EndModel {
    pub fn from_bytes(name: &str, bytes: &[u8]) -> crate::Result<EndModel> {
        Self::from_bytes_as(name, KIND_END, "END", bytes)
    }

    pub(super) fn from_bytes_as(name: &str, kind: &[u8; 4], class: &str, bytes: &[u8]) -> crate::Result<EndModel> {
        let d: EndModelData = format::decode(name, kind, bytes)?;
        let bad = |message: String| crate::error::Error::BadModel {
            path: name.into(),
            message,
        };
        if d.linear.classes.len() != 2 {
            return Err(bad("expected two classes".into()));
        }
        let end = d
            .linear
            .classes
            .iter()
            .position(|c| c == class)
            .ok_or_else(|| bad(format!("no {class} class")))?;
        let scale = d.linear.scale;
        let lin = Linear::from_data(d.linear).map_err(bad)?;
        Ok(EndModel { lin, end, scale })
    }

    /// The model shipped in the binary (None when the file is empty or bad:
    /// the rules decide alone then).
    pub fn bundled() -> Option<&'static EndModel> {
        static M: LazyLock<Option<EndModel>> = LazyLock::new(|| {
            (!END_BIN.is_empty())
                .then(|| EndModel::from_bytes("data/attribution/content_end.bin", END_BIN).ok())
                .flatten()
        });
        M.as_ref()
    }

    pub(super) fn score(&self, feats: &[u64]) -> f32 {
        let mut s = [0i32; 256];
        self.score_in(feats, &mut s)
    }

    /// [`EndModel::score`] with a caller's score row (only its first stride
    /// entries are cleared: no 1 KB clear per candidate).
    pub(super) fn score_in(&self, feats: &[u64], s: &mut [i32; 256]) -> f32 {
        s[..self.lin.stride()].fill(0);
        self.lin.add_scores_256(feats, s);
        (s[self.end] - s[1 - self.end]) as f32 * self.scale
    }
}

/// The content models in use: the bundled ones, or (training and held-out
/// scoring) models set for this thread by [`with_models`].
#[derive(Debug, Default)]
pub struct ContentModels {
    pub end: Option<EndModel>,
    pub start: Option<EndModel>,
}

thread_local! {
    static ACTIVE: std::cell::Cell<Option<&'static ContentModels>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with `m` as this thread's content models instead of the bundled
/// ones (`m` is leaked: training sets a handful of models per run).
pub fn with_models<R>(m: ContentModels, f: impl FnOnce() -> R) -> R {
    let m: &'static ContentModels = Box::leak(Box::new(m));
    let prev = ACTIVE.with(|a| a.replace(Some(m)));
    let r = f();
    ACTIVE.with(|a| a.set(prev));
    r
}

/// The end and start models `right_content` uses.
pub(super) fn active() -> (Option<&'static EndModel>, Option<&'static EndModel>) {
    match ACTIVE.with(|a| a.get()) {
        Some(m) => (m.end.as_ref(), m.start.as_ref()),
        None => (EndModel::bundled(), super::content_start::bundled()),
    }
}

/// What training records of the reader's contents (see `extract_traced`).
#[derive(Debug, Default)]
pub(crate) struct Trace {
    /// (first token after the cue, the rules' start, unit end, cue token).
    pub starts: Vec<(usize, usize, usize, usize)>,
    /// (start, unit end, cue token) of contents whose end is looked for.
    pub ends: Vec<(usize, usize, usize)>,
}

pub(super) fn lower_hash(s: &str) -> u64 {
    let mut h = Fh::default();
    for c in s.chars().flat_map(char::to_lowercase) {
        h = h.ch(c);
    }
    h.0
}

/// A coarse class of token k (None: past the sentence).
pub(super) fn shape(cx: &Ctx, k: Option<usize>) -> u64 {
    let Some(k) = k else { return 1 };
    let w = cx.word(k);
    match cx.toks[k].kind {
        TokenKind::Quote => {
            if cx.opens_quote(k).is_some() {
                2
            } else if cx.closes_quote(k).is_some() {
                3
            } else {
                4
            }
        }
        TokenKind::Number => 5,
        TokenKind::Word => {
            if w.chars().next().is_some_and(char::is_uppercase) {
                6
            } else {
                7
            }
        }
        TokenKind::Punct => match w {
            "," => 8,
            ":" => 9,
            "." | "!" | "?" => 10,
            ";" => 11,
            "—" | "–" | "-" | "--" => 12,
            "(" => 13,
            ")" => 14,
            _ => 15,
        },
        _ => 16,
    }
}

pub(super) fn pos_hash(cx: &Ctx, k: Option<usize>) -> u64 {
    match k {
        None => 1,
        Some(k) => Fh::default()
            .str(cx.pos.and_then(|p| p.get(k).copied()).unwrap_or("XX"))
            .0,
    }
}

pub(super) fn bucket(n: usize) -> u64 {
    (usize::BITS - n.leading_zeros()) as u64
}

/// Whether a content `r..e` may end there: never on an opening quote mark
/// nor on punctuation outside a quote (a closing quote, a word, a number
/// or a bracket may end it).
pub(super) fn is_candidate(cx: &Ctx, r: usize, e: usize) -> bool {
    if e <= r || e > cx.toks.len() {
        return false;
    }
    let l = e - 1;
    let last_ok = match cx.toks[l].kind {
        TokenKind::Punct => cx.word(l) == ")" || cx.word(l) == "%",
        TokenKind::Quote => return cx.opens_quote(l).is_none(),
        _ => true,
    };
    // A content ends before punctuation, a quote mark or a word that can
    // open a phrase of its own (a conjunction, preposition, determiner,
    // wh-word, adverb, participle), never inside a noun or verb group: this
    // keeps the candidates few (they are scored per content).
    last_ok
        && (e >= cx.toks.len()
            || !matches!(cx.toks[e].kind, TokenKind::Word | TokenKind::Number)
            || cx.pos.and_then(|p| p.get(e)).is_none_or(|p| {
                matches!(
                    *p,
                    "CC" | "IN" | "TO" | "DT" | "WDT" | "WP" | "WP$" | "WRB" | "VBG" | "VBN" | "RB" | "RBR" | "RP" | "PRP" | "JJR"
                )
            }))
}

/// What the features of one content's candidates are read from, computed
/// once per content: per-token hashes and shapes, and running counts, so
/// that each candidate costs a few hash mixes and no scans.
pub(super) struct Prep {
    r: usize,
    b: usize,
    w: Vec<u64>,
    s: Vec<u64>,
    p: Vec<u64>,
    /// A reporting verb (QUOTE_VERBS) at this token.
    report: Vec<bool>,
    /// Commas in r..k, at most 3.
    commas: Vec<u8>,
    /// A finite verb in r..k.
    verb: Vec<bool>,
    /// The last word or number of the unit (None: none after r).
    last_word: Option<usize>,
    first: u64,
    cue_w: u64,
}

impl Prep {
    /// Covers candidates up to `hi` and the rule end `h` (and four tokens past them).
    pub(super) fn new(cx: &Ctx, r: usize, b: usize, hi: usize, h: usize) -> Prep {
        let lim = b.min(hi.max(h) + 4).max(r + 1);
        let n = lim - r;
        let mut p = Prep {
            r,
            b,
            w: Vec::with_capacity(n),
            s: Vec::with_capacity(n),
            p: Vec::with_capacity(n),
            report: Vec::with_capacity(n),
            commas: Vec::with_capacity(n + 1),
            verb: Vec::with_capacity(n + 1),
            last_word: (r..b).rev().find(|&k| matches!(cx.kind(k), Some(TokenKind::Word | TokenKind::Number))),
            first: lower_hash(cx.word(r)),
            // The cue's first word: "said" takes a clause to the sentence end,
            // "agreed" or "called" a short phrase.
            cue_w: cx.toks.get(cx.cue_at.get()).map_or(1, |_| lower_hash(cx.word(cx.cue_at.get()))),
        };
        let (mut c, mut v) = (0u8, false);
        p.commas.push(0);
        p.verb.push(false);
        for k in r..lim {
            p.w.push(lower_hash(cx.word(k)));
            p.s.push(shape(cx, Some(k)));
            p.p.push(pos_hash(cx, Some(k)));
            p.report.push(cx.in_list(k, super::QUOTE_VERBS));
            c = (c + cx.punct(k, ",") as u8).min(3);
            v = v || cx.pos.is_some_and(|ps| ps.get(k).is_some_and(|t| matches!(*t, "VBD" | "VBZ" | "VBP" | "MD")));
            p.commas.push(c);
            p.verb.push(v);
        }
        p
    }
    fn at(&self, k: usize) -> Option<usize> {
        (k < self.b && k - self.r < self.w.len()).then_some(k - self.r)
    }
    fn w(&self, k: usize) -> u64 {
        self.at(k).map_or(1, |i| self.w[i])
    }
    fn s(&self, k: usize) -> u64 {
        self.at(k).map_or(1, |i| self.s[i])
    }
    fn p(&self, k: usize) -> u64 {
        self.at(k).map_or(1, |i| self.p[i])
    }
}

/// The features of ending content `r..` at `e` (exclusive) in a unit that
/// ends at `b`, where the rules would end it at `h`.
pub(super) fn features(cx: &Ctx, pr: &Prep, e: usize, h: usize, out: &mut Vec<u64>) {
    out.clear();
    let (r, b) = (pr.r, pr.b);
    // Only punctuation and quote marks until the unit ends.
    let tail = pr.last_word.is_none_or(|l| l < e);
    let is_h = e == h;
    let (wn, wn2, wl) = (pr.w(e), pr.w(e + 1), pr.w(e - 1));
    let (sn, sn2, sl) = (pr.s(e), pr.s(e + 1), pr.s(e - 1));
    let (pn, pn2, pl) = (pr.p(e), pr.p(e + 1), pr.p(e - 1));
    let rel = if e < h { 0 } else if e == h { 1 } else { 2 };
    let gap = bucket(e.abs_diff(h));
    // Cutting inside a quote region.
    let cuts_quote = e < b && cx.tok_quote[e] != 0 && cx.tok_quote[e] == cx.tok_quote[e - 1];
    let commas = pr.commas[(e - r).min(pr.commas.len() - 1)] as u64;
    let verb = pr.verb[(e - r).min(pr.verb.len() - 1)];
    let (first, cue_w) = (pr.first, pr.cue_w);
    let sn3 = pr.s(e + 2);
    out.push(feat(0, 0));
    out.push(feat(1, is_h as u64));
    out.push(feat(2, tail as u64));
    out.push(feat2(3, tail as u64, is_h as u64));
    out.push(feat(4, wn));
    out.push(feat(5, sn));
    out.push(feat(6, pn));
    out.push(feat(7, wn2));
    out.push(feat2(8, wn, wn2));
    out.push(feat(9, wl));
    out.push(feat(10, sl));
    out.push(feat(11, pl));
    out.push(feat2(12, pl, pn));
    out.push(feat2(13, sn, sn2));
    out.push(feat2(14, wn, sn2));
    out.push(feat2(15, wn, pn2));
    out.push(feat(16, cuts_quote as u64));
    out.push(feat2(17, cuts_quote as u64, sn));
    out.push(feat(18, bucket(e - r)));
    out.push(feat2(19, bucket(e - r), sn));
    out.push(feat(20, bucket(b.saturating_sub(e))));
    out.push(feat2(21, first, sn));
    out.push(feat2(22, first, wn));
    out.push(feat2(23, verb as u64, wn));
    out.push(feat2(24, verb as u64, sn));
    out.push(feat2(25, commas, sn));
    out.push(feat2(26, commas, wn));
    out.push(feat2(27, rel, gap));
    out.push(feat3(28, rel, sn, sn2));
    out.push(feat2(29, sl, sn));
    out.push(feat3(30, sl, wn, sn2));
    out.push(feat3(31, pn, pn2, sn));
    out.push(feat2(32, cue_w, sn));
    out.push(feat2(33, cue_w, wn));
    out.push(feat2(34, cue_w, tail as u64));
    out.push(feat3(35, cue_w, verb as u64, sn));
    out.push(feat2(36, cue_w, bucket(e - r)));
    // "…,” Trump said", "…, he said": a reporting insertion after the cut.
    out.push(feat3(37, sl, sn, sn2));
    out.push(feat3(38, sn, sn2, sn3));
    out.push(feat3(39, pn, pn2, pr.p(e + 2)));
    // A reporting verb just after the cut ("…, he said, and …", "… Trump
    // said"): the reporter's insertion, where a content stops.
    let report = (e..b.min(e + 4)).find(|&k| pr.at(k).is_some_and(|i| pr.report[i]));
    out.push(feat2(40, report.map_or(0, |k| (k - e + 1) as u64), sl));
    out.push(feat3(41, report.is_some() as u64, sn, cuts_quote as u64));
    out.push(feat2(42, pr.w(e + 2), wn2));
}

/// The end the model prefers for content starting at `r` in a unit ending
/// at `b`; `h` is the rules' end (kept on ties).
pub(super) fn choose_end(cx: &Ctx, m: &EndModel, r: usize, b: usize, h: usize) -> usize {
    let mut fv = Vec::with_capacity(48);
    let mut row = [0i32; 256];
    let hi = b.min(r + MAX_CONTENT);
    let pr = Prep::new(cx, r, b, hi, h);
    features(cx, &pr, h, h, &mut fv);
    let mut best = (m.score_in(&fv, &mut row), h);
    for e in r + 1..=hi {
        if e == h || !is_candidate(cx, r, e) {
            continue;
        }
        features(cx, &pr, e, h, &mut fv);
        let s = m.score_in(&fv, &mut row);
        if s > best.0 {
            best = (s, e);
        }
    }
    best.1
}

/// One training instance: the candidates' features and which one is gold.
struct Instance {
    cands: Vec<Vec<u64>>,
    gold: usize,
    /// The index of the rules' choice among the candidates.
    rules: usize,
}

/// A training document, analysed and POS-tagged once.
struct Prepared<'d> {
    d: &'d GoldDocument,
    an: crate::text::Analysis,
    pos: Option<Vec<&'static str>>,
}

fn prepare<'d>(docs: &'d [GoldDocument], models: &crate::nlp::Models) -> Vec<Prepared<'d>> {
    docs.iter()
        .map(|d| {
            let an = analyze(&d.text);
            let pos = models.tag_pos(&d.text, &an);
            Prepared { d, an, pos }
        })
        .collect()
}

/// Runs the reader (bundled cue models, this thread's content models) and
/// returns where it read contents.
fn run_traced(p: &Prepared) -> Trace {
    let doc = crate::text::Document::plain(p.d.name.clone(), p.d.text.clone());
    let trace = std::cell::RefCell::new(Trace::default());
    let mut ex = crate::extract::Extraction::default();
    super::extract_traced(
        &doc,
        &p.an,
        p.pos.as_deref(),
        None,
        &mut ex,
        super::Lexicon::bundled(),
        super::classifier::CueModel::bundled(),
        super::tagger::CueTagger::bundled(),
        &super::Config::default(),
        Some(&trace),
    );
    let mut t = trace.into_inner();
    t.starts.sort_unstable();
    t.starts.dedup();
    t.ends.sort_unstable();
    t.ends.dedup();
    t
}

/// The start model's instances of one document: every content the reader
/// reads after a cue that is a gold cue whose content starts within the
/// candidate window; the target is the gold start.
fn start_instances(p: &Prepared, tr: &Trace, out: &mut Vec<Instance>) {
    use super::content_start as cs;
    let (d, toks) = (p.d, &p.an.tokens);
    let cx = Ctx::new(&d.text, &p.an, p.pos.as_deref(), false);
    let mut fv = Vec::new();
    for &(r0, rr, b, cue) in &tr.starts {
        let Some(ct) = toks.get(cue) else { continue };
        if rr < r0 || r0 >= toks.len() {
            continue;
        }
        let g = d
            .attributions
            .iter()
            .filter(|g| g.cue.start <= ct.start && ct.start < g.cue.end && g.content.start >= toks[r0].start)
            .min_by_key(|g| g.content.start);
        let Some(g) = g else { continue };
        let gk = toks.partition_point(|t| t.start < g.content.start);
        if toks.get(gk).is_none_or(|t| t.start != g.content.start) {
            continue;
        }
        let hi = cs::window(&cx, r0, b);
        if gk != rr && !(gk < hi && cs::is_candidate(&cx, gk)) {
            continue;
        }
        cx.cue_at.set(cue);
        let pr = cs::Prep::new(&cx, r0, hi.max(rr + 1));
        let mut cands = Vec::new();
        let (mut gold, mut rules) = (0, 0);
        for k in (r0..hi).filter(|&k| k != rr && cs::is_candidate(&cx, k)).chain(std::iter::once(rr)) {
            cs::features(&pr, k, rr, &mut fv);
            if k == gk {
                gold = cands.len();
            }
            if k == rr {
                rules = cands.len();
            }
            cands.push(fv.clone());
        }
        out.push(Instance { cands, gold, rules });
    }
}

/// Builds the end model's instances of one document. The starts are the
/// reader's own (every content it reads after a cue, with the bundled cue
/// models and this thread's start model): where one is a gold content's
/// start, the target is that content's end; where it is not but the rules'
/// span overlaps a gold content, the target is the rules' end (a reading
/// that started wrong should not be cut short of the claim it reaches);
/// spans overlapping no gold content teach nothing. Gold contents after
/// their cue that the reader did not reach are added with their gold start.
fn end_instances(p: &Prepared, tr: &Trace, out: &mut Vec<Instance>) {
    let (d, an) = (p.d, &p.an);
    let text = d.text.as_str();
    let mut starts = tr.ends.clone();
    let cx = Ctx::new(text, an, p.pos.as_deref(), false);
    let units = super::units(text, an);
    let toks = &an.tokens;
    let tok_end = |end: usize| toks.iter().position(|t| t.end == end).map(|k| k + 1);
    for g in &d.attributions {
        if g.content.start < g.cue.end {
            continue;
        }
        let Some(r) = toks.iter().position(|t| t.start == g.content.start) else { continue };
        if starts.iter().any(|&(s, _, _)| s == r) {
            continue;
        }
        let cue_tok = toks.iter().position(|t| t.start >= g.cue.start).unwrap_or(usize::MAX);
        let ui = units.partition_point(|(_, (_, ub))| *ub <= r);
        let Some(&(_, (_, ub))) = units.get(ui) else { continue };
        let b = ub.min(r + super::MAX_REACH);
        // A quote with nothing after it: the reader takes the quote whole.
        if let Some(q) = cx.opens_quote(r) {
            let mut k = r;
            while k < toks.len() && toks[k].end <= q.end {
                k += 1;
            }
            if !(k..b).any(|x| cx.kind(x) == Some(TokenKind::Word)) {
                continue;
            }
        }
        starts.push((r, b, cue_tok));
    }
    let mut fv = Vec::new();
    for (r, b, cue_tok) in starts {
        cx.cue_at.set(cue_tok);
        let h = super::rule_end(&cx, r, b);
        if h <= r {
            continue;
        }
        let span = crate::extract::ByteSpan::new(toks[r].start, toks[h - 1].end);
        let ge = if let Some(g) = d.attributions.iter().find(|g| g.content.start == toks[r].start) {
            match tok_end(g.content.end) {
                Some(ge) if ge <= b && ge <= r + MAX_CONTENT && is_candidate(&cx, r, ge) => ge,
                _ => continue,
            }
        } else if d.contents.iter().any(|c| c.overlaps(&span)) {
            h
        } else {
            continue;
        };
        let mut cands = Vec::new();
        let (mut gold, mut rules) = (None, 0);
        let pr = Prep::new(&cx, r, b, b.min(r + MAX_CONTENT), h);
        for e in r + 1..=b.min(r + MAX_CONTENT).max(h) {
            if e != h && !is_candidate(&cx, r, e) {
                continue;
            }
            features(&cx, &pr, e, h, &mut fv);
            if e == ge {
                gold = Some(cands.len());
            }
            if e == h {
                rules = cands.len();
            }
            cands.push(fv.clone());
        }
        if let Some(gold) = gold {
            out.push(Instance { cands, gold, rules });
        }
    }
}

fn train_on(inst: &[Instance], epochs: usize, class: &str, seed: u64) -> Trainer {
    let mut tr = Trainer::new(vec!["NO".into(), class.into()]);
    let mut order: Vec<usize> = (0..inst.len()).collect();
    let mut rng = Rng::new(seed);
    let mut sc = [0f32; 2];
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let x = &inst[k];
            let mut best = (f32::NEG_INFINITY, 0);
            for (i, f) in x.cands.iter().enumerate() {
                tr.scores(f, &mut sc);
                let s = sc[1] - sc[0];
                // Ties go to the rules' choice, as in `choose_end`.
                if s > best.0 || s == best.0 && i == x.rules {
                    best = (s, i);
                }
            }
            if best.1 != x.gold {
                tr.update(&x.cands[x.gold], 1, 0);
                tr.update(&x.cands[best.1], 0, 1);
            }
            tr.now += 1;
        }
    }
    tr
}

fn encode(tr: &Trainer, kind: &[u8; 4], epochs: usize, documents: usize) -> crate::Result<Vec<u8>> {
    let data = EndModelData {
        linear: tr.export(0.0),
        epochs: epochs as u32,
        documents: documents as u32,
    };
    format::encode(kind, &data)
}

/// How many held-out instances the model and the rules get right.
fn held_right(m: &EndModel, inst: &[Instance]) -> (usize, usize, usize) {
    let mut n = (inst.len(), 0, 0);
    for x in inst {
        let mut best = (m.score(&x.cands[x.rules]), x.rules);
        for (i, f) in x.cands.iter().enumerate() {
            let s = m.score(f);
            if s > best.0 {
                best = (s, i);
            }
        }
        n.1 += (best.1 == x.gold) as usize;
        n.2 += (x.rules == x.gold) as usize;
    }
    n
}

/// Trained model files.
pub struct Trained {
    pub end: Vec<u8>,
    pub start: Vec<u8>,
}

/// How the models are trained.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub end_epochs: usize,
    pub start_epochs: usize,
    /// Train a start model (else the start file is written empty and the
    /// end model learns from the rules' starts).
    pub start: bool,
}

const START_SEED: u64 = 0x5eed_57a7;
const END_SEED: u64 = 0x5eed_e0d5;

/// Trains the start model, then the end model on the starts the reader
/// makes with it (deterministic: seeded shuffles).
fn train_models(ps: &[&Prepared], o: TrainOptions) -> crate::Result<Trained> {
    let start = if o.start {
        let mut si = Vec::new();
        with_models(ContentModels::default(), || {
            for p in ps {
                start_instances(p, &run_traced(p), &mut si);
            }
        });
        encode(&train_on(&si, o.start_epochs, "START", START_SEED), super::content_start::KIND_START, o.start_epochs, ps.len())?
    } else {
        Vec::new()
    };
    let sm = (!start.is_empty())
        .then(|| super::content_start::from_bytes("start", &start))
        .transpose()?;
    let mut ei = Vec::new();
    with_models(ContentModels { end: None, start: sm }, || {
        for p in ps {
            end_instances(p, &run_traced(p), &mut ei);
        }
    });
    let end = encode(&train_on(&ei, o.end_epochs, "END", END_SEED), KIND_END, o.end_epochs, ps.len())?;
    Ok(Trained { end, start })
}

fn load(t: &Trained) -> crate::Result<ContentModels> {
    Ok(ContentModels {
        end: Some(EndModel::from_bytes("end", &t.end)?),
        start: (!t.start.is_empty()).then(|| super::content_start::from_bytes("start", &t.start)).transpose()?,
    })
}

/// Trains the content models on gold documents. With `holdout`, first
/// trains on five sixths (every sixth document held out) and reports, on
/// the held-out sixth, how many starts and ends the models and the rules
/// get right and the pipeline's scores with rules only, the end model
/// only, and both models.
pub fn train(
    docs: &[GoldDocument],
    models: &crate::nlp::Models,
    o: TrainOptions,
    holdout: bool,
) -> crate::Result<(Trained, String)> {
    use std::fmt::Write as _;
    let prepared = prepare(docs, models);
    let mut report = String::new();
    if holdout {
        let tr_p: Vec<&Prepared> = prepared.iter().enumerate().filter(|(i, _)| i % 6 != 0).map(|(_, p)| p).collect();
        let te_p: Vec<&Prepared> = prepared.iter().enumerate().filter(|(i, _)| i % 6 == 0).map(|(_, p)| p).collect();
        let t = train_models(&tr_p, o)?;
        let m = load(&t)?;
        if let Some(sm) = &m.start {
            let mut si = Vec::new();
            with_models(ContentModels::default(), || {
                for p in &te_p {
                    start_instances(p, &run_traced(p), &mut si);
                }
            });
            let (n, mr, rr) = held_right(sm, &si);
            let _ = writeln!(report, "held-out starts: {n}, model right {mr}, rules right {rr}");
        }
        let te_docs: Vec<GoldDocument> = te_p.iter().map(|p| p.d.clone()).collect();
        let score = |cm: ContentModels| {
            with_models(cm, || {
                super::eval::score(
                    &te_docs,
                    super::Lexicon::bundled(),
                    super::classifier::CueModel::bundled(),
                    super::tagger::CueTagger::bundled(),
                    &super::Config::default(),
                )
            })
        };
        let _ = writeln!(report, "held-out sixth, rules only:\n{}", score(ContentModels::default()).table());
        let end_only = ContentModels { end: m.end.as_ref().map(|_| EndModel::from_bytes("end", &t.end)).transpose()?, start: None };
        if m.start.is_some() {
            // The end model of the pair was trained on the start model's starts.
            let _ = writeln!(report, "held-out sixth, end model only:\n{}", score(end_only).table());
        }
        let _ = writeln!(report, "held-out sixth, both models:\n{}", score(m).table());
    }
    let all: Vec<&Prepared> = prepared.iter().collect();
    Ok((train_models(&all, o)?, report))
}
