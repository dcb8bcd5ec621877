//! Tokenization.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Quote,
    Url,
    Email,
    Symbol,
}

/// A token: a byte range of the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.start..self.end]
    }
}

/// Appends the tokens of `text` (which starts at byte `base` of the document) to `out`.
pub fn tokenize_into(text: &str, base: usize, out: &mut Vec<Token>) {
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(s) = word_start.take() {
            out.push(word(text, base, s, i));
        }
        if !c.is_whitespace() {
            let kind = if matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’') {
                TokenKind::Quote
            } else {
                TokenKind::Punct
            };
            out.push(Token { start: base + i, end: base + i + c.len_utf8(), kind });
        }
    }
    if let Some(s) = word_start {
        out.push(word(text, base, s, text.len()));
    }
}

fn word(text: &str, base: usize, s: usize, e: usize) -> Token {
    let kind = if text[s..e].chars().all(|c| c.is_ascii_digit()) {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    Token { start: base + s, end: base + e, kind }
}
