//! CoNLL-U trees for training and scoring, and `parse --conllu`: rewriting
//! a CoNLL-U file with predicted UPOS, XPOS, HEAD and DEPREL.

use super::bilstm::Ensemble;
use crate::nlp::Models;

/// A sentence's syntactic words (multiword token lines and empty nodes skipped).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tree {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
    /// Head of each word: 0 = root, else 1-based; `u32::MAX` when unreadable.
    pub head: Vec<u32>,
    pub deprel: Vec<String>,
}

impl Tree {
    /// Whether every word has a head inside the sentence.
    pub fn well_formed(&self) -> bool {
        let n = self.words.len() as u32;
        self.head.iter().all(|&h| h <= n)
    }
}

/// Word lines have an integer ID (no `-` range, no `.` empty node).
fn word_line(cols: &[&str]) -> bool {
    cols.len() >= 2 && !cols[0].is_empty() && cols[0].bytes().all(|b| b.is_ascii_digit())
}

/// The sentences of CoNLL-U text (missing columns read as `_`).
pub fn read_trees(text: &str) -> Vec<Tree> {
    read_trees_min(text, 2)
}

/// [`read_trees`], skipping word lines with fewer than `min_cols` columns.
pub fn read_trees_min(text: &str, min_cols: usize) -> Vec<Tree> {
    let mut out = Vec::new();
    let mut cur = Tree::default();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if !word_line(&cols) || cols.len() < min_cols {
            continue;
        }
        let col = |i: usize| cols.get(i).copied().unwrap_or("_");
        cur.words.push(col(1).to_string());
        cur.upos.push(col(3).to_string());
        cur.xpos.push(col(4).to_string());
        cur.head.push(col(6).parse().unwrap_or(u32::MAX));
        cur.deprel.push(col(7).to_string());
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    out
}

/// Rewrites CoNLL-U text with predicted UPOS, XPOS, HEAD and DEPREL on every
/// word line; comments, multiword token lines, empty nodes and all other
/// columns are kept. Lines with fewer than 10 columns are padded with `_`.
/// Without a parser (or POS model) the columns it cannot predict are left as they are.
pub fn parse_conllu(models: &Models, text: &str) -> String {
    parse_conllu_with(models, text, None)
}

/// [`parse_conllu`], with `ensemble` (when given) in place of the models' parser.
pub fn parse_conllu_with(models: &Models, text: &str, mut ensemble: Option<&mut Ensemble>) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut sc = super::ParseScratch::default();
    let mut bilstm_sc = super::bilstm::Scratch::default();
    let mut arcs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        // One block: lines up to the next blank line.
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[start..i];
        let words: Vec<(usize, Vec<&str>)> = block
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                let cols: Vec<&str> = l.trim_end_matches(['\n', '\r']).split('\t').collect();
                word_line(&cols).then_some((k, cols))
            })
            .collect();
        let forms: Vec<&str> = words.iter().map(|(_, c)| c[1]).collect();
        let tags = models.tag_sentence(&forms);
        // Without a POS model, the file's own XPOS column is the parser's input.
        let xpos: Vec<&str> = match &tags {
            Some(t) => t.iter().map(|x| x.1).collect(),
            None => words.iter().map(|(_, c)| c.get(4).copied().unwrap_or("_")).collect(),
        };
        let joint_of = |t: &[(&str, &str)]| -> Vec<String> { t.iter().map(|(u, x)| format!("{u} {x}")).collect() };
        // The ensemble when given, else the BiLSTM parser when loaded, else the linear one.
        let parsed = if let Some(e) = ensemble.as_deref_mut() {
            let joint: Option<Vec<String>> = tags.as_deref().filter(|_| e.first().reads_joint_pos()).map(joint_of);
            let joint: Option<Vec<&str>> = joint.as_ref().map(|j| j.iter().map(|s| s.as_str()).collect());
            e.parse_words(&forms, joint.as_deref().unwrap_or(&xpos), models.clusters.as_ref(), &mut arcs);
            true
        } else if let Some(b) = &models.bilstm {
            let joint: Option<Vec<String>> = tags.as_deref().filter(|_| b.reads_joint_pos()).map(joint_of);
            let joint: Option<Vec<&str>> = joint.as_ref().map(|j| j.iter().map(|s| s.as_str()).collect());
            b.parse_words(&forms, joint.as_deref().unwrap_or(&xpos), models.clusters.as_ref(), &mut bilstm_sc, &mut arcs);
            true
        } else if let Some(p) = &models.parser {
            p.parse_words(&forms, &xpos, models.clusters.as_ref(), &mut sc, &mut arcs);
            true
        } else {
            false
        };
        let mut w = 0;
        for (k, l) in block.iter().enumerate() {
            if w < words.len() && words[w].0 == k {
                let mut cols: Vec<&str> = words[w].1.clone();
                while cols.len() < 10 {
                    cols.push("_");
                }
                let head;
                if let Some(t) = &tags {
                    cols[3] = t[w].0;
                    cols[4] = t[w].1;
                }
                if parsed {
                    if let Some(&(h, lab)) = arcs.get(w) {
                        head = h.to_string();
                        cols[6] = &head;
                        cols[7] = match (&ensemble, &models.bilstm, &models.parser) {
                            (Some(e), _, _) => e.first().label(lab),
                            (None, Some(b), _) => b.label(lab),
                            (None, None, Some(p)) => p.label(lab),
                            (None, None, None) => "_",
                        };
                    }
                }
                out.push_str(&cols.join("\t"));
                out.push_str(if l.ends_with("\r\n") { "\r\n" } else { "\n" });
                w += 1;
            } else {
                out.push_str(l);
                if !l.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        // The blank separator lines, as they were.
        while i < lines.len() && lines[i].trim().is_empty() {
            out.push_str(lines[i]);
            i += 1;
        }
    }
    out
}

/// Plain text as CoNLL-U word lines for [`parse_conllu`]: newsgraph's own
/// sentences and tokens (what `build --parse` parses), each sentence with
/// `# sent_id` and `# text` comments and `SpaceAfter=No` where no space
/// follows a token. Empty sentences are skipped.
pub fn text_to_conllu(text: &str) -> String {
    let a = crate::text::analyze(text);
    let mut out = String::with_capacity(text.len() * 3);
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    for k in 0..a.sentences.len() {
        let toks = a.sentence_tokens(k);
        let (Some(first), Some(last)) = (toks.first(), toks.last()) else { continue };
        out.push_str(&format!("# sent_id = {}\n# text = {}\n", k + 1, clean(text.get(first.start..last.end).unwrap_or("")).trim()));
        for (i, t) in toks.iter().enumerate() {
            let form = clean(text.get(t.start..t.end).unwrap_or("_"));
            let glued = toks.get(i + 1).is_some_and(|n| n.start == t.end);
            out.push_str(&format!("{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}\n", i + 1, if form.is_empty() { "_" } else { &form }, if glued { "SpaceAfter=No" } else { "_" }));
        }
        out.push('\n');
    }
    out
}

/// Attachment scores; punctuation included, as the CoNLL 2018 scorer counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Attachment {
    pub words: usize,
    pub heads: usize,
    /// Head and full deprel (with subtype) right.
    pub labeled: usize,
    /// Head and the universal part of the deprel right (what conll18_ud_eval.py's LAS compares).
    pub labeled_base: usize,
}

impl Attachment {
    pub fn add(&mut self, gold_head: u32, gold_rel: &str, head: u32, rel: &str) {
        self.words += 1;
        if gold_head == head {
            self.heads += 1;
            if gold_rel == rel {
                self.labeled += 1;
            }
            let base = |r: &str| r.split(':').next().unwrap_or("").to_string();
            if base(gold_rel) == base(rel) {
                self.labeled_base += 1;
            }
        }
    }
    fn pct(&self, x: usize) -> f64 {
        100.0 * x as f64 / self.words.max(1) as f64
    }
    pub fn uas(&self) -> f64 {
        self.pct(self.heads)
    }
    pub fn las(&self) -> f64 {
        self.pct(self.labeled)
    }
    pub fn las_base(&self) -> f64 {
        self.pct(self.labeled_base)
    }
}
