//! Direct-quote regions: the spans between double quote marks, straight or
//! curly, that may run over several paragraphs the way news prints them (a
//! paragraph that opens a quote and does not close it continues in the next
//! paragraph when that one opens with a quote mark). Single quotes are left
//! alone: they are apostrophes or quotes inside quotes.

use crate::text::Paragraph;

/// The longest quote we accept, in bytes: an unbalanced quote mark must
/// never swallow the rest of an article.
pub const MAX_QUOTE_BYTES: usize = 4000;
/// The most paragraphs one quote may run over.
pub const MAX_QUOTE_PARAGRAPHS: usize = 6;

/// A quote: byte range from the opening mark to just after the closing
/// mark (or to the end of the paragraph where an unclosed quote stops).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteRegion {
    pub start: usize,
    pub end: usize,
    /// False when no closing mark was found (the region stops at a paragraph end).
    pub closed: bool,
}

fn is_open_curly(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}
fn is_close_curly(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// The end of the sentence that starts before `from`: just after the first
/// `.`, `!` or `?` followed by a space, or `limit`.
fn sentence_end(text: &str, from: usize, limit: usize) -> usize {
    let b = text.as_bytes();
    let mut i = from + 1;
    while i < limit {
        if matches!(b[i], b'.' | b'!' | b'?') && (i + 1 == limit || b[i + 1] == b' ') {
            return i + 1;
        }
        i += 1;
    }
    limit
}

/// Whether the straight quote mark at byte `mark`, met while the quote
/// opened at `open` is still open, is the opening mark of the next
/// paragraph of that quote in text whose paragraphs were joined on one line
/// (`… about this. "I think …`): it follows a finished sentence and a
/// space, and a word follows it without a space. A closing mark stands
/// against the word before it instead.
fn opens_next_paragraph(text: &str, open: usize, mark: usize) -> bool {
    if mark - open > MAX_QUOTE_BYTES {
        return false;
    }
    let (Some(before), Some(after)) = (text.get(..mark), text.get(mark + 1..)) else {
        return false;
    };
    let word_follows = after
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '\'' || c == '‘');
    let trimmed = before.trim_end_matches([' ', '\t']);
    let spaced = trimmed.len() < before.len();
    spaced
        && word_follows
        && trimmed.len() > open + 1
        && trimmed.ends_with(['.', '!', '?', '…'])
}

/// Quote regions of `text`, in order, never overlapping.
pub fn find(text: &str, paragraphs: &[Paragraph]) -> Vec<QuoteRegion> {
    let mut out = Vec::new();
    // (start byte, paragraphs so far) of the quote being read.
    let mut open: Option<(usize, usize)> = None;
    // Paragraphs of the open quote joined on one line so far (see
    // `opens_next_paragraph`), bounded like real ones: junk such as
    // `said. "a said. "a …` must not chain into long quotes.
    let mut joined = 0;
    for (pi, p) in paragraphs.iter().enumerate() {
        if p.is_furniture() {
            open = None;
            continue;
        }
        let para = &text[p.start..p.end];
        let mut chars = para.char_indices().peekable();
        if let Some((s, n)) = open {
            // A continued quote: the next paragraph must open with a quote mark.
            match chars.peek() {
                Some(&(_, c)) if c == '"' || is_open_curly(c) || para.starts_with("''") => {
                    chars.next();
                    if para.starts_with("''") {
                        chars.next();
                    }
                    open = Some((s, n + 1));
                }
                _ => {
                    // Not continued: the quote stops at the end of the last paragraph.
                    open = None;
                }
            }
        }
        while let Some((i, c)) = chars.next() {
            let b = p.start + i;
            // Two apostrophes are a straight double quote (the NYT archive's style).
            let double_apos = c == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'');
            if c == '"' || double_apos {
                let len = if double_apos {
                    chars.next();
                    2
                } else {
                    1
                };
                match open {
                    None => {
                        open = Some((b, 1));
                        joined = 0;
                    }
                    Some((s, _)) if !double_apos && joined < MAX_QUOTE_PARAGRAPHS && opens_next_paragraph(text, s, b) => {
                        // Paragraphs run together on one line: the mark
                        // continues the open quote, as a paragraph-opening
                        // mark does above.
                        joined += 1;
                    }
                    Some((s, _)) => {
                        out.push(QuoteRegion {
                            start: s,
                            end: b + len,
                            closed: true,
                        });
                        open = None;
                    }
                }
            } else if is_open_curly(c) {
                if open.is_none() {
                    open = Some((b, 1));
                    joined = 0;
                }
            } else if is_close_curly(c) {
                if let Some((s, _)) = open {
                    out.push(QuoteRegion {
                        start: s,
                        end: b + c.len_utf8(),
                        closed: true,
                    });
                    open = None;
                }
            }
        }
        if let Some((s, n)) = open {
            let next_opens = paragraphs
                .get(pi + 1)
                .filter(|q| !q.is_furniture())
                .map(|q| &text[q.start..q.end])
                .is_some_and(|t| {
                    t.starts_with('"')
                        || t.starts_with("''")
                        || t.chars().next().is_some_and(is_open_curly)
                });
            let too_long = p.end - s > MAX_QUOTE_BYTES || n >= MAX_QUOTE_PARAGRAPHS;
            if !next_opens || too_long || pi + 1 == paragraphs.len() {
                // Unbalanced (or endless): bounded by its first sentence when it
                // began in this paragraph, else by this paragraph; never over the cap.
                let mut end = if n == 1 {
                    sentence_end(text, s, p.end)
                } else {
                    p.end
                };
                if end - s > MAX_QUOTE_BYTES {
                    end = s + MAX_QUOTE_BYTES;
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                }
                out.push(QuoteRegion {
                    start: s,
                    end,
                    closed: false,
                });
                open = None;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::layout::paragraphs;

    fn regions(text: &str) -> Vec<&str> {
        find(text, &paragraphs(text))
            .iter()
            .map(|q| &text[q.start..q.end])
            .collect()
    }

    #[test]
    fn straight_and_curly() {
        let t = "Head\nHe said \"we won\" and “they lost.” Then 'fine'.";
        assert_eq!(regions(t), vec!["\"we won\"", "“they lost.”"]);
    }

    #[test]
    fn continues_over_paragraphs() {
        let t = "Head\n“We will rebuild the bridge.\n“It will take two years,” the mayor said.";
        assert_eq!(
            regions(t),
            vec!["“We will rebuild the bridge.\n“It will take two years,”"]
        );
    }

    #[test]
    fn unbalanced_stops_at_paragraph() {
        let t = "Head\nShe said \"this never ends.\nNext paragraph has no quote.\nAnother one.";
        assert_eq!(regions(t), vec!["\"this never ends."]);
    }

    #[test]
    fn double_apostrophes_are_quotes() {
        let t = "Head\n''We won,'' he said. It's ''fine''.";
        assert_eq!(regions(t), vec!["''We won,''", "''fine''"]);
    }

    #[test]
    fn inner_single_quotes_stay_inside() {
        let t = "Head\n“He told me ‘never again’ and left,” she said.";
        assert_eq!(regions(t), vec!["“He told me ‘never again’ and left,”"]);
    }

    #[test]
    fn paragraphs_joined_on_one_line_continue_the_quote() {
        let t = "Head\nShe was angry. \"I am upset about it. \"I think we deserve an apology. This is wrong.\" Then she left. \"Fine,\" he said.";
        assert_eq!(
            regions(t),
            vec![
                "\"I am upset about it. \"I think we deserve an apology. This is wrong.\"",
                "\"Fine,\""
            ]
        );
    }

    #[test]
    fn joined_paragraphs_are_bounded_like_real_ones() {
        let t = format!("Head\n{}b.\" he said.", "He said. \"a ".repeat(40));
        let longest = regions(&t).iter().map(|r| r.len()).max().unwrap_or(0);
        // at most MAX_QUOTE_PARAGRAPHS continuations of 12 bytes each, plus the opening
        assert!(longest <= 12 * (MAX_QUOTE_PARAGRAPHS + 1) + 1, "{longest}");
    }

    #[test]
    fn a_closing_mark_against_its_word_still_closes() {
        // The mark after "it." closes; the next one after a space opens.
        let t = "Head\n\"We won it.\" \"Next year too,\" he said.";
        assert_eq!(regions(t), vec!["\"We won it.\"", "\"Next year too,\""]);
        // Without a finished sentence before it, a spaced mark closes.
        let t = "Head\nHe called it \"a disgrace \"and left.";
        assert_eq!(regions(t), vec!["\"a disgrace \""]);
    }
}
