//! Text: loading articles, their layout (headline, paragraphs, page
//! furniture), sentences and tokens. The original text is never changed;
//! everything here points into it with byte offsets, and [`CharMap`]
//! turns those into the code-point offsets of the contract.

pub mod layout;
pub mod load;
pub mod sentences;
pub mod tokens;

use chrono::NaiveDate;
use std::ops::Range;

pub use layout::{FurnitureReason, Paragraph, ParagraphKind};
pub use load::{load_inputs, InputSpec};
pub use tokens::{Token, TokenKind};

/// One article as given: `text` is kept byte for byte.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub date: Option<NaiveDate>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Where the document came from (a path, `-`, or `path:line`), for messages.
    pub origin: String,
}

/// A sentence: a byte range of the text and the range of its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
    /// Index into [`Analysis::paragraphs`].
    pub paragraph: usize,
}

/// A document split into layout, sentences and tokens (byte offsets).
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
}

impl Analysis {
    /// Sentences whose paragraph is news (headline or body), not furniture.
    pub fn content_sentences(&self) -> impl Iterator<Item = (usize, &Sentence)> {
        self.sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| !self.paragraphs[s.paragraph].is_furniture())
    }
}

/// Lays out, sentence-splits and tokenizes `text`: paragraphs at line
/// breaks, tokens per paragraph, sentences over the tokens (never across
/// paragraphs). Linear in the length of the text.
pub fn analyze(text: &str) -> Analysis {
    let paragraphs = layout::paragraphs(text);
    // About one token per five bytes of news text.
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut sentences = Vec::with_capacity(text.len() / 100 + 1);
    let mut ranges = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        let first = tokens.len();
        tokens::tokenize_into(&text[p.start..p.end], p.start, &mut tokens);
        ranges.clear();
        sentences::split_tokens(text, &tokens[first..], &mut ranges);
        for r in &ranges {
            let (a, b) = (first + r.start, first + r.end);
            sentences.push(Sentence {
                start: tokens[a].start,
                end: tokens[b - 1].end,
                tokens: a..b,
                paragraph: pi,
            });
        }
    }
    Analysis {
        paragraphs,
        sentences,
        tokens,
    }
}

/// Byte offset → code-point offset, for texts with non-ASCII characters.
/// ASCII-only texts (most news) need no table at all.
#[derive(Debug, Clone)]
pub struct CharMap {
    /// Byte offsets of every non-ASCII character start, sorted; empty for ASCII text.
    wide: Vec<(usize, usize)>,
}

impl CharMap {
    pub fn new(text: &str) -> CharMap {
        let mut wide = Vec::new();
        if !text.is_ascii() {
            // (byte offset just after a multi-byte char, extra bytes so far)
            let mut extra = 0usize;
            for (b, c) in text.char_indices() {
                let n = c.len_utf8();
                if n > 1 {
                    extra += n - 1;
                    wide.push((b + n, extra));
                }
            }
        }
        CharMap { wide }
    }

    /// The code-point offset of byte offset `byte` (a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        if self.wide.is_empty() {
            return byte;
        }
        // Count extra bytes of all wide chars that end at or before `byte`.
        let i = self.wide.partition_point(|&(end, _)| end <= byte);
        if i == 0 {
            byte
        } else {
            byte - self.wide[i - 1].1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_map_counts_code_points() {
        let text = "Zoë said “hi” 👍 ok";
        let map = CharMap::new(text);
        for (ci, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(map.char_offset(b), ci, "byte {b}");
        }
        assert_eq!(map.char_offset(text.len()), text.chars().count());
    }
}
