//! Beam-search decoding and global (max-violation) training for the
//! arc-hybrid parser (Zhang & Clark 2008; Huang, Fayong & Guo 2012).
//!
//! Greedy parsing commits to every move; the beam keeps the `k` best move
//! sequences by summed score, so an early mistake can be outscored later.
//! The global model is trained on whole sequences: the gold sequence (static
//! oracle) against the beam's best, updated at the step where the beam's best
//! outscores the gold prefix by the most (max-violation).

use super::conllu::Tree;
use super::system::{decode_class, Move, PTok, State, NONE};
use super::{class_names, ParseScratch, Parser, ParserData};
use crate::nlp::hash::Rng;
use crate::nlp::linear::{Entry, LinearData};
use std::collections::HashMap;

/// Longest sentence (tokens with the root) parsed with a beam.
pub const MAX_BEAM_TOKENS: usize = 512;

/// One beam item: the configuration, its summed score, its moves so far and
/// whether they are the gold moves.
#[derive(Debug, Clone, Default)]
struct Item {
    st: State,
    score: f64,
    moves: Vec<u16>,
    gold: bool,
}

impl Item {
    fn copy_from(&mut self, o: &Item) {
        self.st.clone_from(&o.st);
        self.score = o.score;
        self.moves.clone_from(&o.moves);
        self.gold = o.gold;
    }
}

/// Reusable beam buffers: no allocation per sentence once they have grown.
#[derive(Debug, Default)]
pub struct Beam {
    cur: Vec<Item>,
    nxt: Vec<Item>,
    /// (summed score, item, class) candidates of one step.
    cands: Vec<(f64, u32, u16)>,
    feats: Vec<u64>,
    scores: Vec<f64>,
}

/// Best first; ties go to the earlier item, then the lower class (as greedy).
fn cand_order(a: &(f64, u32, u16), b: &(f64, u32, u16)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
}

impl Beam {
    fn start(&mut self, n: usize) {
        if self.cur.is_empty() {
            self.cur.push(Item::default());
        }
        self.cur.truncate(1);
        let it = &mut self.cur[0];
        it.st.reset(n);
        it.score = 0.0;
        it.moves.clear();
        it.gold = true;
    }

    /// Expands every item by every allowed move and keeps the `k` best.
    /// `score(state, feats, out)` fills `out` with the classes' scores.
    /// `gold` is the gold class of this step (training), if any. Returns false
    /// when nothing could move (the beam is then left as it was).
    fn step<F>(
        &mut self,
        k: usize,
        nl: usize,
        root: Option<u16>,
        nc: usize,
        gold: Option<u16>,
        score: &mut F,
    ) -> bool
    where
        F: FnMut(&State, &mut Vec<u64>, &mut [f64]),
    {
        self.cands.clear();
        self.scores.resize(nc, 0.0);
        for (i, it) in self.cur.iter().enumerate() {
            if it.st.terminal() {
                continue;
            }
            score(&it.st, &mut self.feats, &mut self.scores[..nc]);
            for (c, &s) in self.scores[..nc].iter().enumerate() {
                if it.st.allowed(decode_class(c, nl), root) {
                    self.cands.push((it.score + s, i as u32, c as u16));
                }
            }
        }
        if self.cands.is_empty() {
            return false;
        }
        let k = k.max(1);
        if self.cands.len() > k {
            self.cands.select_nth_unstable_by(k - 1, cand_order);
            self.cands.truncate(k);
        }
        self.cands.sort_unstable_by(cand_order);
        while self.nxt.len() < self.cands.len() {
            self.nxt.push(Item::default());
        }
        self.nxt.truncate(self.cands.len());
        for (j, &(s, i, c)) in self.cands.iter().enumerate() {
            let (src, dst) = (&self.cur[i as usize], &mut self.nxt[j]);
            dst.copy_from(src);
            dst.st.apply(decode_class(c as usize, nl));
            dst.score = s;
            dst.moves.push(c);
            dst.gold = src.gold && gold == Some(c);
        }
        std::mem::swap(&mut self.cur, &mut self.nxt);
        true
    }

    fn done(&self) -> bool {
        self.cur.iter().all(|it| it.st.terminal())
    }
}

impl Parser {
    /// Parses one sentence with a beam of `k` whatever the model's (1 =
    /// greedy); `out` as in [`Parser::parse_toks`].
    pub fn parse_toks_beam(
        &self,
        toks: &[PTok],
        k: usize,
        sc: &mut ParseScratch,
        out: &mut Vec<(u32, u16)>,
    ) {
        // Copying an item costs O(n), so a beam costs O(k·n²) per sentence:
        // over-long "sentences" (tables, junk) are parsed greedily.
        if k <= 1 || toks.len() > MAX_BEAM_TOKENS {
            self.parse_toks_greedy(toks, sc, out);
            return;
        }
        out.clear();
        let n = toks.len();
        if n <= 1 {
            return;
        }
        let nl = self.labels.len();
        let nc = self.data.classes.len().min(256);
        let mut beam = std::mem::take(&mut sc.beam);
        beam.start(n);
        let mut score = |st: &State, feats: &mut Vec<u64>, o: &mut [f64]| {
            feats.clear();
            st.features(toks, self.features, feats);
            sc.scores.fill(0);
            self.scorer.add(feats, &mut sc.scores, &mut sc.rows);
            for (d, &s) in o.iter_mut().zip(sc.scores.iter()) {
                *d = s as f64;
            }
        };
        let mut budget = 2 * n + 2;
        while !beam.done() && budget > 0 {
            budget -= 1;
            if !beam.step(k, nl, self.root, nc, None, &mut score) {
                break;
            }
        }
        if let Some(best) = beam.cur.first() {
            best.st.arcs_into(self.root.unwrap_or(0), out);
        }
        sc.beam = beam;
    }
}

/// Averaged perceptron whose updates may touch different features for the
/// two classes (a global update compares two different move sequences), and
/// which may start from a trained model's weights.
#[derive(Debug, Default)]
pub struct GlobalTrainer {
    pub classes: Vec<String>,
    index: HashMap<u64, u32, crate::nlp::tagger::BuildMix>,
    rows: Vec<Vec<Entry>>,
    pub now: u64,
    /// Only weights that exist already are updated (the model keeps its size).
    pub frozen: bool,
}

impl GlobalTrainer {
    /// Starts from a model's (averaged) weights, as if they had been there from the start.
    pub fn from_data(d: &LinearData) -> GlobalTrainer {
        let mut t = GlobalTrainer {
            classes: d.classes.clone(),
            ..Default::default()
        };
        let mut at = 0usize;
        for (&k, &l) in d.keys.iter().zip(&d.row_len) {
            let row: Vec<Entry> = (at..at + l as usize)
                .filter_map(|j| {
                    Some(Entry {
                        c: *d.cls.get(j)? as u16,
                        w: *d.w.get(j)? as f32 * d.scale,
                        total: 0.0,
                        ts: 0,
                    })
                })
                .collect();
            at += l as usize;
            t.index.insert(k, t.rows.len() as u32);
            t.rows.push(row);
        }
        t
    }

    pub fn scores(&self, feats: &[u64], scores: &mut [f64]) {
        scores.fill(0.0);
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for e in &self.rows[r as usize] {
                    if let Some(s) = scores.get_mut(e.c as usize) {
                        *s += e.w as f64;
                    }
                }
            }
        }
    }

    /// Adds `d` to class `c`'s weight of every feature in `feats`.
    pub fn add(&mut self, feats: &[u64], c: usize, d: f32) {
        let now = self.now;
        if self.frozen {
            for f in feats {
                let Some(&r) = self.index.get(f) else { continue };
                if let Some(e) = self.rows[r as usize].iter_mut().find(|e| e.c as usize == c) {
                    e.total += (now - e.ts) as f64 * e.w as f64;
                    e.ts = now;
                    e.w += d;
                }
            }
            return;
        }
        for &f in feats {
            let next = self.rows.len() as u32;
            let r = *self.index.entry(f).or_insert(next);
            if r == next {
                self.rows.push(Vec::new());
            }
            let row = &mut self.rows[r as usize];
            let e = match row.iter().position(|e| e.c as usize == c) {
                Some(i) => &mut row[i],
                None => {
                    row.push(Entry {
                        c: c as u16,
                        w: 0.0,
                        total: 0.0,
                        ts: now,
                    });
                    let l = row.len() - 1;
                    &mut row[l]
                }
            };
            e.total += (now - e.ts) as f64 * e.w as f64;
            e.ts = now;
            e.w += d;
        }
    }

    /// Averaged weights, quantized to i16 (weights that round to 0 dropped).
    pub fn export(&self) -> LinearData {
        let now = self.now.max(1);
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(&k, &r)| (k, r)).collect();
        keys.sort_unstable();
        let avg = |e: &Entry| ((e.total + (now - e.ts) as f64 * e.w as f64) / now as f64) as f32;
        let max = self
            .rows
            .iter()
            .flatten()
            .fold(0f32, |m, e| m.max(avg(e).abs()));
        let scale = if max > 0.0 { max / 32000.0 } else { 1.0 };
        let mut d = LinearData {
            classes: self.classes.clone(),
            scale,
            keys: vec![],
            row_len: vec![],
            cls: vec![],
            w: vec![],
        };
        let mut tmp: Vec<(u8, i16)> = Vec::new();
        for (k, r) in keys {
            tmp.clear();
            for e in &self.rows[r as usize] {
                let q = (avg(e) / scale).round().clamp(-32767.0, 32767.0) as i16;
                if q != 0 {
                    tmp.push((e.c as u8, q));
                }
            }
            if tmp.is_empty() {
                continue;
            }
            tmp.sort_unstable();
            tmp.truncate(255);
            d.keys.push(k);
            d.row_len.push(tmp.len() as u8);
            for &(c, w) in &tmp {
                d.cls.push(c);
                d.w.push(w);
            }
        }
        d
    }
}

/// A training sentence for the global trainer.
pub struct GoldSeq {
    pub toks: Vec<PTok>,
    /// Gold head per token (index 0 = root: NONE), projective.
    pub gh: Vec<u32>,
    pub gl: Vec<u16>,
}

/// The static-oracle move of a gold configuration: attach s0 as soon as its
/// head is reachable at no cost, else shift.
pub fn oracle_move(
    st: &State,
    gh: &[u32],
    gl: &[u16],
    nl: usize,
    root: Option<u16>,
) -> Option<usize> {
    let k = st.costs(gh);
    let s0 = st.stack.last().copied().unwrap_or(0) as usize;
    let lab = gl.get(s0).copied().unwrap_or(0);
    let cands = [
        (k.left == 0 && k.left_head, 1 + lab as usize),
        (k.right == 0 && k.right_head, 1 + nl + lab as usize),
        (k.shift == 0, 0),
    ];
    for (ok, c) in cands {
        if ok && st.allowed(decode_class(c, nl), root) {
            return Some(c);
        }
    }
    // Not reachable for projective trees; the cheapest allowed move keeps training going.
    (0..1 + 2 * nl)
        .filter(|&c| st.allowed(decode_class(c, nl), root))
        .min_by_key(|&c| match decode_class(c, nl) {
            Move::Shift => k.shift,
            Move::Left(_) => k.left,
            Move::Right(_) => k.right,
        })
}

#[derive(Debug, Clone, Copy)]
pub struct GlobalOptions {
    pub beam: usize,
    pub epochs: usize,
    pub seed: u64,
    pub features: u32,
    /// Stop the sentence where gold falls off the beam (early update) instead of max-violation.
    pub early_update: bool,
    /// Stop after this many epochs without a better dev LAS.
    pub patience: usize,
    /// With an initial model: update only its weights, adding none (e.g. to
    /// retrain a size-fitted model without growing it again).
    pub freeze: bool,
}

/// Trains (or fine-tunes from `init`) a globally normalized parser with a
/// beam; `eval(epoch, data)` scores each epoch's model and returns its dev
/// LAS; the best epoch's model is returned.
#[allow(clippy::too_many_arguments)]
pub fn train_global(
    examples: &[GoldSeq],
    labels: &[String],
    clusters_fp: u64,
    init: Option<&LinearData>,
    opt: &GlobalOptions,
    eval: &mut dyn FnMut(&ParserData) -> (f64, String),
    save: &mut dyn FnMut(&ParserData),
    log: &mut dyn FnMut(&str),
) -> Result<(ParserData, f64), String> {
    let classes = class_names(labels);
    let nl = labels.len();
    let nc = classes.len();
    let root = labels.iter().position(|l| l == "root").map(|i| i as u16);
    let mut tr = match init {
        Some(d) if d.classes == classes => GlobalTrainer { frozen: opt.freeze, ..GlobalTrainer::from_data(d) },
        Some(_) => {
            return Err(
                "the initial model's transition classes differ from the training data's".into(),
            )
        }
        None => GlobalTrainer {
            classes,
            ..Default::default()
        },
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng::new(opt.seed);
    let mut beam = Beam::default();
    let mut gs = State::default();
    let mut rs = State::default();
    let (mut feats, mut gseq, mut best_moves) = (Vec::new(), Vec::new(), Vec::new());
    let mut sc = vec![0f64; nc];
    let mut best: Option<(ParserData, f64)> = None;
    let mut since_best = 0;
    for epoch in 1..=opt.epochs {
        rng.shuffle(&mut order);
        let (mut updates, mut correct, mut fell) = (0usize, 0usize, 0usize);
        for &ei in &order {
            let ex = &examples[ei];
            let n = ex.toks.len();
            if n <= 1 {
                continue;
            }
            beam.start(n);
            gs.reset(n);
            gseq.clear();
            let mut gscore = 0f64;
            // Max violation: (violation, step) with the beam's best not gold.
            let mut worst: Option<(f64, usize)> = None;
            let mut lost = false;
            let mut budget = 2 * n + 2;
            while !gs.terminal() && budget > 0 {
                budget -= 1;
                let Some(g) = oracle_move(&gs, &ex.gh, &ex.gl, nl, root) else {
                    break;
                };
                feats.clear();
                gs.features(&ex.toks, opt.features, &mut feats);
                tr.scores(&feats, &mut sc);
                gscore += sc[g];
                gseq.push(g as u16);
                gs.apply(decode_class(g, nl));
                let mut f = |st: &State, fv: &mut Vec<u64>, o: &mut [f64]| {
                    fv.clear();
                    st.features(&ex.toks, opt.features, fv);
                    tr.scores(fv, o);
                };
                if !beam.step(opt.beam, nl, root, nc, Some(g as u16), &mut f) {
                    break;
                }
                let top = &beam.cur[0];
                if !top.gold {
                    let v = top.score - gscore;
                    if worst.is_none_or(|(w, _)| v > w) {
                        worst = Some((v, gseq.len()));
                        best_moves.clone_from(&top.moves);
                    }
                }
                if !beam.cur.iter().any(|it| it.gold) {
                    lost = true;
                    if opt.early_update {
                        // Early update: at the step gold fell off, whatever the violation.
                        worst = Some((top.score - gscore, gseq.len()));
                        best_moves.clone_from(&top.moves);
                        break;
                    }
                }
            }
            tr.now += 1;
            if lost {
                fell += 1;
            }
            let Some((_, t)) = worst else {
                correct += 1;
                continue;
            };
            if !lost && beam.cur.first().is_some_and(|t| t.gold) {
                correct += 1;
                continue;
            }
            updates += 1;
            // Replay both prefixes up to step t; their common start cancels out.
            let common = gseq[..t]
                .iter()
                .zip(&best_moves[..t])
                .take_while(|(a, b)| a == b)
                .count();
            for (seq, d) in [(&gseq[..t], 1.0f32), (&best_moves[..t], -1.0f32)] {
                rs.reset(n);
                for (j, &c) in seq.iter().enumerate() {
                    if j >= common {
                        feats.clear();
                        rs.features(&ex.toks, opt.features, &mut feats);
                        tr.add(&feats, c as usize, d);
                    }
                    rs.apply(decode_class(c as usize, nl));
                }
            }
        }
        let data = ParserData {
            linear: tr.export(),
            labels: labels.to_vec(),
            clusters: clusters_fp,
            features: opt.features,
            beam: opt.beam as u32,
            supertagger: 0,
        };
        let (las, said) = eval(&data);
        log(&format!(
            "beam epoch {epoch}: {updates} updates, {correct} sentences right, gold fell off the beam in {fell}; {said}, {} features",
            data.linear.keys.len()
        ));
        if best.as_ref().is_none_or(|b| las > b.1) {
            save(&data);
            best = Some((data, las));
            since_best = 0;
        } else {
            since_best += 1;
            if since_best >= opt.patience.max(1) {
                break;
            }
        }
    }
    best.ok_or_else(|| "no training epochs".to_string())
}

/// Gold sequences of trees (projective; others are skipped by the caller).
pub fn gold_example(toks: Vec<PTok>, t: &Tree, heads: &[u32], labels: &[String]) -> GoldSeq {
    let mut gh = vec![NONE];
    gh.extend_from_slice(heads);
    let mut gl = vec![0u16];
    gl.extend(
        t.deprel
            .iter()
            .map(|r| labels.binary_search(r).unwrap_or(0) as u16),
    );
    GoldSeq { toks, gh, gl }
}
