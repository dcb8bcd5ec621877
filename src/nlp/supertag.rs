//! Supertags for the dependency parser (Ouchi, Duh & Matsumoto 2014): for
//! each word, its relation and the side its head is on (`nsubj/R`: the
//! head is to the right), optionally with whether it has left / right
//! dependents (`+l`, `+r`). A sequence tagger (the POS tagger's model and
//! window features, reading both directions) predicts them; the parser's
//! optional feature group [`crate::nlp::parser::system::F_STAG`] reads them,
//! so it sees what the whole sentence suggests about words its greedy
//! lookahead has not reached. See `models/README.md`, "Dependency parser".

use super::clusters::Clusters;
use super::hash::Fh;
use super::parser::conllu::Tree;
use super::tagger::{self, Scratch, Tagger, TaggerData, Task, TrainDoc, TrainOptions};
use crate::error::Error;
use std::collections::BTreeMap;

pub const KIND_SUPERTAG: &[u8; 4] = b"STG\0";

/// Most classes the tagger takes.
const MAX_CLASSES: usize = 255;

/// A loaded supertagger: the tagger and each class's feature value.
#[derive(Debug, Clone)]
pub struct Supertagger {
    pub tagger: Tagger,
    /// Per class: the hash the parser's features read.
    hashes: Vec<u64>,
    /// [`fingerprint`] of the file it was loaded from (0 = built in memory):
    /// a parser records its supertagger's, and refuses another one.
    pub fingerprint: u64,
}

/// Identifies a supertagger file: a hash of its bytes (never 0). A parser
/// trained with supertag features stores its supertagger's, so a wrong
/// pairing is a load error instead of silently worse parses.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h = 0x9E37_79B9_7F4A_7C15u64 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(0x0100_0000_01B3).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01B3).rotate_left(29);
    }
    h.max(1)
}

/// The supertagger with its smallest weights pruned, as few as needed for
/// its file to fit `max_bytes` (0 = untouched); also the threshold (0 = none).
/// Fewer weights also mean a smaller feature table, which is what the
/// supertagging pass costs: cache misses.
pub fn shrink(d: &TaggerData, max_bytes: usize) -> crate::Result<(TaggerData, i16)> {
    let size = |x: &TaggerData| super::format::encode(KIND_SUPERTAG, x).map(|b| b.len());
    if max_bytes == 0 || size(d)? <= max_bytes {
        return Ok((d.clone(), 0));
    }
    let pruned = |t: i16| TaggerData { linear: super::parser::train::prune_linear(&d.linear, t), ..d.clone() };
    let t = super::parser::train::smallest_fitting(|t| size(&pruned(t)).map(|n| n <= max_bytes).map_err(|e| e.to_string()))
        .map_err(|message| Error::BadModel { path: "supertagger".into(), message })?;
    Ok((pruned(t), t))
}

/// The parser's feature value of a supertag name.
pub fn tag_hash(name: &str) -> u64 {
    Fh::default().str(name).0 ^ 0x5747
}

impl Supertagger {
    pub fn from_data(d: TaggerData) -> Result<Supertagger, String> {
        if d.task != Task::Pos {
            return Err("a supertagger is a sequence tagger of the POS kind".into());
        }
        let tagger = Tagger::from_data(d)?;
        let hashes = tagger.classes().iter().map(|c| tag_hash(c)).collect();
        Ok(Supertagger { tagger, hashes, fingerprint: 0 })
    }

    /// Loads an `STG\0` model file.
    pub fn load(name: &str, bytes: &[u8]) -> crate::Result<Supertagger> {
        let d: TaggerData = super::format::decode(name, KIND_SUPERTAG, bytes)?;
        let mut st = Supertagger::from_data(d).map_err(|message| Error::BadModel { path: name.into(), message })?;
        st.fingerprint = fingerprint(bytes);
        Ok(st)
    }

    /// Supertag feature values for the words of one sentence, into `out`.
    pub fn tag_hashes(&self, words: &[&str], clusters: Option<&Clusters>, sc: &mut Scratch, classes: &mut Vec<u16>, out: &mut Vec<u64>) {
        self.tagger.tag_words(words, &[0..words.len()], clusters, &[], sc, classes);
        out.clear();
        out.extend(classes.iter().map(|&c| self.hashes.get(c as usize).copied().unwrap_or(0)));
    }

    /// Supertag names for the words of one sentence.
    pub fn tag_names(&self, words: &[&str], clusters: Option<&Clusters>, sc: &mut Scratch) -> Vec<&str> {
        let mut classes = Vec::new();
        self.tagger.tag_words(words, &[0..words.len()], clusters, &[], sc, &mut classes);
        classes.iter().map(|&c| self.tagger.classes().get(c as usize).map_or("_", |s| s.as_str())).collect()
    }
}

/// Which supertags: 1 = relation + head side; 2 = also left/right dependents.
pub fn gold_tags(t: &Tree, scheme: u8) -> Vec<String> {
    let n = t.words.len();
    let (mut has_l, mut has_r) = (vec![false; n + 1], vec![false; n + 1]);
    for (i, &h) in t.head.iter().enumerate() {
        let d = i + 1;
        if h == 0 || h as usize > n {
            continue;
        }
        if d < h as usize {
            has_l[h as usize] = true;
        } else {
            has_r[h as usize] = true;
        }
    }
    (0..n)
        .map(|i| {
            let d = i + 1;
            let h = t.head[i];
            let side = if h == 0 || h as usize > n { "0" } else if (h as usize) < d { "L" } else { "R" };
            let mut s = format!("{}/{side}", t.deprel[i]);
            if scheme >= 2 {
                if has_l[d] {
                    s += "+l";
                }
                if has_r[d] {
                    s += "+r";
                }
            }
            s
        })
        .collect()
}

/// The part of a tag before the dependents flags (what a rare tag falls back to).
fn coarse(tag: &str) -> &str {
    tag.find('+').map_or(tag, |i| &tag[..i])
}

/// The class set: every training tag seen at least `min` times, rarer ones
/// folded to their coarse form; `min` rises until the set fits the tagger.
fn class_set(tags: &[Vec<String>]) -> (Vec<String>, BTreeMap<String, String>) {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for t in tags.iter().flatten() {
        *count.entry(t.as_str()).or_default() += 1;
    }
    let mut min = 5;
    loop {
        let mut map = BTreeMap::new();
        for (&t, &c) in &count {
            let to = if c >= min { t } else { coarse(t) };
            map.insert(t.to_string(), to.to_string());
        }
        let classes: std::collections::BTreeSet<&String> = map.values().collect();
        if classes.len() <= MAX_CLASSES || min > 1_000_000 {
            let classes: Vec<String> = classes.into_iter().take(MAX_CLASSES).cloned().collect();
            return (classes, map);
        }
        min *= 2;
    }
}

/// Accuracy (%) of a supertagger on trees with gold tags `gold`.
pub fn accuracy(st: &Tagger, clusters: Option<&Clusters>, trees: &[Tree], gold: &[Vec<String>]) -> f64 {
    let mut sc = Scratch::default();
    let (mut right, mut n) = (0usize, 0usize);
    let mut out = Vec::new();
    for (t, g) in trees.iter().zip(gold) {
        let words: Vec<&str> = t.words.iter().map(|w| w.as_str()).collect();
        st.tag_words(&words, &[0..words.len()], clusters, &[], &mut sc, &mut out);
        for (&p, g) in out.iter().zip(g) {
            right += st.classes().get(p as usize).is_some_and(|c| c == g) as usize;
            n += 1;
        }
    }
    100.0 * right as f64 / n.max(1) as f64
}

/// Trains a supertagger on `train` (early stopping on `dev` accuracy); returns it and its dev accuracy.
pub fn train(train: &[Tree], dev: &[Tree], scheme: u8, clusters: Option<&Clusters>, opt: &TrainOptions, log: &mut dyn FnMut(&str)) -> Result<(TaggerData, f64), String> {
    let gold: Vec<Vec<String>> = train.iter().map(|t| gold_tags(t, scheme)).collect();
    let (classes, map) = class_set(&gold);
    let docs: Vec<TrainDoc> = train
        .iter()
        .zip(&gold)
        .map(|(t, g)| TrainDoc {
            words: t.words.clone(),
            sents: vec![0..t.words.len()],
            gold: g.iter().map(|x| map.get(x).and_then(|c| classes.binary_search(c).ok()).unwrap_or(0) as u16).collect(),
            pos: vec![],
        })
        .collect();
    // Dev tags unseen in training fold as the training tags did.
    let dev_gold: Vec<Vec<String>> =
        dev.iter().map(|t| gold_tags(t, scheme).into_iter().map(|x| map.get(&x).cloned().unwrap_or_else(|| coarse(&x).to_string())).collect()).collect();
    log(&format!("supertag: {} training sentences, {} classes (scheme {scheme})", docs.len(), classes.len()));
    let mut dev_score = |t: &Tagger| accuracy(t, clusters, dev, &dev_gold);
    tagger::train(Task::Pos, classes, &docs, clusters, false, None, opt, &mut dev_score, log)
}

/// Supertag feature values of the training trees, each fold tagged by a
/// supertagger trained on the other folds, so they are as noisy as at parse
/// time. `blocks`: folds are k contiguous runs of sentences (a document's
/// sentences stay together, so no fold's tagger has seen the document it
/// tags); otherwise sentence i is in fold i mod k.
pub fn jackknife(trees: &[Tree], k: usize, blocks: bool, scheme: u8, clusters: Option<&Clusters>, opt: &TrainOptions, log: &mut dyn FnMut(&str)) -> Result<Vec<Vec<u64>>, String> {
    let k = k.max(2);
    let n = trees.len().max(1);
    let fold_of = |i: usize| if blocks { i * k / n } else { i % k };
    let mut out = vec![Vec::new(); trees.len()];
    let mut sc = Scratch::default();
    let (mut classes, mut hashes) = (Vec::new(), Vec::new());
    for fold in 0..k {
        let train_part: Vec<Tree> = trees.iter().enumerate().filter(|(i, _)| fold_of(*i) != fold).map(|x| x.1.clone()).collect();
        let held: Vec<(usize, &Tree)> = trees.iter().enumerate().filter(|(i, _)| fold_of(*i) == fold).collect();
        let held_trees: Vec<Tree> = held.iter().map(|x| x.1.clone()).collect();
        let (data, acc) = train(&train_part, &held_trees, scheme, clusters, opt, &mut |_| {})?;
        log(&format!("supertag: jackknife fold {}/{k}: {acc:.2}% accuracy on the held-out fold", fold + 1));
        let st = Supertagger::from_data(data)?;
        for (i, t) in held {
            let words: Vec<&str> = t.words.iter().map(|w| w.as_str()).collect();
            st.tag_hashes(&words, clusters, &mut sc, &mut classes, &mut hashes);
            out[i] = hashes.clone();
        }
    }
    Ok(out)
}
