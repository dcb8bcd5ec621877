//! A fast greedy dependency parser: arc-hybrid transitions, a dynamic
//! oracle, and an averaged perceptron over hashed features (the taggers'
//! [`Linear`] weight store), reading the POS tagger's predicted XPOS.
//! Labeled with UD deprels as they appear in the training data (subtypes
//! such as `nsubj:pass` kept). See `models/README.md`, "Dependency parser".
//!
//! Library use (after [`crate::nlp::Models::bundled`]):
//! ```ignore
//! let m = Models::bundled()?;
//! // words of ONE sentence; POS tags are predicted when not given.
//! if let Some(arcs) = m.parse(&["Police", "arrested", "two", "men", "."], None) {
//!     // arcs[i] = (head, deprel) of word i: head 0 = root, else 1-based word index.
//!     assert_eq!(arcs[0], (2, "nsubj"));
//! }
//! ```

pub mod conllu;
pub mod system;
pub mod train;

use super::clusters::Clusters;
use super::hash::Fh;
use super::linear::{Linear, LinearData};
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
}

#[derive(Debug, Clone)]
pub struct Parser {
    pub linear: Linear,
    pub labels: Vec<String>,
    pub clusters_fp: u64,
    root: Option<u16>,
}

/// Reusable buffers: parsing allocates nothing per sentence once these have grown.
#[derive(Debug, Default)]
pub struct ParseScratch {
    pub state: State,
    pub toks: Vec<PTok>,
    feats: Vec<u64>,
    scores: Vec<i32>,
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
    PTok { w: t.lower, p: Fh::default().str(xpos).0, c: t.clus[1] as u64, c2: t.clus[2] as u64 }
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
        let linear = Linear::from_data(d.linear)?;
        Ok(Parser { linear, labels: d.labels, clusters_fp: d.clusters, root })
    }

    pub fn label(&self, l: u16) -> &str {
        self.labels.get(l as usize).map_or("dep", |s| s.as_str())
    }

    /// Parses one sentence given as parser tokens (`toks[0]` is the root);
    /// `out[i]` = (head, label index) of word i+1, head 0 = root.
    pub fn parse_toks(&self, toks: &[PTok], sc: &mut ParseScratch, out: &mut Vec<(u32, u16)>) {
        out.clear();
        let n = toks.len();
        if n <= 1 {
            return;
        }
        let nl = self.labels.len();
        let nc = self.linear.n_classes();
        let st = &mut sc.state;
        st.reset(n);
        // Every move shifts or pops once: 2n moves at most; the cap only guards against bugs.
        let mut budget = 2 * n + 2;
        while !st.terminal() && budget > 0 {
            budget -= 1;
            sc.feats.clear();
            st.features(toks, &mut sc.feats);
            sc.scores.clear();
            sc.scores.resize(nc, 0);
            self.linear.add_scores(&sc.feats, &mut sc.scores);
            let mut best: Option<(i32, usize)> = None;
            for (c, &s) in sc.scores.iter().enumerate() {
                if best.is_none_or(|(b, _)| s > b) && st.allowed(decode_class(c, nl), self.root) {
                    best = Some((s, c));
                }
            }
            match best {
                Some((_, c)) => st.apply(decode_class(c, nl)),
                None => break,
            }
        }
        for i in 1..n {
            let h = st.head[i];
            if h == system::NONE {
                out.push((0, self.root.unwrap_or(0)));
            } else {
                out.push((h, st.label[i].saturating_sub(1)));
            }
        }
    }

    /// Parses one sentence of words with their (predicted) XPOS tags.
    pub fn parse_words(&self, words: &[&str], xpos: &[&str], clusters: Option<&Clusters>, sc: &mut ParseScratch, out: &mut Vec<(u32, u16)>) {
        let mut toks = std::mem::take(&mut sc.toks);
        toks.clear();
        toks.push(PTok::root());
        for (i, w) in words.iter().enumerate() {
            toks.push(ptok(w, xpos.get(i).copied().unwrap_or("XX"), clusters));
        }
        self.parse_toks(&toks, sc, out);
        sc.toks = toks;
    }
}

#[cfg(test)]
mod tests;
