//! The attribution cue lexicon: how often each word (and word pair) is part
//! of an annotated cue when it appears in news text. Learned from PolNeAR
//! train by `newsgraph train cues`; a small hand list is the fall-back for
//! words the corpus never saw.

use super::brat::GoldDocument;
use crate::text::{analyze, TokenKind};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::LazyLock;

/// Statistics of one cue word or word pair (lower case, pair joined by a space).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CueStats {
    /// Occurrences inside an annotated cue.
    pub n_cue: u32,
    /// Occurrences in the training text.
    pub n_text: u32,
    /// Smoothed precision: how likely an occurrence is (part of) a cue.
    pub precision: f32,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    /// Looked up for every word (and word pair) of every document: a fast
    /// multiply-rotate hash instead of SipHash (never iterated, so the
    /// hasher cannot change any output).
    entries: HashMap<String, CueStats, crate::extract::events::model::FastHash>,
}

/// Reporting verbs and nouns used when the learned file lacks them.
const HAND: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "telling",
    "stated",
    "states",
    "added",
    "adds",
    "adding",
    "claimed",
    "claims",
    "claiming",
    "alleged",
    "alleges",
    "denied",
    "denies",
    "denying",
    "warned",
    "warns",
    "warning",
    "announced",
    "announces",
    "accused",
    "accuses",
    "insisted",
    "insists",
    "explained",
    "noted",
    "notes",
    "argued",
    "argues",
    "wrote",
    "writes",
    "tweeted",
    "declared",
    "stressed",
    "acknowledged",
    "admitted",
    "confirmed",
    "confirms",
    "reported",
    "reports",
    "according",
    "asserted",
    "suggested",
    "maintained",
    "replied",
    "responded",
    "revealed",
    "vowed",
    "pledged",
    "promised",
];

impl Lexicon {
    /// Parses the TSV written by [`train`]: `cue lemma n_cue n_text precision`.
    /// Lines starting with `#` and malformed lines are skipped.
    pub fn parse(tsv: &str) -> Lexicon {
        let mut entries = HashMap::default();
        for line in tsv.lines() {
            if line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 5 {
                continue;
            }
            let (Ok(n_cue), Ok(n_text), Ok(precision)) = (f[2].parse(), f[3].parse(), f[4].parse())
            else {
                continue;
            };
            entries.insert(
                f[0].to_string(),
                CueStats {
                    n_cue,
                    n_text,
                    precision,
                },
            );
        }
        for w in HAND {
            entries.entry((*w).to_string()).or_insert(CueStats {
                n_cue: 5,
                n_text: 10,
                precision: 0.5,
            });
        }
        Lexicon { entries }
    }

    /// The lexicon shipped in the binary.
    pub fn bundled() -> &'static Lexicon {
        static LEX: LazyLock<Lexicon> =
            LazyLock::new(|| Lexicon::parse(include_str!("../../../data/attribution/cues.tsv")));
        &LEX
    }

    /// Statistics of a lower-case word or "w1 w2" pair.
    pub fn get(&self, key: &str) -> Option<&CueStats> {
        self.entries.get(key)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A rough lemma for reporting verbs ("claimed" → "claim", "says" → "say"),
/// enough to group the lexicon and to pick a modality; not a morphology.
pub fn crude_lemma(w: &str) -> &str {
    match w {
        "said" | "says" | "saying" => return "say",
        "told" | "tells" | "telling" => return "tell",
        "wrote" | "writes" | "writing" | "written" => return "write",
        "thought" | "thinks" | "thinking" => return "think",
        "felt" | "feels" => return "feel",
        "knew" | "knows" | "known" => return "know",
        "saw" | "sees" | "seen" => return "see",
        "denied" | "denies" => return "deny",
        "replied" | "replies" => return "reply",
        "noted" | "notes" | "noting" => return "note",
        _ => {}
    }
    for suf in ["ing", "ed", "es", "s"] {
        if let Some(stem) = w.strip_suffix(suf) {
            if stem.len() >= 3 {
                return stem;
            }
        }
    }
    w
}

/// One lexicon per fold, each learned from the other folds' documents
/// (document `i` is in fold `i % folds`), so that a model trained on lexicon
/// features sees them as noisy as they are on unseen text.
pub fn fold_lexicons(docs: &[GoldDocument], folds: usize, min_count: u32) -> Vec<Lexicon> {
    (0..folds)
        .map(|f| {
            let others: Vec<GoldDocument> = docs.iter().enumerate().filter(|(i, _)| i % folds != f).map(|(_, d)| d.clone()).collect();
            Lexicon::parse(&train(&others, min_count))
        })
        .collect()
}

/// Counts cue words and pairs over gold documents and writes the lexicon
/// TSV (deterministic: sorted by key). Words seen in a cue fewer than
/// `min_count` times are left out.
pub fn train(docs: &[GoldDocument], min_count: u32) -> String {
    let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
    let mut lower = String::new();
    let mut prev = String::new();
    for d in docs {
        let text = d.text.as_str();
        let an = analyze(text);
        // Which cue (index) each token falls in, by a sweep over sorted cues.
        let cues = &d.cues;
        for s in &an.sentences {
            let mut prev_cue: Option<usize> = None;
            prev.clear();
            for t in &an.tokens[s.tokens.clone()] {
                let in_cue = cues
                    .iter()
                    .position(|c| c.start <= t.start && t.end <= c.end);
                if t.kind != TokenKind::Word {
                    prev.clear();
                    prev_cue = None;
                    continue;
                }
                lower.clear();
                lower.extend(t.text(text).chars().flat_map(char::to_lowercase));
                let e = counts.entry(lower.clone()).or_default();
                e.1 += 1;
                if in_cue.is_some() {
                    e.0 += 1;
                }
                if !prev.is_empty() {
                    let key = format!("{prev} {lower}");
                    let e = counts.entry(key).or_default();
                    e.1 += 1;
                    if in_cue.is_some() && in_cue == prev_cue {
                        e.0 += 1;
                    }
                }
                prev.clone_from(&lower);
                prev_cue = in_cue;
            }
        }
    }
    let sorted: BTreeMap<&String, &(u32, u32)> =
        counts.iter().filter(|(_, c)| c.0 >= min_count).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# newsgraph attribution cue lexicon, learned by `newsgraph train cues` from {} annotated documents.\n\
         # cue\tlemma\tn_cue\tn_text\tprecision  (precision = n_cue / (n_text + 1): how often an occurrence is part of a cue)",
        docs.len()
    );
    for (k, (n_cue, n_text)) in sorted {
        let lemma = if k.contains(' ') {
            k.as_str()
        } else {
            crude_lemma(k)
        };
        let p = *n_cue as f64 / (*n_text as f64 + 1.0);
        let _ = writeln!(out, "{k}\t{lemma}\t{n_cue}\t{n_text}\t{p:.4}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::attribution::brat::parse_ann;

    #[test]
    fn learns_precision_of_cue_words() {
        let text = "Smith said it rained. Jones said it snowed. The said rain fell.".to_string();
        let ann = "T1\tCue 6 10\tsaid\nT2\tCue 28 32\tsaid\n";
        let d = parse_ann("x".into(), text, ann);
        let tsv = train(&[d], 1);
        let lex = Lexicon::parse(&tsv);
        let s = lex.get("said").copied();
        assert_eq!(s.map(|s| (s.n_cue, s.n_text)), Some((2, 3)));
        assert!(lex.get("rained").is_none());
    }

    #[test]
    fn lemma_groups_forms() {
        assert_eq!(crude_lemma("claimed"), "claim");
        assert_eq!(crude_lemma("says"), "say");
        assert_eq!(crude_lemma("warning"), "warn");
    }
}
