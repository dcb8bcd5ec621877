//! Training and evaluation on corpus files: the glue between the readers,
//! the taggers and the commands.
#![allow(clippy::single_range_in_vec_init)] // one sentence = one range, on purpose

use super::clusters::Clusters;
use super::conll::{chunks, read_conll, read_conllu, ConllSentence, NerScore, UdSentence};
use super::tagger::{self, Scratch, Tagger, TaggerData, Task, TrainDoc, TrainOptions};
use super::{split_pos_class, Models};
use std::collections::BTreeSet;
use std::ops::Range;

/// IOB1 or IOB2 tags → IOB2 (B- on every entity start).
pub fn to_iob2<S: AsRef<str>>(tags: &[S]) -> Vec<String> {
    let mut out = vec!["O".to_string(); tags.len()];
    for (ty, s, e) in chunks(tags) {
        out[s] = format!("B-{ty}");
        for o in &mut out[s + 1..e] {
            *o = format!("I-{ty}");
        }
    }
    out
}

/// IOB1 or IOB2 tags → BILOU (B-, I-, L-ast, U-nit).
pub fn to_bilou<S: AsRef<str>>(tags: &[S]) -> Vec<String> {
    let mut out = vec!["O".to_string(); tags.len()];
    for (ty, s, e) in chunks(tags) {
        if e - s == 1 {
            out[s] = format!("U-{ty}");
            continue;
        }
        out[s] = format!("B-{ty}");
        for o in &mut out[s + 1..e - 1] {
            *o = format!("I-{ty}");
        }
        out[e - 1] = format!("L-{ty}");
    }
    out
}

/// A document's words and sentence ranges.
pub fn flatten(doc: &[ConllSentence]) -> (Vec<&str>, Vec<Range<usize>>) {
    let mut words = Vec::new();
    let mut sents = Vec::new();
    for s in doc {
        let a = words.len();
        words.extend(s.words.iter().map(|w| w.as_str()));
        sents.push(a..words.len());
    }
    (words, sents)
}

fn pos_class(u: &str, x: &str) -> String {
    format!("{u} {x}")
}

pub struct PosAccuracy {
    pub upos: f64,
    pub xpos: f64,
    pub words: usize,
}

/// Accuracy of a POS tagger (as part of `models`) on CoNLL-U sentences.
pub fn pos_accuracy(models: &Models, tagger: Option<&Tagger>, sents: &[UdSentence]) -> PosAccuracy {
    let t = match tagger.or(models.pos.as_ref()) {
        Some(t) => t,
        None => return PosAccuracy { upos: 0.0, xpos: 0.0, words: 0 },
    };
    let mut sc = Scratch::default();
    let (mut u, mut x, mut n) = (0usize, 0usize, 0usize);
    let mut out = Vec::new();
    for s in sents {
        let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
        let one = [0..words.len()];
        t.tag_words(&words, &one, models.clusters.as_ref(), &[], &mut sc, &mut out);
        for (i, &c) in out.iter().enumerate() {
            let (pu, px) = split_pos_class(&t.classes()[c as usize]);
            u += (pu == s.upos[i]) as usize;
            x += (px == s.xpos[i]) as usize;
            n += 1;
        }
    }
    let d = n.max(1) as f64;
    PosAccuracy { upos: 100.0 * u as f64 / d, xpos: 100.0 * x as f64 / d, words: n }
}

pub fn read_text(path: &std::path::Path) -> crate::Result<String> {
    std::fs::read_to_string(path).map_err(|source| crate::Error::Read { input: path.display().to_string(), source })
}

/// Trains the POS tagger on CoNLL-U; the dev figure is the mean of UPOS and XPOS accuracy.
pub fn train_pos(
    train_text: &str,
    dev_text: &str,
    clusters: Option<&Clusters>,
    opt: &TrainOptions,
    log: &mut dyn FnMut(&str),
) -> Result<(TaggerData, f64), String> {
    let train = read_conllu(train_text);
    let dev = read_conllu(dev_text);
    let classes: BTreeSet<String> = train.iter().flat_map(|s| s.upos.iter().zip(&s.xpos).map(|(u, x)| pos_class(u, x))).collect();
    let classes: Vec<String> = classes.into_iter().collect();
    let docs: Vec<TrainDoc> = train
        .iter()
        .map(|s| TrainDoc {
            words: s.words.clone(),
            sents: vec![0..s.words.len()],
            gold: s
                .upos
                .iter()
                .zip(&s.xpos)
                .map(|(u, x)| classes.binary_search(&pos_class(u, x)).unwrap_or(0) as u16)
                .collect(),
            pos: vec![],
        })
        .collect();
    log(&format!("pos: {} training sentences, {} classes", docs.len(), classes.len()));
    let base = Models::new(clusters.cloned(), None, None).map_err(|e| e.to_string())?;
    let mut dev_score = |t: &Tagger| {
        let a = pos_accuracy(&base, Some(t), &dev);
        (a.upos + a.xpos) / 2.0
    };
    tagger::train(Task::Pos, classes, &docs, clusters, false, None, opt, &mut dev_score, log)
}

/// NER tags (IOB2 names) for documents, with `models` (its NER tagger or `ner`).
pub fn tag_docs(models: &Models, ner: Option<&Tagger>, docs: &[Vec<ConllSentence>], pos: &[Vec<u64>]) -> Vec<Vec<String>> {
    let Some(t) = ner.or(models.ner.as_ref()) else { return vec![] };
    let mut sc = Scratch::default();
    let mut out = Vec::new();
    let mut res = Vec::with_capacity(docs.len());
    for (di, d) in docs.iter().enumerate() {
        let (words, sents) = flatten(d);
        let pf: &[u64] = if t.use_pos { pos.get(di).map_or(&[][..], |v| v.as_slice()) } else { &[] };
        t.tag_words(&words, &sents, models.clusters.as_ref(), pf, &mut sc, &mut out);
        res.push(out.iter().map(|&c| t.iob2_name(c as usize).to_string()).collect());
    }
    res
}

/// The NER tagger's POS features for each document (empty without a POS model).
pub fn pos_features_for(models: &Models, docs: &[Vec<ConllSentence>]) -> Vec<Vec<u64>> {
    let mut sc = Scratch::default();
    docs.iter()
        .map(|d| {
            let (w, s) = flatten(d);
            match models.pos_classes(&w, &s, &mut sc) {
                Some(c) => c.iter().map(|&k| super::hash::Fh::default().str(models.pos_names(k).1).0).collect(),
                None => vec![],
            }
        })
        .collect()
}

pub fn score_docs(docs: &[Vec<ConllSentence>], pred: &[Vec<String>]) -> NerScore {
    let mut sc = NerScore::default();
    for (d, p) in docs.iter().zip(pred) {
        let mut at = 0;
        for s in d {
            let n = s.tags.len();
            if let Some(ps) = p.get(at..at + n) {
                sc.add(&s.tags, ps);
            }
            at += n;
        }
    }
    sc
}

/// Trains the NER tagger on CoNLL columns; `models` supplies clusters and (optionally) POS.
pub fn train_ner(
    train_text: &str,
    dev_text: &str,
    models: &Models,
    use_pos: bool,
    gazetteer: Option<super::gazetteer::GazData>,
    opt: &TrainOptions,
    log: &mut dyn FnMut(&str),
) -> Result<(TaggerData, f64), String> {
    let train = read_conll(train_text);
    let dev = read_conll(dev_text);
    let use_pos = use_pos && models.pos.is_some();
    let mut tagset: BTreeSet<String> = BTreeSet::new();
    tagset.insert("O".into());
    let iob: Vec<Vec<Vec<String>>> = train
        .iter()
        .map(|d| d.iter().map(|s| if opt.bilou { to_bilou(&s.tags) } else { to_iob2(&s.tags) }).collect())
        .collect();
    for d in &iob {
        for s in d {
            tagset.extend(s.iter().cloned());
        }
    }
    let classes: Vec<String> = tagset.into_iter().collect();
    let train_pos = if use_pos { pos_features_for(models, &train) } else { vec![] };
    let dev_pos = if use_pos { pos_features_for(models, &dev) } else { vec![] };
    let docs: Vec<TrainDoc> = train
        .iter()
        .enumerate()
        .map(|(di, d)| {
            let (w, sents) = flatten(d);
            TrainDoc {
                words: w.iter().map(|s| s.to_string()).collect(),
                sents,
                gold: iob[di].iter().flatten().map(|t| classes.binary_search(t).unwrap_or(0) as u16).collect(),
                pos: train_pos.get(di).cloned().unwrap_or_default(),
            }
        })
        .collect();
    log(&format!("ner: {} training documents, classes {:?}", docs.len(), classes));
    let mut dev_score = |t: &Tagger| {
        let pred = tag_docs(models, Some(t), &dev, &dev_pos);
        score_docs(&dev, &pred).f1()
    };
    tagger::train(Task::Ner, classes, &docs, models.clusters.as_ref(), use_pos, gazetteer, opt, &mut dev_score, log)
}
