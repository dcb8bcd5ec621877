//! A whole document's dependency parse, indexed by token: what extractors
//! read (heads and relations of `analysis.tokens`).

use super::{ParseScratch, Parser};
use crate::nlp::Models;
use crate::text::Analysis;

/// "No head": a sentence's root, or a token that was not parsed.
const NO_HEAD: u32 = u32::MAX;

/// Heads and relations of every token of an [`Analysis`] (each sentence
/// parsed on its own; tokens of unparsed sentences have none).
#[derive(Debug, Clone, Default)]
pub struct DocParse {
    /// Per token: the token index of its head, or `NO_HEAD` (root / unparsed).
    heads: Vec<u32>,
    /// Per token: index into `labels`, or `u16::MAX` when unparsed.
    rels: Vec<u16>,
    labels: Vec<String>,
    /// Per token: [`PARTICIPLE`] and [`NOMINAL`] bits of its Penn tag.
    pos_bits: Vec<u8>,
}

/// A past participle (VBN).
const PARTICIPLE: u8 = 1;
/// A noun (NN, NNS, NNP, NNPS).
const NOMINAL: u8 = 2;

fn pos_bits(pos: &[&str]) -> Vec<u8> {
    pos.iter()
        .map(|p| {
            // A joint "UPOS XPOS" tag reads as its XPOS.
            let x = p.rsplit(' ').next().unwrap_or(p);
            if x == "VBN" {
                PARTICIPLE
            } else if x.starts_with("NN") {
                NOMINAL
            } else {
                0
            }
        })
        .collect()
}

/// Sentences longer than this are lists or junk: left unparsed (the parser
/// is linear, but nothing useful comes out of a 500-token "sentence").
const MAX_WORDS: usize = 250;

thread_local! {
    /// Each thread's parse buffers, kept across documents: with a supertag
    /// model they hold the supertagger's word cache (megabytes), which a
    /// fresh scratch per document would allocate and refill every time.
    static SCRATCH: std::cell::RefCell<ParseScratch> = std::cell::RefCell::new(ParseScratch::default());
    static BILSTM_BATCH: std::cell::RefCell<super::bilstm::Batch> = std::cell::RefCell::new(super::bilstm::Batch::default());
}

impl DocParse {
    /// Parses every sentence of `analysis` with its POS tags (`Models::tag_pos`); None without a parser.
    pub fn compute(models: &Models, text: &str, analysis: &Analysis, pos: &[&str]) -> Option<DocParse> {
        let n = analysis.tokens.len();
        let clusters = models.clusters.as_ref();
        if let Some(b) = &models.bilstm {
            let mut d = DocParse { heads: vec![NO_HEAD; n], rels: vec![u16::MAX; n], labels: b.labels().to_vec(), pos_bits: pos_bits(pos) };
            // A parser trained on joint "UPOS XPOS" tags gets them (the POS
            // tagger's classes of this document are memoized), wherever they
            // agree with the given XPOS.
            let joint: Option<Vec<&str>> = b.reads_joint_pos().then(|| models.tag_pos_joint(text, analysis)).flatten().map(|j| {
                j.iter().zip(pos).map(|(&jt, &x)| if jt.split_once(' ').is_some_and(|(_, jx)| jx == x) { jt } else { x }).collect()
            });
            let pos = joint.as_deref().unwrap_or(pos);
            BILSTM_BATCH.with(|c| {
                let mut fresh = super::bilstm::Batch::default();
                let mut held = c.try_borrow_mut();
                let batch = held.as_deref_mut().unwrap_or(&mut fresh);
                d.fill_batched(text, analysis, pos, |sentences, outs| b.parse_batch(sentences, clusters, batch, outs));
            });
            return Some(d);
        }
        let parser: &Parser = models.parser.as_ref()?;
        let mut d = DocParse { heads: vec![NO_HEAD; n], rels: vec![u16::MAX; n], labels: parser.labels.clone(), pos_bits: pos_bits(pos) };
        SCRATCH.with(|c| {
            let mut fresh = ParseScratch::default();
            let mut held = c.try_borrow_mut();
            let sc = held.as_deref_mut().unwrap_or(&mut fresh);
            d.fill(text, analysis, pos, |w, t, out| parser.parse_words(w, t, clusters, sc, out));
        });
        Some(d)
    }

    /// The token ranges of the sentences that are parsed.
    fn parsable(analysis: &Analysis) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let n = analysis.tokens.len();
        analysis.sentences.iter().map(move |s| s.tokens.start.min(n)..s.tokens.end.min(n)).filter(|r| !r.is_empty() && r.len() <= MAX_WORDS)
    }

    /// Records the arcs `out` of the sentence at token range `r`.
    fn record(&mut self, r: std::ops::Range<usize>, out: &[(u32, u16)]) {
        for (k, &(h, l)) in out.iter().enumerate() {
            let ti = r.start + k;
            self.rels[ti] = l;
            // h is 1-based within the sentence; 0 = root.
            if h > 0 && (h as usize) <= r.len() {
                self.heads[ti] = (r.start + h as usize - 1) as u32;
            }
        }
    }

    /// Like `fill`, [`super::bilstm::BATCH`] sentences at a time: `parse`
    /// gets (words, tags) per sentence and fills one arc list per sentence.
    fn fill_batched(
        &mut self,
        text: &str,
        analysis: &Analysis,
        pos: &[&str],
        mut parse: impl FnMut(&[(&[&str], &[&str])], &mut Vec<Vec<(u32, u16)>>),
    ) {
        let ranges: Vec<std::ops::Range<usize>> = Self::parsable(analysis).collect();
        let word = |ti: usize| analysis.tokens.get(ti).and_then(|t| text.get(t.start..t.end)).unwrap_or("");
        let tag = |ti: usize| pos.get(ti).copied().unwrap_or("XX");
        let mut outs = Vec::new();
        // One buffer of words and one of tags for a whole chunk, sliced per sentence.
        let mut words: Vec<&str> = Vec::new();
        let mut tags: Vec<&str> = Vec::new();
        for chunk in ranges.chunks(super::bilstm::BATCH) {
            words.clear();
            words.extend(chunk.iter().flat_map(|r| r.clone().map(word)));
            tags.clear();
            tags.extend(chunk.iter().flat_map(|r| r.clone().map(tag)));
            let mut sentences: Vec<(&[&str], &[&str])> = Vec::with_capacity(chunk.len());
            let mut at = 0;
            for r in chunk {
                sentences.push((&words[at..at + r.len()], &tags[at..at + r.len()]));
                at += r.len();
            }
            parse(&sentences, &mut outs);
            for (r, out) in chunk.iter().zip(&outs) {
                self.record(r.clone(), out);
            }
        }
    }

    /// Parses each sentence with `parse` (words, tags → 1-based heads, 0 for the root, and labels).
    fn fill(&mut self, text: &str, analysis: &Analysis, pos: &[&str], mut parse: impl FnMut(&[&str], &[&str], &mut Vec<(u32, u16)>)) {
        let mut out = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        let mut tags: Vec<&str> = Vec::new();
        for r in Self::parsable(analysis) {
            words.clear();
            tags.clear();
            for ti in r.clone() {
                let t = &analysis.tokens[ti];
                words.push(text.get(t.start..t.end).unwrap_or(""));
                tags.push(pos.get(ti).copied().unwrap_or("XX"));
            }
            parse(&words, &tags, &mut out);
            self.record(r, &out);
        }
    }

    /// A parse from 1-based heads (0: root) and labels, for tests.
    #[cfg(test)]
    pub(crate) fn from_arcs(heads: &[u32], rels: &[&str], pos: &[&str]) -> DocParse {
        let mut labels: Vec<String> = rels.iter().map(|r| r.to_string()).collect();
        labels.sort();
        labels.dedup();
        DocParse {
            heads: heads.iter().map(|&h| if h == 0 { NO_HEAD } else { h - 1 }).collect(),
            rels: rels.iter().map(|r| labels.iter().position(|l| l == r).map_or(u16::MAX, |k| k as u16)).collect(),
            labels,
            pos_bits: pos_bits(pos),
        }
    }

    /// The token heading token `t` (None for a sentence root or an unparsed token).
    pub fn head(&self, t: usize) -> Option<usize> {
        self.heads.get(t).filter(|&&h| h != NO_HEAD).map(|&h| h as usize)
    }

    /// The relation of token `t` to its head (`nsubj`, `obj`, `nsubj:pass`, `root`...); None when unparsed.
    pub fn deprel(&self, t: usize) -> Option<&str> {
        self.rels.get(t).and_then(|&l| self.labels.get(l as usize)).map(|s| s.as_str())
    }

    /// The dependents of token `t` within `range` (its sentence's tokens), in
    /// text order, with their relations.
    pub fn dependents(&self, t: usize, range: std::ops::Range<usize>) -> impl Iterator<Item = (usize, &str)> + '_ {
        let r = range.start.min(self.heads.len())..range.end.min(self.heads.len());
        r.filter(move |&k| self.heads[k] == t as u32).filter_map(move |k| self.deprel(k).map(|l| (k, l)))
    }

    /// Whether `a` is `t` or one of its descendants (walks up from `a`, at most the sentence length).
    pub fn dominated_by(&self, a: usize, t: usize) -> bool {
        let mut x = a;
        for _ in 0..=self.heads.len() {
            if x == t {
                return true;
            }
            match self.head(x) {
                Some(h) => x = h,
                None => return false,
            }
        }
        false
    }

    /// The core arguments of the predicate whose words are `trigger` (token
    /// indices, inside `sentence`): its head word is the one whose head lies
    /// outside the trigger. A verb in a `conj` or `xcomp` without its own
    /// subject takes its governor's ("shot and killed", "vowed to attack").
    pub fn core_args(&self, trigger: std::ops::Range<usize>, sentence: std::ops::Range<usize>) -> CoreArgs {
        let mut a = CoreArgs::default();
        let Some(v) = trigger.clone().find(|&t| self.deprel(t).is_some() && self.head(t).is_none_or(|h| !trigger.contains(&h))) else { return a };
        for (d, rel) in self.dependents(v, sentence.clone()) {
            match rel {
                "nsubj" if a.subject.is_none() => a.subject = Some(d),
                "nsubj:pass" if a.subject.is_none() => {
                    a.subject = Some(d);
                    a.passive = true;
                }
                "obj" if a.object.is_none() => a.object = Some(d),
                "obl:agent" if a.by_agent.is_none() => a.by_agent = Some(d),
                _ => {}
            }
        }
        if a.subject.is_none() && matches!(self.deprel(v), Some("conj" | "xcomp")) {
            if let Some(g) = self.head(v) {
                // Object control first: in "detained a man wanted for fraud", "asked him
                // to leave" the governor's object, not its subject, is the one meant.
                let obj = (self.deprel(v) == Some("xcomp")).then(|| self.dependents(g, sentence.clone()).find(|x| x.1 == "obj").map(|x| x.0)).flatten();
                if obj.is_some() {
                    a.subject = obj;
                    return a;
                }
                // "killed by a bomb planted in a scooter": a participle right after a noun,
                // with no object to control it, is that noun's reduced relative taken for a
                // complement (in EWT's trees such an xcomp has its governor's object before
                // it, 72 times in 74); the governor's subject is not its subject.
                let bit = |t: usize, b: u8| self.pos_bits.get(t).is_some_and(|&x| x & b != 0);
                if self.deprel(v) == Some("xcomp") && bit(v, PARTICIPLE) && v.checked_sub(1).is_some_and(|k| bit(k, NOMINAL)) {
                    return a;
                }
                for (d, rel) in self.dependents(g, sentence.clone()) {
                    if rel == "nsubj" || rel == "nsubj:pass" {
                        // "was arrested and charged": the shared subject is passive for both.
                        a.subject = Some(d);
                        a.passive = rel == "nsubj:pass" || self.dependents(v, sentence.clone()).any(|(_, r)| r == "aux:pass");
                        break;
                    }
                }
            }
        }
        a
    }

    /// `t` and the words that name the same thing with it: its `flat` and
    /// `appos` dependents ("Igor Kirillov", "the general, Igor Kirillov"), in
    /// text order. Not `compound`: in "EU ministers" the ministers act, not the EU.
    pub fn name_words(&self, t: usize, sentence: std::ops::Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let r = sentence.start.min(self.heads.len())..sentence.end.min(self.heads.len());
        r.filter(move |&k| {
            k == t || (self.heads[k] == t as u32 && self.deprel(k).is_some_and(|l| matches!(l.split(':').next(), Some("flat" | "appos"))))
        })
    }
}

/// Token indices of a predicate's core arguments (see [`DocParse::core_args`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoreArgs {
    /// `nsubj` or `nsubj:pass`.
    pub subject: Option<usize>,
    /// The subject is passive (`nsubj:pass`): the one the action was done to.
    pub passive: bool,
    /// `obj`.
    pub object: Option<usize>,
    /// `obl:agent`: the noun of a passive's "by" phrase.
    pub by_agent: Option<usize>,
}
