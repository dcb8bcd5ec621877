//! Training and scoring the trigger classifier on TimeML files.

use super::model::{self, Example, Rng, Trainer, TriggerModel, WordClasses, UPOS};
use crate::extract::timeml::{self, TimeMlDoc};
pub use crate::score::{matching, prf};
use super::Detector;
use crate::nlp::Models;
use crate::text::{self, Analysis};
use std::path::PathBuf;

/// The `.tml` files under the given directories (recursively), sorted, parsed.
pub fn load_dirs(dirs: &[PathBuf]) -> crate::Result<Vec<(String, TimeMlDoc)>> {
    let mut files = Vec::new();
    for d in dirs {
        // A file named outright is read whatever its extension.
        if d.is_file() {
            files.push(d.clone());
        } else {
            files.extend(text::load::files_with_extension(d, "tml")?);
        }
    }
    files.sort();
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let name = f.display().to_string();
        let xml = std::fs::read_to_string(&f).map_err(|source| crate::Error::Read { input: name.clone(), source })?;
        out.push((name, timeml::parse(&xml)));
    }
    Ok(out)
}

/// Training sentences of one document: every sentence (furniture too, so no label is lost).
fn examples(det: &Detector, wc: &WordClasses, models: &Models, doc: &TimeMlDoc, out: &mut Vec<Example>) -> bool {
    let a = text::analyze(&doc.text);
    let pos = models.tag_pos(&doc.text, &a);
    let mut infos = Vec::new();
    for s in &a.sentences {
        infos.clear();
        let mut gold = Vec::new();
        for ti in s.tokens.clone() {
            let t = a.tokens[ti];
            let p = pos.as_ref().and_then(|p| p.get(ti).copied());
            infos.push(model::tok_info(t.text(&doc.text), p, &det.lexicon, Some(wc)));
            let g = doc.events.iter().find(|e| e.start < t.end && t.start < e.end);
            gold.push(g.map_or(0, |e| model::class_index(&e.class)));
        }
        let feats = (0..infos.len())
            .map(|i| {
                let mut f = Vec::with_capacity(32);
                model::features(&infos, i, &mut f);
                f
            })
            .collect();
        out.push(Example { feats, gold });
    }
    pos.is_some()
}

/// Trigger span scores, TempEval-3 style (one-to-one greedy matching).
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    pub gold: usize,
    pub pred: usize,
    pub strict: usize,
    pub relaxed: usize,
    /// Gold events outside the content sentences (in page furniture), out of reach.
    pub outside: usize,
}

impl Scores {
    pub fn strict_prf(&self) -> (f64, f64, f64) {
        prf(self.strict, self.pred, self.gold)
    }
    pub fn relaxed_prf(&self) -> (f64, f64, f64) {
        prf(self.relaxed, self.pred, self.gold)
    }
}

/// Scores the detector's triggers (as the pipeline finds them) against gold EVENTs.
pub fn evaluate(det: &Detector, models: &Models, docs: &[(String, TimeMlDoc)], analyses: &[Analysis]) -> Scores {
    evaluate_with_errors(det, models, docs, analyses, None)
}

/// As [`evaluate`], also collecting missed (`-word`) and spurious (`+word`) triggers.
pub fn evaluate_with_errors(
    det: &Detector,
    models: &Models,
    docs: &[(String, TimeMlDoc)],
    analyses: &[Analysis],
    mut errors: Option<&mut std::collections::BTreeMap<String, usize>>,
) -> Scores {
    let mut s = Scores::default();
    for ((_, d), a) in docs.iter().zip(analyses) {
        let pos = models.tag_pos(&d.text, a);
        let trig = det.document_triggers(&d.text, a, pos.as_deref());
        let pred: Vec<(usize, usize)> = trig.iter().map(|t| (a.tokens[t.start].start, a.tokens[t.end - 1].end)).collect();
        let gold: Vec<(usize, usize)> = d.events.iter().map(|e| (e.start, e.end)).collect();
        let content: Vec<(usize, usize)> = a.content_sentences().map(|(_, x)| (x.start, x.end)).collect();
        s.outside += gold.iter().filter(|g| !content.iter().any(|c| c.0 <= g.0 && g.1 <= c.1)).count();
        s.gold += gold.len();
        s.pred += pred.len();
        s.strict += matching(&gold, &pred, true).len();
        s.relaxed += matching(&gold, &pred, false).len();
        if let Some(errs) = errors.as_deref_mut() {
            for g in &gold {
                if !pred.iter().any(|p| g.0 < p.1 && p.0 < g.1) {
                    *errs.entry(format!("-{}", d.text[g.0..g.1].to_lowercase())).or_default() += 1;
                }
            }
            for p in &pred {
                if !gold.iter().any(|g| g.0 < p.1 && p.0 < g.1) {
                    *errs.entry(format!("+{}", d.text[p.0..p.1].to_lowercase())).or_default() += 1;
                }
            }
        }
    }
    s
}

pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
    pub min_count: u32,
    /// Perceptrons averaged into the model (each on its own shuffle).
    pub bags: usize,
}

/// Trains on `train`, picks the epoch and decision threshold with the best
/// relaxed F1 on `dev` (when given). `log` receives one line per epoch.
pub fn train(
    models: &Models,
    train: &[(String, TimeMlDoc)],
    dev: &[(String, TimeMlDoc)],
    opts: &TrainOptions,
    wc: &WordClasses,
    mut log: impl FnMut(&str),
) -> TriggerModel {
    let lexicon_only = Detector { lexicon: super::lexicon::Lexicon::bundled(), model: None };
    let mut data = Vec::new();
    let mut uses_pos = false;
    for (_, d) in train {
        uses_pos |= examples(&lexicon_only, wc, models, d, &mut data);
    }
    // Several perceptrons on different shuffles of the same data; the model is their mean.
    let bags = opts.bags.max(1);
    let mut trainers: Vec<(Trainer, Vec<usize>, Rng)> = (0..bags as u64)
        .map(|b| {
            let mut tr = Trainer::new();
            tr.register(&data);
            (tr, (0..data.len()).collect(), Rng::new(opts.seed.wrapping_add(b * 7919)))
        })
        .collect();
    let dev_an: Vec<Analysis> = dev.iter().map(|(_, d)| text::analyze(&d.text)).collect();
    let mut best: Option<(f64, Vec<(u64, [f32; model::K])>, f32)> = None;
    let mut det = Detector { lexicon: super::lexicon::Lexicon::bundled(), model: None };
    let mut last = Vec::new();
    for ep in 1..=opts.epochs {
        let mut errors = 0;
        let mut parts = Vec::with_capacity(bags);
        for (tr, order, rng) in &mut trainers {
            rng.shuffle(order);
            errors += tr.epoch(&data, order);
            parts.push(tr.averaged_weights(opts.min_count));
        }
        let weights = model::mean_weights(&parts);
        if dev.is_empty() {
            log(&format!("epoch {ep}: {errors} training errors"));
            last = weights;
            continue;
        }
        let mut m = TriggerModel::from_weights(weights.clone(), 0.0, uses_pos);
        m.word_classes = wc.clone();
        det.model = Some(m);
        let mut line = format!("epoch {ep}: {errors} training errors; dev relaxed F1 by threshold:");
        for th in THRESHOLDS {
            if let Some(m) = det.model.as_mut() {
                m.threshold = th;
            }
            let f = evaluate(&det, models, dev, &dev_an).relaxed_prf().2;
            line.push_str(&format!(" {th}:{f:.2}"));
            if best.as_ref().is_none_or(|(bf, _, _)| f > *bf) {
                best = Some((f, weights.clone(), th));
            }
        }
        log(&line);
        last = weights;
    }
    let (f, weights, th) = best.unwrap_or((0.0, last, 0.0));
    let mut m = TriggerModel::from_weights(weights, th, uses_pos);
    m.word_classes = wc.clone();
    if !dev.is_empty() {
        log(&format!("kept: dev relaxed F1 {f:.2}, threshold {th}, {} features", m.len()));
    }
    m
}

/// Decision thresholds tried on the dev split (margin of the best event class over "O").
const THRESHOLDS: [f32; 14] = [-26.0, -24.0, -22.0, -20.0, -18.0, -16.0, -14.0, -12.0, -10.0, -8.0, -6.0, -4.0, -2.0, 0.0];

/// Coarse UPOS of a Penn Treebank tag (for CoNLL-2003's POS column).
fn ptb_to_upos(t: &str) -> &'static str {
    match t {
        _ if t.starts_with("VB") => "VERB",
        _ if t.starts_with("NNP") => "PROPN",
        _ if t.starts_with("NN") => "NOUN",
        _ if t.starts_with("JJ") => "ADJ",
        _ if t.starts_with("RB") => "ADV",
        _ if t.starts_with("PRP") || t == "WP" => "PRON",
        "MD" => "AUX",
        "IN" => "ADP",
        "DT" | "PDT" | "WDT" => "DET",
        "CC" => "CCONJ",
        "CD" => "NUM",
        "TO" | "RP" | "POS" => "PART",
        "UH" => "INTJ",
        _ if t.chars().all(|c| !c.is_alphanumeric()) => "PUNCT",
        _ => "X",
    }
}

/// Word-class lexicon from tagged corpora: CoNLL-U files (UPOS column) and
/// CoNLL-2003 column files (PTB POS in the second column). For each word,
/// the set of tags seen and the most frequent one.
pub fn word_classes(files: &[PathBuf]) -> crate::Result<WordClasses> {
    use std::collections::HashMap;
    let mut counts: HashMap<u64, [u32; 17]> = HashMap::new();
    for f in files {
        let name = f.display().to_string();
        let data = std::fs::read_to_string(f).map_err(|source| crate::Error::Read { input: name, source })?;
        let conllu = f.extension().is_some_and(|x| x == "conllu");
        for line in data.lines() {
            if line.is_empty() || line.starts_with('#') || line.starts_with("-DOCSTART-") {
                continue;
            }
            let (form, tag) = if conllu {
                let c: Vec<&str> = line.split('\t').collect();
                if c.len() < 4 || c[0].contains(['-', '.']) {
                    continue;
                }
                (c[1], c[3])
            } else {
                let c: Vec<&str> = line.split_whitespace().collect();
                if c.len() < 2 {
                    continue;
                }
                (c[0], ptb_to_upos(c[1]))
            };
            if let Some(ti) = UPOS.iter().position(|u| *u == tag) {
                counts.entry(model::lower_hash(form)).or_insert([0; 17])[ti] += 1;
            }
        }
    }
    Ok(counts
        .into_iter()
        .map(|(k, c)| {
            let mut mask = 0u32;
            let mut best = 0;
            for (i, &n) in c.iter().enumerate() {
                // A tag seen once among many is noise, not ambiguity.
                let total: u32 = c.iter().sum();
                if n > 0 && (n * 20 >= total || n >= 3) {
                    mask |= 1 << i;
                }
                if n > c[best] {
                    best = i;
                }
            }
            (k, (mask, best as u8 + 1))
        })
        .collect())
}
