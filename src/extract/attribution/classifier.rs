//! The cue classifier: an averaged perceptron that decides, for a word the
//! lexicon knows as a possible cue, whether this occurrence is one — from
//! the word, its learned precision and its context (neighbouring words,
//! quote marks, capitalised or pronoun subjects, "that" after it).
//! Trained by `newsgraph train cues` next to the lexicon.

use super::brat::GoldDocument;
use super::lexicon::Lexicon;
use crate::text::{analyze, Analysis, Token, TokenKind};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::LazyLock;

#[derive(Debug, Default)]
pub struct CueModel {
    weights: HashMap<String, f32>,
}

/// A word is a candidate when the lexicon saw it in at least this many cues.
pub const MIN_CANDIDATE_COUNT: u32 = 2;
/// ... and its learned precision is at least this (keeps "to", "about" out).
pub const MIN_CANDIDATE_PRECISION: f32 = 0.1;

impl CueModel {
    /// Parses `feature\tweight` lines; `#` lines are comments.
    pub fn parse(tsv: &str) -> CueModel {
        let mut weights = HashMap::new();
        for line in tsv.lines() {
            if line.starts_with('#') {
                continue;
            }
            if let Some((f, w)) = line.rsplit_once('\t') {
                if let Ok(w) = w.parse::<f32>() {
                    weights.insert(f.to_string(), w);
                }
            }
        }
        CueModel { weights }
    }

    /// The model shipped in the binary (None when the file is empty).
    pub fn bundled() -> Option<&'static CueModel> {
        static M: LazyLock<CueModel> = LazyLock::new(|| {
            CueModel::parse(include_str!("../../../data/attribution/cue_model.tsv"))
        });
        (!M.weights.is_empty()).then_some(&*M)
    }

    /// The score of candidate token `i` (positive: a cue).
    pub fn score(
        &self,
        f: &mut Features,
        text: &str,
        toks: &[Token],
        range: (usize, usize),
        i: usize,
        lex: &Lexicon,
    ) -> f32 {
        let mut s = 0.0;
        f.visit(text, toks, range, i, lex, &mut |k| {
            s += self.weights.get(k).copied().unwrap_or(0.0)
        });
        s
    }
}

/// Reusable buffers for feature strings: no allocation per token once warm.
#[derive(Default)]
pub struct Features {
    buf: String,
    low: String,
}

fn shape(text: &str, toks: &[Token], k: Option<usize>) -> &'static str {
    let Some(t) = k.and_then(|k| toks.get(k)) else {
        return "BOS";
    };
    let w = t.text(text);
    match t.kind {
        TokenKind::Quote => "Q",
        TokenKind::Punct => match w {
            "," => ",",
            "." | "!" | "?" => ".",
            ":" => ":",
            _ => "P",
        },
        TokenKind::Number => "N",
        _ => {
            if ["he", "she", "they", "it", "we", "i", "you", "who"]
                .iter()
                .any(|p| w.eq_ignore_ascii_case(p))
            {
                "PRO"
            } else if w.chars().next().is_some_and(char::is_uppercase) {
                "Cap"
            } else {
                "w"
            }
        }
    }
}

impl Features {
    /// Calls `emit` with every feature of candidate token `i` in sentence `range`.
    #[allow(clippy::too_many_arguments)]
    pub fn visit(
        &mut self,
        text: &str,
        toks: &[Token],
        (a, b): (usize, usize),
        i: usize,
        lex: &Lexicon,
        emit: &mut dyn FnMut(&str),
    ) {
        let Features { buf, low } = self;
        // A bounded window: constant work per candidate in endless sentences.
        let (a, b) = (a.max(i.saturating_sub(40)), b.min(i + 40));
        low.clear();
        low.extend(toks[i].text(text).chars().flat_map(char::to_lowercase));
        let at = |k: isize| -> Option<usize> {
            let k = i as isize + k;
            (k >= a as isize && k < b as isize).then_some(k as usize)
        };
        let lw = |k: Option<usize>, out: &mut String| match k {
            Some(k) => out.extend(toks[k].text(text).chars().flat_map(char::to_lowercase)),
            None => out.push_str("<s>"),
        };
        emit("bias");
        let push = |buf: &mut String, parts: &[&str]| {
            buf.clear();
            for p in parts {
                buf.push_str(p);
            }
        };
        push(buf, &["w=", low]);
        emit(buf);
        let p = lex.get(low).map_or(0.0, |s| s.precision);
        let bucket = ((p * 10.0).floor() as usize).min(9);
        const B: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        push(buf, &["p=", B[bucket]]);
        emit(buf);
        for (name, off) in [("p1=", -1isize), ("n1=", 1), ("p2=", -2), ("n2=", 2)] {
            buf.clear();
            buf.push_str(name);
            lw(at(off), buf);
            emit(buf);
        }
        for (name, off) in [("sp1=", -1isize), ("sn1=", 1), ("sp2=", -2), ("sn2=", 2)] {
            push(buf, &[name, shape(text, toks, at(off))]);
            emit(buf);
        }
        // word + neighbour shapes
        push(buf, &["w|sp1=", low, "|", shape(text, toks, at(-1))]);
        emit(buf);
        push(buf, &["w|sn1=", low, "|", shape(text, toks, at(1))]);
        emit(buf);
        buf.clear();
        buf.push_str("w|n1=");
        buf.push_str(low);
        buf.push('|');
        lw(at(1), buf);
        emit(buf);
        buf.clear();
        buf.push_str("p1|w=");
        lw(at(-1), buf);
        buf.push('|');
        buf.push_str(low);
        emit(buf);
        // A quote mark within three tokens either side.
        let near_q =
            |r: std::ops::Range<isize>| r.filter_map(at).any(|k| toks[k].kind == TokenKind::Quote);
        if near_q(-3..0) {
            emit("qleft");
        }
        if near_q(1..4) {
            emit("qright");
        }
        let glued = |k: usize| {
            k > 0
                && k + 1 < toks.len()
                && toks[k - 1].end == toks[k].start
                && toks[k].end == toks[k + 1].start
        };
        if (a..b).any(|k| toks[k].kind == TokenKind::Quote && !glued(k)) {
            emit("sent_has_quote");
        }
        if (i + 1..b.min(i + 8)).any(|k| toks[k].text(text).eq_ignore_ascii_case("that")) {
            emit("that_after");
        }
        let suffix = if low.ends_with("ed") {
            "ed"
        } else if low.ends_with("ing") {
            "ing"
        } else if low.ends_with('s') {
            "s"
        } else {
            "-"
        };
        push(buf, &["suf=", suffix]);
        emit(buf);
        if i == a {
            emit("first");
        }
        if at(1).is_none() || at(1).is_some_and(|k| matches!(toks[k].text(text), "." | "!" | "?")) {
            emit("last");
        }
    }
}

/// Every candidate of a document: (sentence range, token index).
pub fn candidates(
    text: &str,
    an: &Analysis,
    lex: &Lexicon,
    mut f: impl FnMut((usize, usize), usize),
) {
    let mut low = String::new();
    // Words inside quotes are never cue candidates at run time; leave them out here too.
    let qs = super::quotes::find(text, &an.paragraphs);
    let mut qi = 0;
    for (_, (a, b)) in super::units(text, an) {
        for i in a..b {
            let t = &an.tokens[i];
            while qi < qs.len() && qs[qi].end <= t.start {
                qi += 1;
            }
            if t.kind != TokenKind::Word
                || qs
                    .get(qi)
                    .is_some_and(|q| q.start <= t.start && t.end <= q.end)
            {
                continue;
            }
            low.clear();
            low.extend(t.text(text).chars().flat_map(char::to_lowercase));
            if lex.get(&low).is_some_and(|e| {
                e.n_cue >= MIN_CANDIDATE_COUNT && e.precision >= MIN_CANDIDATE_PRECISION
            }) && !super::is_one_of(&low, super::FUNCTION_WORDS)
            {
                f((a, b), i);
            }
        }
    }
}

/// Trains the averaged perceptron on gold documents (deterministic: fixed
/// document order, no shuffling) and returns the model TSV, sorted by feature.
pub fn train(docs: &[GoldDocument], lex: &Lexicon, epochs: usize) -> String {
    // Examples: feature lists and labels.
    let mut examples: Vec<(Vec<u32>, bool)> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut feats = Features::default();
    // Precision features come from lexicons learned on the other folds, so
    // the model sees them as noisy as they are on unseen text.
    const FOLDS: usize = 5;
    let fold_lex = super::lexicon::fold_lexicons(docs, FOLDS, 1);
    let _ = lex;
    for (di, d) in docs.iter().enumerate() {
        let lex = &fold_lex[di % FOLDS];
        let text = d.text.as_str();
        let an = analyze(text);
        candidates(text, &an, lex, |range, i| {
            let t = &an.tokens[i];
            let label = d.cues.iter().any(|c| c.start <= t.start && t.end <= c.end);
            let mut v = Vec::new();
            feats.visit(text, &an.tokens, range, i, lex, &mut |k| {
                let id = match ids.get(k) {
                    Some(&id) => id,
                    None => {
                        let id = names.len() as u32;
                        names.push(k.to_string());
                        ids.insert(k.to_string(), id);
                        id
                    }
                };
                v.push(id);
            });
            examples.push((v, label));
        });
    }
    let n = names.len();
    let (mut w, mut total, mut stamp) = (vec![0f64; n], vec![0f64; n], vec![0u64; n]);
    let mut c: u64 = 1;
    for _ in 0..epochs {
        for (v, y) in &examples {
            let s: f64 = v.iter().map(|&k| w[k as usize]).sum();
            let pred = s > 0.0;
            if pred != *y {
                let delta = if *y { 1.0 } else { -1.0 };
                for &k in v {
                    let k = k as usize;
                    total[k] += (c - stamp[k]) as f64 * w[k];
                    stamp[k] = c;
                    w[k] += delta;
                }
            }
            c += 1;
        }
    }
    let mut out: BTreeMap<&str, f64> = BTreeMap::new();
    for k in 0..n {
        total[k] += (c - stamp[k]) as f64 * w[k];
        let avg = total[k] / c as f64;
        if avg.abs() > 1e-4 {
            out.insert(names[k].as_str(), avg);
        }
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# newsgraph cue classifier (averaged perceptron, {epochs} epochs, {} candidates from {} documents), by `newsgraph train cues`.\n# feature\tweight",
        examples.len(),
        docs.len()
    );
    for (k, v) in out {
        let _ = writeln!(s, "{k}\t{v:.5}");
    }
    s
}
