//! Sentence splitting over the tokens of one paragraph, in one linear pass.
//!
//! Because the tokenizer already keeps "U.S.", "Mr.", "3.5" and "W." whole,
//! a sentence can only end after a terminator token: ".", a "?"/"!"
//! cluster, an ellipsis, or an abbreviation token ending in "." (which ends
//! a sentence only before an obvious sentence starter such as "The").
//! Closing quotes and brackets glued to the terminator stay in the sentence
//! (`he said "No." Then` splits after the quote); a lowercase word after
//! the terminator keeps the sentence going (`"Why?" he asked.`).

use super::tokens::{abbrev_class, tokenize, AbbrevClass, Token, TokenKind};
use std::ops::Range;

/// Sentences longer than this many tokens are cut so that nothing
/// downstream (taggers, attribution) sees unbounded input.
pub const MAX_SENTENCE_TOKENS: usize = 1000;

/// Capitalized function words that start sentences but rarely follow an
/// abbreviation or initial inside one ("in the U.S. The …" vs "U.S. Army").
const STARTERS: &[&str] = &[
    "A",
    "After",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "But",
    "During",
    "For",
    "He",
    "Her",
    "Here",
    "His",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Meanwhile",
    "My",
    "No",
    "Now",
    "On",
    "Our",
    "She",
    "So",
    "Some",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "To",
    "We",
    "What",
    "When",
    "While",
    "Yet",
    "You",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Term {
    /// "." "?" "!" "?!"
    Stop,
    /// "..." "…"
    Ellipsis,
    Abbrev(AbbrevClass),
}

fn terminator(t: &str) -> Option<Term> {
    let b = t.as_bytes();
    match b.first()? {
        b'.' if b.len() == 1 => Some(Term::Stop),
        b'.' if b.iter().all(|&c| c == b'.') => Some(Term::Ellipsis),
        b'!' | b'?' if b.iter().all(|&c| c == b'!' || c == b'?') => Some(Term::Stop),
        _ if t == "…" => Some(Term::Ellipsis),
        _ if matches!(t, "。" | "！" | "？" | "؟" | "।") => Some(Term::Stop),
        _ if b.len() > 1 && b[b.len() - 1] == b'.' => abbrev_class(t).map(Term::Abbrev),
        _ => None,
    }
}

/// Reporting verbs that follow a quote and its speaker ("…," Smith said).
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "asked",
    "wrote",
    "tweeted",
    "explained",
    "continued",
    "insisted",
    "stated",
    "declared",
    "noted",
    "recalled",
    "replied",
    "warned",
    "argued",
];

fn is_quote_tok(t: &Token, text: &str) -> bool {
    t.kind == TokenKind::Quote && !matches!(t.text(text), "“" | "‘" | "«" | "``")
}

/// After a closing quote: up to four capitalized words (or a possessive
/// phrase, "Smith's lawyer") and then a reporting verb (`Trump said.`).
fn attribution_follows(text: &str, rest: &[Token]) -> bool {
    for (k, t) in rest.iter().take(5).enumerate() {
        let w = t.text(text);
        if REPORTING.contains(&w) {
            return k > 0;
        }
        let after_clitic = k > 0 && rest[k - 1].kind == TokenKind::Clitic;
        let ok = match t.kind {
            TokenKind::Word => w.starts_with(char::is_uppercase) || after_clitic,
            TokenKind::Clitic => k > 0,
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    false
}

/// "1", "12", "iv" — a short number that opens a paragraph as a list marker.
fn is_list_number(t: &Token) -> bool {
    t.kind == TokenKind::Number && t.len() <= 3
}

/// A closing quote or bracket that belongs to the sentence before it.
fn is_closer(t: &str) -> bool {
    matches!(
        t,
        "\"" | "'" | "''" | "”" | "’" | "»" | "›" | "」" | "』" | ")" | "]" | "}"
    )
}

/// Whether `next` (the token after a terminator and its closers) can start a new sentence.
fn starts_sentence(text: &str, next: &Token, after: Option<&Token>, strict: bool) -> bool {
    let t = next.text(text);
    let Some(c) = t.chars().next() else {
        return false;
    };
    if next.kind == TokenKind::Quote || matches!(c, '(' | '[') {
        // An opening quote or bracket: look at what it opens.
        return match after {
            Some(a) => a
                .text(text)
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || (!strict && c.is_numeric())),
            None => false,
        };
    }
    if strict {
        return c.is_uppercase();
    }
    if c.is_lowercase() || next.kind == TokenKind::Clitic {
        return false;
    }
    // Continuations: "?," or ".)" glued punctuation.
    !matches!(
        c,
        ',' | ';' | ':' | ')' | ']' | '}' | '.' | '?' | '!' | '%' | '-' | '–' | '—'
    )
}

/// Splits the tokens of one paragraph into sentences, as ranges of token
/// indices into `tokens`, which must be the paragraph's tokens (offsets into `text`).
pub fn split_tokens(text: &str, tokens: &[Token], out: &mut Vec<Range<usize>>) {
    let m = tokens.len();
    let mut start = 0;
    // Last ';' / ',' / ':' in the current sentence, for cutting overlong ones.
    let mut soft: Option<usize> = None;
    let mut i = 0;
    while i < m {
        let tok = &tokens[i];
        let t = tok.text(text);
        if tok.kind == TokenKind::Punct && matches!(t, ";" | "," | ":" | "—" | "–") {
            soft = Some(i);
        }
        if let Some(term) = terminator(t) {
            // Closers glued to the terminator (no space) stay in this sentence.
            let mut j = i + 1;
            // (At most a few, so a run of brackets cannot make a sentence unbounded.)
            while j < m
                && j < i + 8
                && tokens[j].start == tokens[j - 1].end
                && is_closer(tokens[j].text(text))
            {
                j += 1;
            }
            let split = match tokens.get(j) {
                None => true,
                // "1. Fireworks fly" — a list number, not a sentence.
                Some(_)
                    if term == Term::Stop && i == start + 1 && is_list_number(&tokens[start]) =>
                {
                    false
                }
                // `"… missing." Trump said.` — the quote's attribution follows.
                Some(_)
                    if j > i + 1
                        && is_quote_tok(&tokens[j - 1], text)
                        && attribution_follows(text, &tokens[j..]) =>
                {
                    false
                }
                Some(next) => {
                    let after = tokens.get(j + 1);
                    match term {
                        Term::Stop => starts_sentence(text, next, after, false),
                        Term::Ellipsis => starts_sentence(text, next, after, true),
                        Term::Abbrev(AbbrevClass::Title) => false,
                        Term::Abbrev(_) => {
                            STARTERS.contains(&next.text(text))
                                || (next.kind == TokenKind::Quote
                                    && starts_sentence(text, next, after, true))
                        }
                    }
                }
            };
            if split {
                out.push(start..j);
                start = j;
                soft = None;
                i = j;
                continue;
            }
        }
        if i + 1 - start >= MAX_SENTENCE_TOKENS {
            // Cut at the last soft punctuation in the second half, else here.
            let cut = match soft {
                Some(s) if s + 1 - start > MAX_SENTENCE_TOKENS / 2 => s + 1,
                _ => i + 1,
            };
            out.push(start..cut);
            start = cut;
            soft = None;
            i = cut;
            continue;
        }
        i += 1;
    }
    if start < m {
        out.push(start..m);
    }
}

/// Byte ranges of the sentences of `text` (relative to it), from the
/// first to the last token of each.
pub fn split(text: &str) -> Vec<(usize, usize)> {
    let tokens = tokenize(text);
    let mut ranges = Vec::new();
    split_tokens(text, &tokens, &mut ranges);
    ranges
        .into_iter()
        .map(|r| (tokens[r.start].start, tokens[r.end - 1].end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn plain_sentences() {
        assert_eq!(
            sents("The blast killed two. Police arrived! Was it planned? Nobody knows"),
            [
                "The blast killed two.",
                "Police arrived!",
                "Was it planned?",
                "Nobody knows"
            ]
        );
        assert_eq!(sents("  "), Vec::<&str>::new());
        assert_eq!(
            sents("Prices rose 5%. 15 people died."),
            ["Prices rose 5%.", "15 people died."]
        );
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            sents("Mr. Smith met Mrs. Jones and Dr. Lee. Gen. Ivanov, Lt. Col. Petrov, Sen. Warren, Gov. Hochul and Rep. Pelosi spoke."),
            ["Mr. Smith met Mrs. Jones and Dr. Lee.", "Gen. Ivanov, Lt. Col. Petrov, Sen. Warren, Gov. Hochul and Rep. Pelosi spoke."]
        );
        assert_eq!(
            sents("He moved to St. Petersburg on Jan. 5 and left on Feb. 2, Aug. 3, Sept. 9 or Dec. 1. She stayed."),
            ["He moved to St. Petersburg on Jan. 5 and left on Feb. 2, Aug. 3, Sept. 9 or Dec. 1.", "She stayed."]
        );
        assert_eq!(
            sents("Acme Inc. and Foo Corp. sued Bar Ltd. and Baz Co. over apples vs. oranges, pears etc. on Tuesday."),
            ["Acme Inc. and Foo Corp. sued Bar Ltd. and Baz Co. over apples vs. oranges, pears etc. on Tuesday."]
        );
        assert_eq!(
            sents("The U.S. Army, the U.K. government and the U.N. Security Council met at 9 a.m. Monday and No. 10 said so."),
            ["The U.S. Army, the U.K. government and the U.N. Security Council met at 9 a.m. Monday and No. 10 said so."]
        );
        assert_eq!(
            sents("Troops left the U.S. The war ended. Shares of Acme Inc. However fell."),
            [
                "Troops left the U.S.",
                "The war ended.",
                "Shares of Acme Inc.",
                "However fell."
            ]
        );
        // "St." is a saint before a name, a street at the end of a sentence.
        assert_eq!(
            sents("He lives on Main St. The house is old. St. Petersburg is far."),
            [
                "He lives on Main St.",
                "The house is old.",
                "St. Petersburg is far."
            ]
        );
    }

    #[test]
    fn initials_and_decimals() {
        assert_eq!(
            sents("J. R. R. Tolkien met George W. Bush. Growth was 3.5 percent. It was plan B. The end."),
            ["J. R. R. Tolkien met George W. Bush.", "Growth was 3.5 percent.", "It was plan B.", "The end."]
        );
    }

    #[test]
    fn ellipses_split_only_before_capitals() {
        assert_eq!(
            sents("He paused... and went on. Wait… Then he left."),
            ["He paused... and went on.", "Wait…", "Then he left."]
        );
        assert_eq!(sents("It was... 2024 again."), ["It was... 2024 again."]);
    }

    #[test]
    fn quotes_end_with_their_sentence() {
        assert_eq!(
            sents("He said \"No.\" Then he left."),
            ["He said \"No.\"", "Then he left."]
        );
        assert_eq!(
            sents("\"We will win,\" he said."),
            ["\"We will win,\" he said."]
        );
        assert_eq!(
            sents("“Why?” he asked. “Because.” She left."),
            ["“Why?” he asked.", "“Because.”", "She left."]
        );
        assert_eq!(
            sents("It was (he said) over. (Really.) Yes."),
            ["It was (he said) over.", "(Really.)", "Yes."]
        );
        assert_eq!(
            sents("He called it \"terrorism\". Kyiv denied it."),
            ["He called it \"terrorism\".", "Kyiv denied it."]
        );
        assert_eq!(
            sents("Stop. \"Now,\" he said."),
            ["Stop.", "\"Now,\" he said."]
        );
    }

    #[test]
    fn list_numbers_and_trailing_attributions() {
        assert_eq!(
            sents("1. Fireworks fly in debate. 2. Rivals regroup."),
            ["1. Fireworks fly in debate.", "2. Rivals regroup."]
        );
        assert_eq!(
            sents("“We will find them.” Interior Minister Petrov said. “No.” Then he left."),
            [
                "“We will find them.” Interior Minister Petrov said.",
                "“No.”",
                "Then he left."
            ]
        );
        assert_eq!(
            sents("\"It is over.\" Smith's lawyer told reporters."),
            ["\"It is over.\" Smith's lawyer told reporters."]
        );
        assert_eq!(
            sents("\"It is over.\" Smith left the court."),
            ["\"It is over.\"", "Smith left the court."]
        );
    }

    #[test]
    fn punctuation_clusters() {
        assert_eq!(
            sents("Really?! Yes!!! Fine?"),
            ["Really?!", "Yes!!!", "Fine?"]
        );
    }

    #[test]
    fn overlong_sentences_are_cut() {
        let text = "word ".repeat(2500);
        let s = split(&text);
        assert_eq!(s.len(), 3);
        let toks = tokenize(&text);
        let mut ranges = Vec::new();
        split_tokens(&text, &toks, &mut ranges);
        assert!(ranges.iter().all(|r| r.len() <= MAX_SENTENCE_TOKENS));
        // Prefers a comma in the second half.
        let text = format!("{}, {}", "a ".repeat(700), "b ".repeat(700));
        let toks = tokenize(&text);
        let mut ranges = Vec::new();
        split_tokens(&text, &toks, &mut ranges);
        assert_eq!(ranges[0], 0..701);
    }
}
