//! Readers for CoNLL-2003 column files and CoNLL-U, and entity scoring
//! with conlleval semantics.

use std::collections::BTreeMap;

/// A sentence of a CoNLL column file: tokens and the last column (the tag).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConllSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// Documents (split at -DOCSTART-) of sentences.
pub fn read_conll(text: &str) -> Vec<Vec<ConllSentence>> {
    let mut docs: Vec<Vec<ConllSentence>> = vec![vec![]];
    let mut cur = ConllSentence::default();
    for line in text.lines() {
        let mut cols = line.split_whitespace();
        let Some(first) = cols.next() else {
            if !cur.words.is_empty() {
                if let Some(d) = docs.last_mut() {
                    d.push(std::mem::take(&mut cur));
                }
            }
            continue;
        };
        if first == "-DOCSTART-" {
            if !cur.words.is_empty() {
                if let Some(d) = docs.last_mut() {
                    d.push(std::mem::take(&mut cur));
                }
            }
            if docs.last().is_some_and(|d| !d.is_empty()) {
                docs.push(vec![]);
            }
            continue;
        }
        let last = line.split_whitespace().last().unwrap_or("O");
        cur.words.push(first.to_string());
        cur.tags.push(last.to_string());
    }
    if !cur.words.is_empty() {
        if let Some(d) = docs.last_mut() {
            d.push(cur);
        }
    }
    docs.retain(|d| !d.is_empty());
    docs
}

/// A CoNLL-U sentence: word forms with UPOS and XPOS (multiword ranges and empty nodes skipped).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UdSentence {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
}

/// The words of CoNLL-U sentences with their tags: the parser's reader
/// ([`crate::nlp::parser::conllu::read_trees_min`]), keeping only lines with
/// at least the five columns up to XPOS.
pub fn read_conllu(text: &str) -> Vec<UdSentence> {
    crate::nlp::parser::conllu::read_trees_min(text, 5).into_iter().map(|t| UdSentence { words: t.words, upos: t.upos, xpos: t.xpos }).collect()
}

/// (type, start, end) of every entity in a tag sequence, IOB1 or IOB2, as conlleval reads them.
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut typ: Option<&str> = None;
    for i in 0..=tags.len() {
        let t = if i < tags.len() { tags[i].as_ref() } else { "O" };
        let (pre, ty) = match t.split_once('-') {
            Some((p, y)) => (p, y),
            None => (t, ""),
        };
        let begins = pre == "B" || (pre == "I" && Some(ty) != typ);
        if let Some(cur) = typ {
            if t == "O" || begins || (pre != "B" && pre != "I") {
                out.push((cur.to_string(), start, i));
                typ = None;
            }
        }
        if (pre == "B" || pre == "I") && (begins || typ.is_none()) {
            start = i;
            typ = Some(ty);
        }
    }
    out
}

/// Counts of gold, predicted and correct entities per type.
#[derive(Debug, Default, Clone)]
pub struct NerScore {
    pub by_type: BTreeMap<String, (usize, usize, usize)>,
}

impl NerScore {
    pub fn add<S: AsRef<str>, T: AsRef<str>>(&mut self, gold: &[S], pred: &[T]) {
        let g = chunks(gold);
        let p = chunks(pred);
        for e in &g {
            self.by_type.entry(e.0.clone()).or_default().0 += 1;
        }
        for e in &p {
            self.by_type.entry(e.0.clone()).or_default().1 += 1;
            if g.contains(e) {
                self.by_type.entry(e.0.clone()).or_default().2 += 1;
            }
        }
    }

    pub fn prf(g: usize, p: usize, c: usize) -> (f64, f64, f64) {
        crate::score::prf(c, p, g)
    }

    pub fn total(&self) -> (usize, usize, usize) {
        self.by_type.values().fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    }

    pub fn f1(&self) -> f64 {
        let (g, p, c) = self.total();
        Self::prf(g, p, c).2
    }

    /// The table conll_score.py prints.
    pub fn table(&self) -> String {
        let mut s = format!("{:<8}{:>8}{:>8}{:>8}{:>7}{:>7}\n", "type", "P", "R", "F1", "gold", "pred");
        for (t, &(g, p, c)) in &self.by_type {
            let (a, b, f) = Self::prf(g, p, c);
            s += &format!("{t:<8}{a:8.2}{b:8.2}{f:8.2}{g:7}{p:7}\n");
        }
        let (g, p, c) = self.total();
        let (a, b, f) = Self::prf(g, p, c);
        s += &format!("{:<8}{a:8.2}{b:8.2}{f:8.2}{g:7}{p:7}\n", "ALL");
        s += &format!("NER F1: {f:.2}\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_follow_conlleval() {
        let t = ["B-PER", "I-PER", "O", "I-LOC", "I-ORG", "B-ORG", "I-ORG"];
        assert_eq!(
            chunks(&t),
            vec![
                ("PER".to_string(), 0, 2),
                ("LOC".to_string(), 3, 4),
                ("ORG".to_string(), 4, 5),
                ("ORG".to_string(), 5, 7)
            ]
        );
    }

    #[test]
    fn reads_documents_and_sentences() {
        let text = "-DOCSTART- -X- O O\n\nAnna NNP B-PER\nsang VBD O\n\nHi UH O\n-DOCSTART- -X- O O\n\nOslo NNP B-LOC\n";
        let docs = read_conll(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].len(), 2);
        assert_eq!(docs[1][0].tags, vec!["B-LOC"]);
    }
}
