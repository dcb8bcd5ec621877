//! Training the parser: the dynamic-oracle perceptron loop (Goldberg &
//! Nivre 2012) with early stopping on dev, and scoring.

use super::conllu::{read_trees, Attachment, Tree};
use super::system::{decode_class, projective, Move, PTok, State};
use super::beam::{train_global, GlobalOptions, GoldSeq};
use super::{class_names, ptok, ParseScratch, Parser, ParserData, KIND_PARSER};
use crate::nlp::format;
use crate::nlp::linear::LinearData;
use crate::nlp::hash::Rng;
use crate::nlp::linear::Trainer;
use crate::nlp::Models;
use super::system::F_STAG;
use crate::nlp::supertag::{self, Supertagger};
use crate::nlp::tagger::TaggerData;
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct ParserTrainOptions {
    pub epochs: usize,
    pub patience: usize,
    pub seed: u64,
    /// Drop averaged weights smaller than this fraction of the largest (model size).
    pub prune: f32,
    /// From this epoch on, follow the model's own (possibly wrong) moves.
    pub explore_from: usize,
    /// How often to follow the model's move when exploring (per mille).
    pub explore_rate: u32,
    /// Train on the first N sentences only (0 = all): quick experiments.
    pub limit: usize,
    /// Strip label subtypes (`nsubj:pass` → `nsubj`).
    pub base_labels: bool,
    /// Tag the training data with POS taggers trained on the other K-1 of K
    /// folds (jackknifing), so its tags are as noisy as at parse time; 0 = tag it
    /// with the loaded POS model (which was trained on it: too accurate).
    pub jackknife: usize,
    /// Optional feature groups (`system::F_*`).
    pub features: u32,
    /// Lift the arcs of non-projective training trees (Nivre & Nilsson 2005,
    /// without label encoding) so they are trained on instead of skipped.
    pub projectivize: bool,
    /// With [`super::system::F_STAG`]: which supertags (see `supertag::gold_tags`; + 4 =
    /// jackknife folds of contiguous sentences, not interleaved) and
    /// the supertagger's most training epochs (early-stopped on dev accuracy).
    pub supertag_scheme: u8,
    pub supertag_epochs: usize,
}

impl Default for ParserTrainOptions {
    fn default() -> Self {
        ParserTrainOptions { epochs: 15, patience: 3, seed: 20241219, prune: 0.0, explore_from: 2, explore_rate: 900, limit: 0, base_labels: false, jackknife: 0, features: 0, projectivize: false, supertag_scheme: 5, supertag_epochs: 5 }
    }
}

fn base(l: &str) -> &str {
    l.split(':').next().unwrap_or(l)
}

/// A training sentence ready for the oracle.
struct Example {
    toks: Vec<PTok>,
    /// Gold head per token (index 0 = root: NONE).
    gh: Vec<u32>,
    /// Gold label index per token.
    gl: Vec<u16>,
}

/// Predicted XPOS for sentences (gold XPOS when there is no POS model).
pub fn predicted_xpos<'m>(models: &'m Models, trees: &[Tree]) -> Vec<Vec<String>> {
    predicted_pos(models, trees, false)
}

/// Predicted XPOS, or with `joint` the POS tagger's "UPOS XPOS" tags
/// ([`Models::tag_sentence_joint`]), for sentences (gold ones when there is
/// no POS model).
pub fn predicted_pos(models: &Models, trees: &[Tree], joint: bool) -> Vec<Vec<String>> {
    trees
        .iter()
        .map(|t| {
            let words: Vec<&str> = t.words.iter().map(|w| w.as_str()).collect();
            let tags = if joint { models.tag_sentence_joint(&words) } else { models.tag_sentence(&words).map(|v| v.into_iter().map(|x| x.1).collect()) };
            match tags {
                Some(tags) => tags.iter().map(|x| x.to_string()).collect(),
                None => tree_pos(t, joint),
            }
        })
        .collect()
}

/// The trees' own tags (joint "UPOS XPOS" or XPOS): a parser's score with
/// them bounds what a better POS tagger could give it.
pub fn gold_pos(trees: &[Tree], joint: bool) -> Vec<Vec<String>> {
    trees.iter().map(|t| tree_pos(t, joint)).collect()
}

fn tree_pos(t: &Tree, joint: bool) -> Vec<String> {
    if joint {
        t.upos.iter().zip(&t.xpos).map(|(u, x)| format!("{u} {x}")).collect()
    } else {
        t.xpos.clone()
    }
}

/// Parser tokens of a tree with its predicted XPOS and, when given, supertag values.
fn toks_of(models: &Models, t: &Tree, xpos: &[String], st: Option<&[u64]>) -> Vec<PTok> {
    let mut v = Vec::with_capacity(t.words.len() + 1);
    v.push(PTok::root());
    for (i, w) in t.words.iter().enumerate() {
        let mut p = ptok(w, xpos.get(i).map_or("XX", |s| s.as_str()), models.clusters.as_ref());
        p.st = st.and_then(|s| s.get(i)).copied().unwrap_or(0);
        v.push(p);
    }
    v
}

/// Minimal CoNLL-U (form, UPOS, XPOS) for the POS trainer.
fn pos_text<'a>(trees: impl Iterator<Item = &'a Tree>) -> String {
    let mut s = String::new();
    for t in trees {
        for i in 0..t.words.len() {
            s += &format!("{}\t{}\t_\t{}\t{}\t_\t_\t_\t_\t_\n", i + 1, t.words[i], t.upos[i], t.xpos[i]);
        }
        s.push('\n');
    }
    s
}

/// Predicted XPOS of the training trees, each fold tagged by a POS tagger
/// trained on the other folds (sentence i is in fold i mod k).
pub fn jackknife_xpos(models: &Models, trees: &[Tree], k: usize, seed: u64, log: &mut dyn FnMut(&str)) -> Result<Vec<Vec<String>>, String> {
    jackknife_pos(models, trees, k, seed, false, log)
}

/// [`jackknife_xpos`], or with `joint` the "UPOS XPOS" tags (see [`predicted_pos`]).
pub fn jackknife_pos(models: &Models, trees: &[Tree], k: usize, seed: u64, joint: bool, log: &mut dyn FnMut(&str)) -> Result<Vec<Vec<String>>, String> {
    let mut out = vec![Vec::new(); trees.len()];
    for fold in 0..k {
        let train = pos_text(trees.iter().enumerate().filter(|(i, _)| i % k != fold).map(|x| x.1));
        let held: Vec<Tree> = trees.iter().enumerate().filter(|(i, _)| i % k == fold).map(|x| x.1.clone()).collect();
        let held_text = pos_text(held.iter());
        let opt = crate::nlp::tagger::TrainOptions { epochs: 5, patience: 1, seed, ..Default::default() };
        let (data, acc) = crate::nlp::train::train_pos(&train, &held_text, models.clusters.as_ref(), &opt, &mut |_| {})?;
        log(&format!("parser: jackknife fold {}/{k}: POS tagger on the other folds, {acc:.2} mean UPOS/XPOS accuracy on this one", fold + 1));
        let tagger = crate::nlp::tagger::Tagger::from_data(data)?;
        let m = Models::new(models.clusters.clone(), Some(tagger), None).map_err(|e| e.to_string())?;
        let x = predicted_pos(&m, &held, joint);
        for (j, xs) in x.into_iter().enumerate() {
            if let Some(o) = out.get_mut(j * k + fold) {
                *o = xs;
            }
        }
    }
    Ok(out)
}

/// UAS / LAS of `parser` on trees, with predicted POS from `models`.
pub fn evaluate(models: &Models, parser: &Parser, trees: &[Tree], xpos: &[Vec<String>]) -> Attachment {
    evaluate_beam(models, parser, trees, xpos, 0)
}

/// [`evaluate`] with a beam of `k` (1 = greedy; 0 = the model's own).
pub fn evaluate_beam(models: &Models, parser: &Parser, trees: &[Tree], xpos: &[Vec<String>], k: usize) -> Attachment {
    let mut a = Attachment::default();
    let mut sc = ParseScratch::default();
    let k = if k == 0 { parser.beam } else { k };
    let mut out = Vec::new();
    for (t, x) in trees.iter().zip(xpos) {
        let mut toks = toks_of(models, t, x, None);
        let words: Vec<&str> = t.words.iter().map(|w| w.as_str()).collect();
        parser.supertag(&words, models.clusters.as_ref(), &mut sc, &mut toks);
        parser.parse_toks_beam(&toks, k, &mut sc, &mut out);
        for (i, &(h, l)) in out.iter().enumerate() {
            a.add(t.head[i], &t.deprel[i], h, parser.label(l));
        }
    }
    a
}

/// Training and dev data ready for a trainer.
struct Prepared {
    labels: Vec<String>,
    examples: Vec<Example>,
    dev: Vec<Tree>,
    dev_x: Vec<Vec<String>>,
    /// The supertagger (trained on all the training data) when the features read supertags.
    supertagger: Option<(TaggerData, Arc<Supertagger>)>,
}

/// Reads, filters, POS-tags (jackknifed) and projectivizes the training data.
fn prepare(train_text: &str, dev_text: &str, models: &Models, opt: &ParserTrainOptions, log: &mut dyn FnMut(&str)) -> Result<Prepared, String> {
    let mut train = read_trees(train_text);
    if opt.limit > 0 {
        train.truncate(opt.limit);
    }
    let dev = read_trees(dev_text);
    let fix = |ts: &mut Vec<Tree>| {
        if opt.base_labels {
            for t in ts.iter_mut() {
                for r in t.deprel.iter_mut() {
                    *r = base(r).to_string();
                }
            }
        }
    };
    fix(&mut train);
    let mut dev = dev;
    fix(&mut dev);
    let labels: BTreeSet<&str> = train.iter().flat_map(|t| t.deprel.iter().map(|s| s.as_str())).collect();
    let labels: Vec<String> = labels.into_iter().map(String::from).collect();
    if labels.is_empty() || labels.len() > 127 {
        return Err(format!("{} dependency labels in the training data (1 to 127 supported)", labels.len()));
    }
    let train_x = if opt.jackknife >= 2 && models.pos.is_some() {
        jackknife_xpos(models, &train, opt.jackknife, opt.seed, log)?
    } else {
        predicted_xpos(models, &train)
    };
    let dev_x = predicted_xpos(models, &dev);
    let (supertagger, train_st) = if opt.features & F_STAG != 0 {
        let good: Vec<Tree> = train.iter().filter(|t| t.well_formed()).cloned().collect();
        let clusters = models.clusters.as_ref();
        let topt = crate::nlp::tagger::TrainOptions { epochs: opt.supertag_epochs.max(1), patience: 2, seed: opt.seed, ..Default::default() };
        let (data, acc) = supertag::train(&good, &dev, opt.supertag_scheme & 3, clusters, &topt, log)?;
        log(&format!("parser: supertagger {} classes, dev accuracy {acc:.2}%", data.linear.classes.len()));
        let k = if opt.jackknife >= 2 { opt.jackknife } else { 5 };
        let jk = supertag::jackknife(&train, k, opt.supertag_scheme & 4 != 0, opt.supertag_scheme & 3, clusters, &topt, log)?;
        (Some((data.clone(), Arc::new(Supertagger::from_data(data)?))), jk)
    } else {
        (None, Vec::new())
    };
    let (mut skipped_np, mut skipped_bad, mut lifted) = (0, 0, 0);
    let mut examples = Vec::new();
    for (ti, (t, x)) in train.iter().zip(&train_x).enumerate() {
        if !t.well_formed() {
            skipped_bad += 1;
            continue;
        }
        let Some((heads, was_lifted)) = trainable_heads(&t.head, opt.projectivize) else {
            skipped_np += 1;
            continue;
        };
        lifted += usize::from(was_lifted);
        let mut gh = vec![super::system::NONE];
        gh.extend_from_slice(&heads);
        let mut gl = vec![0u16];
        gl.extend(t.deprel.iter().map(|r| labels.binary_search(r).unwrap_or(0) as u16));
        examples.push(Example { toks: toks_of(models, t, x, train_st.get(ti).map(|v| v.as_slice())), gh, gl });
    }
    log(&format!(
        "parser: {} training sentences ({} projectivized; {} non-projective and {} malformed skipped), {} labels, dev {} sentences, feature groups {}",
        examples.len(),
        lifted,
        skipped_np,
        skipped_bad,
        labels.len(),
        dev.len(),
        opt.features
    ));
    Ok(Prepared { labels, examples, dev, dev_x, supertagger })
}

/// Trains a parser; `models` gives the clusters and the POS tagger whose predictions are features.
pub fn train_parser(
    train_text: &str,
    dev_text: &str,
    models: &Models,
    opt: &ParserTrainOptions,
    log: &mut dyn FnMut(&str),
) -> Result<(ParserData, Attachment), String> {
    train_parser_supertagged(train_text, dev_text, models, opt, log).map(|(d, a, _)| (d, a))
}

/// [`train_parser`], also returning the supertagger trained for it (with [`F_STAG`]).
pub fn train_parser_supertagged(
    train_text: &str,
    dev_text: &str,
    models: &Models,
    opt: &ParserTrainOptions,
    log: &mut dyn FnMut(&str),
) -> Result<(ParserData, Attachment, Option<TaggerData>), String> {
    let Prepared { labels, examples, dev, dev_x, supertagger } = prepare(train_text, dev_text, models, opt, log)?;
    let classes = class_names(&labels);
    let nl = labels.len();
    let nc = classes.len();
    let root = labels.iter().position(|l| l == "root").map(|i| i as u16);
    let fp = models.clusters.as_ref().map_or(0, |c| c.fingerprint());
    let mut tr = Trainer::new(classes);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng::new(opt.seed);
    let mut st = State::default();
    let mut feats = Vec::new();
    let mut scores = vec![0f32; nc];
    let mut cost = vec![0u32; nc];
    let mut best: Option<(ParserData, Attachment)> = None;
    let mut since_best = 0;
    for epoch in 1..=opt.epochs {
        rng.shuffle(&mut order);
        let explore = epoch >= opt.explore_from;
        let (mut right, mut moves) = (0usize, 0usize);
        for &ei in &order {
            let ex = &examples[ei];
            st.reset(ex.toks.len());
            let mut budget = 2 * ex.toks.len() + 2;
            while !st.terminal() && budget > 0 {
                budget -= 1;
                feats.clear();
                st.features(&ex.toks, opt.features, &mut feats);
                tr.scores(&feats, &mut scores);
                let k = st.costs(&ex.gh);
                let mut min = u32::MAX;
                for (c, slot) in cost.iter_mut().enumerate() {
                    let m = decode_class(c, nl);
                    *slot = if !st.allowed(m, root) {
                        u32::MAX
                    } else {
                        match m {
                            Move::Shift => k.shift,
                            Move::Left(l) => k.left + (k.left_head && ex.gl[st.stack[st.stack.len() - 1] as usize] != l) as u32,
                            Move::Right(l) => k.right + (k.right_head && ex.gl[st.stack[st.stack.len() - 1] as usize] != l) as u32,
                        }
                    };
                    min = min.min(*slot);
                }
                if min == u32::MAX {
                    break;
                }
                let (mut pred, mut gold) = (usize::MAX, usize::MAX);
                for c in 0..nc {
                    if cost[c] == u32::MAX {
                        continue;
                    }
                    if pred == usize::MAX || scores[c] > scores[pred] {
                        pred = c;
                    }
                    if cost[c] == min && (gold == usize::MAX || scores[c] > scores[gold]) {
                        gold = c;
                    }
                }
                tr.now += 1;
                moves += 1;
                if cost[pred] == min {
                    right += 1;
                } else {
                    tr.update(&feats, gold, pred);
                }
                let follow = if explore && rng.next_u64() % 1000 < opt.explore_rate as u64 { pred } else { gold };
                st.apply(decode_class(follow, nl));
            }
        }
        let data = ParserData { linear: tr.export(opt.prune), labels: labels.clone(), clusters: fp, features: opt.features, beam: 0, supertagger: 0 };
        let mut parser = Parser::from_data(data.clone())?;
        parser.supertagger = supertagger.as_ref().map(|s| s.1.clone());
        let a = evaluate(models, &parser, &dev, &dev_x);
        log(&format!(
            "epoch {epoch}: train moves right {:.2}%, dev UAS {:.2} LAS {:.2} (base-label LAS {:.2}), {} features",
            100.0 * right as f64 / moves.max(1) as f64,
            a.uas(),
            a.las(),
            a.las_base(),
            data.linear.keys.len()
        ));
        if best.as_ref().is_none_or(|b| a.las() > b.1.las()) {
            best = Some((data, a));
            since_best = 0;
        } else {
            since_best += 1;
            if since_best >= opt.patience {
                break;
            }
        }
    }
    let (d, a) = best.ok_or_else(|| "no training epochs".to_string())?;
    Ok((d, a, supertagger.map(|s| s.0)))
}

/// The heads a transition parser can learn from: a projective tree as it is,
/// a non-projective one lifted when `lift` (and whether it was), else None.
pub fn trainable_heads(heads: &[u32], lift: bool) -> Option<(Vec<u32>, bool)> {
    if projective(heads) {
        return Some((heads.to_vec(), false));
    }
    if !lift {
        return None;
    }
    let lifted = projectivize(heads);
    projective(&lifted).then_some((lifted, true))
}

/// A projective tree from a non-projective one (`heads[i]` = head of word
/// i+1, 0 = root): the shortest non-projective arc is lifted to its head's
/// head until none is left (Nivre & Nilsson 2005). Every word keeps its label.
pub fn projectivize(heads: &[u32]) -> Vec<u32> {
    let mut h = heads.to_vec();
    let n = h.len() as u32;
    if h.iter().any(|&x| x > n) {
        return h;
    }
    // Whether `a` dominates `k` (walks up at most n steps: cycles stop there).
    let dominates = |h: &[u32], a: u32, k: u32| -> bool {
        let mut x = k;
        for _ in 0..=n {
            if x == a {
                return true;
            }
            if x == 0 {
                return false;
            }
            x = h[x as usize - 1];
        }
        false
    };
    for _ in 0..(n as usize * n as usize + 1) {
        let mut best: Option<(u32, usize)> = None;
        for d in 1..=n {
            let hd = h[d as usize - 1];
            let (a, b) = (hd.min(d), hd.max(d));
            if b - a < 2 || best.is_some_and(|(span, _)| b - a >= span) {
                continue;
            }
            if (a + 1..b).any(|k| !dominates(&h, hd, k)) {
                best = Some((b - a, d as usize - 1));
            }
        }
        let Some((_, i)) = best else { break };
        let hd = h[i];
        if hd == 0 {
            break;
        }
        h[i] = h[hd as usize - 1];
    }
    h
}

/// The model without weights whose quantized magnitude is below `min_q`
/// (features left with no weight are dropped).
pub fn prune_weights(d: &ParserData, min_q: i16) -> ParserData {
    ParserData { linear: prune_linear(&d.linear, min_q), ..d.clone() }
}

/// The weights of `l` whose quantized magnitude is at least `min_q`; keys
/// left with no weight are dropped (shared by the parser and the supertagger).
pub fn prune_linear(l: &LinearData, min_q: i16) -> LinearData {
    let mut out = LinearData { classes: l.classes.clone(), scale: l.scale, keys: vec![], row_len: vec![], cls: vec![], w: vec![] };
    let mut at = 0usize;
    for (k, &n) in l.keys.iter().zip(&l.row_len) {
        let row = at..at + n as usize;
        at += n as usize;
        let mut kept = 0u8;
        for j in row {
            let (Some(&w), Some(&c)) = (l.w.get(j), l.cls.get(j)) else { break };
            if w.unsigned_abs() >= min_q.unsigned_abs() {
                out.cls.push(c);
                out.w.push(w);
                kept += 1;
            }
        }
        if kept > 0 {
            out.keys.push(*k);
            out.row_len.push(kept);
        }
    }
    out
}

/// The smallest threshold `t` in 1..=i16::MAX with `fits(t)`, given that
/// fitting only gets easier as `t` rises (binary search).
pub fn smallest_fitting(mut fits: impl FnMut(i16) -> Result<bool, String>) -> Result<i16, String> {
    let (mut lo, mut hi) = (1i32, i16::MAX as i32);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fits(mid as i16)? {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(lo as i16)
}

/// Prunes the smallest weights, as few as needed for the model file to fit
/// in `max_bytes`; returns the model and the threshold used (0 = untouched).
pub fn shrink(d: &ParserData, max_bytes: usize) -> Result<(ParserData, i16), String> {
    let size = |p: &ParserData| format::encode(KIND_PARSER, p).map(|b| b.len()).map_err(|e| e.to_string());
    if max_bytes == 0 || size(d)? <= max_bytes {
        return Ok((d.clone(), 0));
    }
    // Smallest threshold that fits: the size only falls as the threshold rises.
    let t = smallest_fitting(|t| Ok(size(&prune_weights(d, t))? <= max_bytes))?;
    Ok((prune_weights(d, t), t))
}

/// Trains a globally normalized beam parser (see [`super::beam`]), from
/// `init`'s weights when given (its feature groups are then used); `save`
/// gets each epoch's model that is the best so far (a checkpoint).
pub fn train_parser_beam(
    train_text: &str,
    dev_text: &str,
    models: &Models,
    opt: &ParserTrainOptions,
    gopt: &GlobalOptions,
    init: Option<&ParserData>,
    save: &mut dyn FnMut(&ParserData),
    log: &mut dyn FnMut(&str),
) -> Result<(ParserData, Attachment), String> {
    let features = init.map_or(opt.features, |d| d.features);
    let opt = ParserTrainOptions { features, ..opt.clone() };
    let Prepared { labels, examples, dev, dev_x, supertagger } = prepare(train_text, dev_text, models, &opt, log)?;
    let st = supertagger.map(|s| s.1);
    if let Some(d) = init {
        if d.labels != labels {
            return Err("the initial model's labels differ from the training data's".into());
        }
    }
    let examples: Vec<GoldSeq> = examples.into_iter().map(|e| GoldSeq { toks: e.toks, gh: e.gh, gl: e.gl }).collect();
    let fp = models.clusters.as_ref().map_or(0, |c| c.fingerprint());
    let gopt = GlobalOptions { features, ..*gopt };
    let k = gopt.beam;
    if let Some(d) = init {
        let mut p = Parser::from_data(d.clone())?;
        p.supertagger = st.clone();
        let a = evaluate_beam(models, &p, &dev, &dev_x, k);
        log(&format!("initial model with beam {k}: dev UAS {:.2} LAS {:.2}", a.uas(), a.las()));
    }
    let mut scores: Vec<Attachment> = Vec::new();
    let mut eval = |d: &ParserData| -> (f64, String) {
        match Parser::from_data(d.clone()) {
            Ok(mut p) => {
                p.supertagger = st.clone();
                let a = evaluate_beam(models, &p, &dev, &dev_x, k);
                scores.push(a);
                (a.las(), format!("dev UAS {:.2} LAS {:.2} with beam {k}", a.uas(), a.las()))
            }
            Err(e) => (0.0, e),
        }
    };
    let (data, las) = train_global(&examples, &labels, fp, init.map(|d| &d.linear), &gopt, &mut eval, save, log)?;
    let a = scores.into_iter().find(|a| a.las() == las).unwrap_or_default();
    Ok((data, a))
}
