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
    /// One sentence: its lines, and the columns of its word lines (with the line's index in the block).
    struct Block<'t> {
        lines: std::ops::Range<usize>,
        words: Vec<(usize, Vec<&'t str>)>,
        /// The word lines' forms.
        forms: Vec<&'t str>,
        /// POS classes of the words (None without a POS model).
        classes: Option<Vec<u16>>,
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut blocks: Vec<Block> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        // One block: lines up to the next blank line; the blank lines after it stay as they are.
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let words: Vec<(usize, Vec<&str>)> = lines[start..i]
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                let cols: Vec<&str> = l.trim_end_matches(['\n', '\r']).split('\t').collect();
                word_line(&cols).then_some((k, cols))
            })
            .collect();
        let forms: Vec<&str> = words.iter().map(|(_, c)| c[1]).collect();
        let classes = crate::nlp::with_scratch(|sc| models.pos_classes(&forms, std::slice::from_ref(&(0..forms.len())), sc));
        blocks.push(Block { lines: start..i, words, forms, classes });
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
    }
    // The parser's tag input per block: joint "UPOS XPOS" for a parser trained on them, else XPOS;
    // without a POS model, the file's own XPOS column.
    let joint = match (&ensemble, &models.bilstm) {
        (Some(e), _) => e.first().reads_joint_pos(),
        (None, Some(b)) => b.reads_joint_pos(),
        (None, None) => false,
    };
    fn input_tags<'a>(models: &'a Models, joint: bool, b: &Block<'a>) -> Vec<&'a str> {
        match &b.classes {
            Some(c) if joint => c.iter().map(|&k| models.pos_joint_name(k)).collect(),
            Some(c) => c.iter().map(|&k| models.pos_names(k).1).collect(),
            None => b.words.iter().map(|(_, c)| c.get(4).copied().unwrap_or("_")).collect(),
        }
    }
    // The ensemble when given, else the BiLSTM parser when loaded (16 sentences side by side), else the linear one.
    let mut arcs: Vec<Vec<(u32, u16)>> = Vec::with_capacity(blocks.len());
    let clusters = models.clusters.as_ref();
    if let Some(e) = ensemble.as_deref_mut() {
        for b in &blocks {
            let mut out = Vec::new();
            e.parse_words(&b.forms, &input_tags(models, joint, b), clusters, &mut out);
            arcs.push(out);
        }
    } else if let Some(p) = &models.bilstm {
        let mut batch = super::bilstm::Batch::default();
        let mut outs = Vec::new();
        for chunk in blocks.chunks(super::bilstm::BATCH) {
            let tags: Vec<Vec<&str>> = chunk.iter().map(|b| input_tags(models, joint, b)).collect();
            let sentences: Vec<(&[&str], &[&str])> = chunk.iter().zip(&tags).map(|(b, t)| (b.forms.as_slice(), t.as_slice())).collect();
            p.parse_batch(&sentences, clusters, &mut batch, &mut outs);
            arcs.extend(outs.iter().take(chunk.len()).cloned());
        }
    } else if let Some(p) = &models.parser {
        let mut sc = super::ParseScratch::default();
        for b in &blocks {
            let mut out = Vec::new();
            p.parse_words(&b.forms, &input_tags(models, joint, b), clusters, &mut sc, &mut out);
            arcs.push(out);
        }
    }
    let label = |lab: u16| match (&ensemble, &models.bilstm, &models.parser) {
        (Some(e), _, _) => e.first().label(lab),
        (None, Some(b), _) => b.label(lab),
        (None, None, Some(p)) => p.label(lab),
        (None, None, None) => "_",
    };
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (bi, b) in blocks.iter().enumerate() {
        let mut w = 0;
        for (k, l) in lines[b.lines.clone()].iter().enumerate() {
            if w < b.words.len() && b.words[w].0 == k {
                let mut cols: Vec<&str> = b.words[w].1.clone();
                while cols.len() < 10 {
                    cols.push("_");
                }
                let head;
                if let Some(c) = &b.classes {
                    (cols[3], cols[4]) = models.pos_names(c[w]);
                }
                if let Some(&(h, lab)) = arcs.get(bi).and_then(|a| a.get(w)) {
                    head = h.to_string();
                    cols[6] = &head;
                    cols[7] = label(lab);
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
        let until = blocks.get(bi + 1).map_or(lines.len(), |n| n.lines.start);
        for l in &lines[b.lines.end..until] {
            out.push_str(l);
        }
    }
    out
}

/// How much CoNLL-U text [`write_parsed_conllu`] parses at a time.
pub const PART_BYTES: usize = 1 << 20;

/// [`parse_conllu_with`] a part of `text` at a time (parts of about
/// `part_bytes`, each ending after a blank line), each part's output
/// written to `out` when it is done: the memory the parse needs is a
/// part's, not the whole file's, and the bytes written are the same.
pub fn write_parsed_conllu(
    models: &Models,
    text: &str,
    mut ensemble: Option<&mut Ensemble>,
    part_bytes: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut start = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        at += line.len();
        if at - start >= part_bytes && line.trim().is_empty() {
            out.write_all(parse_conllu_with(models, &text[start..at], ensemble.as_deref_mut()).as_bytes())?;
            start = at;
        }
    }
    if start < text.len() {
        out.write_all(parse_conllu_with(models, &text[start..], ensemble.as_deref_mut()).as_bytes())?;
    }
    Ok(())
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
