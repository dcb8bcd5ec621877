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
    /// The dateline opening one of the first news paragraphs ("MILAN, March 3
    /// (Reuters) -"); it is a sentence of its own.
    pub dateline: Option<DatelineAt>,
}

/// Where a document's dateline is: byte offsets into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatelineAt {
    /// The whole dateline, dash included.
    pub span: Range<usize>,
    /// The agency's name inside it, without brackets or slashes.
    pub agency: Option<Range<usize>>,
    /// Its date ("Dec. 5, 2024"), which anchors relative times when the
    /// document has no date of its own.
    pub date: Option<Range<usize>>,
}

impl Analysis {
    /// Sentences whose paragraph is news (headline or body), not furniture.
    pub fn content_sentences(&self) -> impl Iterator<Item = (usize, &Sentence)> {
        self.sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| !self.paragraphs[s.paragraph].is_furniture())
    }

    /// The tokens of sentence `si`.
    pub fn sentence_tokens(&self, si: usize) -> &[Token] {
        self.sentences.get(si).map_or(&[], |s| &self.tokens[s.tokens.clone()])
    }

    /// The headline paragraph, if the text has one.
    pub fn headline(&self) -> Option<&Paragraph> {
        self.paragraphs.iter().find(|p| p.kind == ParagraphKind::Headline)
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
    // Datelines open one of the first news paragraphs (the first line is the
    // headline only when the article has one).
    let mut news_paragraphs = 0;
    let mut dateline = None;
    for (pi, p) in paragraphs.iter().enumerate() {
        let first = tokens.len();
        tokens::tokenize_into(&text[p.start..p.end], p.start, &mut tokens);
        ranges.clear();
        let mut body = first;
        if !p.is_furniture() {
            news_paragraphs += 1;
            if news_paragraphs <= 3 && dateline.is_none() {
                if let Some(d) = layout::dateline(&text[p.start..p.end]) {
                    let cut = tokens[first..].partition_point(|t| t.start < p.start + d.len);
                    if cut > 0 && first + cut < tokens.len() {
                        ranges.push(0..cut);
                        body = first + cut;
                        dateline = Some(DatelineAt {
                            span: p.start..tokens[first + cut - 1].end,
                            agency: d.agency.map(|r| p.start + r.start..p.start + r.end),
                            date: d.date.map(|r| p.start + r.start..p.start + r.end),
                        });
                    }
                }
            }
        }
        let dateline_ranges = ranges.len();
        sentences::split_tokens(text, &tokens[body..], &mut ranges);
        for r in &mut ranges[dateline_ranges..] {
            *r = r.start + (body - first)..r.end + (body - first);
        }
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
        dateline,
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
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    /// Every span is non-empty, on char boundaries, inside the text and in
    /// order; sentences cover all tokens of their paragraph in order.
    fn check(text: &str, a: &Analysis) {
        let cb = |i: usize| i <= text.len() && text.is_char_boundary(i);
        let mut prev = 0;
        for p in &a.paragraphs {
            assert!(p.start < p.end && p.start >= prev && cb(p.start) && cb(p.end), "{p:?}");
            prev = p.end;
        }
        let mut prev = 0;
        for t in &a.tokens {
            assert!(t.start < t.end && t.start >= prev && cb(t.start) && cb(t.end), "{t:?} in {text:?}");
            prev = t.end;
        }
        let mut next_tok = 0;
        let mut prev_para = 0;
        for s in &a.sentences {
            assert_eq!(s.tokens.start, next_tok, "sentences must cover the tokens in order");
            assert!(!s.tokens.is_empty());
            assert!(s.tokens.len() <= sentences::MAX_SENTENCE_TOKENS + 8, "overlong sentence");
            next_tok = s.tokens.end;
            assert!(s.paragraph >= prev_para);
            prev_para = s.paragraph;
            let p = &a.paragraphs[s.paragraph];
            assert_eq!(s.start, a.tokens[s.tokens.start].start);
            assert_eq!(s.end, a.tokens[s.tokens.end - 1].end);
            assert!(p.start <= s.start && s.end <= p.end && cb(s.start) && cb(s.end));
        }
        assert_eq!(next_tok, a.tokens.len());
    }

    const ARTICLE: &str = "Minister admits failings over blast in capital\n\
Stay tuned with 24 News HD Android App\n\
By Jane Doe and John Roe, Reuters\n\
\n\
Interior Minister Ivan Petrov on Thursday admitted failings by the security services over the killing of Gen. Oleg Sokolov in the U.S.-backed city's centre.\r\n\
\"Our services missed these attacks. We must improve,\" Petrov told reporters at his end-of-year news conference. The app-based taxi firm said its driver was not involved.\r\n\
Read more: Blast kills general outside his home\r\
Photo: Reuters\n\
Mr. Petrov's ministry said 1,000 officers, or 3.5% of the force, would be retrained by Dec. 31... Critics weren't convinced.\n\
Advertisement\n";

    /// A wire dateline is a sentence of its own, so that the news sentence
    /// (and what is read from it) starts after the dash; the agency is kept.
    #[test]
    fn datelines_are_their_own_sentence() {
        let sentence_texts = |text: &str| -> Vec<String> {
            let a = analyze(text);
            check(text, &a);
            a.sentences.iter().map(|s| text[s.start..s.end].to_string()).collect()
        };
        let cases = [
            ("Rain floods Po valley\nMILAN, March 3 (Newswire) - Heavy rain flooded towns, officials said.", "MILAN, March 3 (Newswire) -", Some("Newswire"), Some("March 3")),
            ("Rates rise\nLONDON (AP) — The central bank raised rates.", "LONDON (AP) —", Some("AP"), None),
            ("Deal\nNEW YORK, Dec. 5, 2024 /PRNewswire/ -- Acme Corp said it would buy Widget Inc.", "NEW YORK, Dec. 5, 2024 /PRNewswire/ --", Some("PRNewswire"), Some("Dec. 5, 2024")),
            ("Vote\nKYIV, Ukraine, May 2 - Parliament voted on Friday.", "KYIV, Ukraine, May 2 -", None, Some("May 2")),
            ("Vote\nWASHINGTON — The Senate voted on Friday.", "WASHINGTON —", None, None),
        ];
        for (text, dateline, agency, date) in cases {
            let s = sentence_texts(text);
            assert_eq!(s[1], dateline, "{s:?}");
            let a = analyze(text);
            let d = a.dateline.expect("a dateline");
            assert_eq!(&text[d.span.clone()], dateline);
            assert_eq!(d.agency.map(|r| &text[r]), agency);
            assert_eq!(d.date.map(|r| &text[r]), date);
        }
        // Not datelines: a name and a dash, a caption, a dash that ends the line, a later paragraph.
        for text in [
            "Vote\nAna Ruiz - who led the party for a decade - resigned on Friday.",
            "Vote\nAna Ruiz (left) - the new minister - arrived.",
            "Vote\nMILAN -",
            "Vote\nOne.\nTwo.\nThree.\nROME (AP) - Four.",
        ] {
            let a = analyze(text);
            assert!(a.dateline.is_none(), "{text:?}: {:?}", a.dateline);
        }
    }

    #[test]
    fn analyzes_a_news_article() {
        let a = analyze(ARTICLE);
        check(ARTICLE, &a);
        let kinds: Vec<ParagraphKind> = a.paragraphs.iter().map(|p| p.kind).collect();
        use FurnitureReason::*;
        assert_eq!(kinds, [
            ParagraphKind::Headline,
            ParagraphKind::Furniture(AppPromotion),
            ParagraphKind::Furniture(Byline),
            ParagraphKind::Body,
            ParagraphKind::Body,
            ParagraphKind::Furniture(ReadMore),
            ParagraphKind::Furniture(PhotoCredit),
            ParagraphKind::Body,
            ParagraphKind::Furniture(Advertisement),
        ]);
        let content: Vec<&str> = a.content_sentences().map(|(_, s)| &ARTICLE[s.start..s.end]).collect();
        assert_eq!(content, [
            "Minister admits failings over blast in capital",
            "Interior Minister Ivan Petrov on Thursday admitted failings by the security services over the killing of Gen. Oleg Sokolov in the U.S.-backed city's centre.",
            "\"Our services missed these attacks.",
            "We must improve,\" Petrov told reporters at his end-of-year news conference.",
            "The app-based taxi firm said its driver was not involved.",
            "Mr. Petrov's ministry said 1,000 officers, or 3.5% of the force, would be retrained by Dec. 31...",
            "Critics weren't convinced.",
        ]);
        let last: Vec<&str> = a.tokens.iter().filter(|t| t.start >= ARTICLE.find("Mr. Petrov").unwrap_or(0)).map(|t| t.text(ARTICLE)).take(8).collect();
        assert_eq!(last, ["Mr.", "Petrov", "'s", "ministry", "said", "1,000", "officers", ","]);
        assert_eq!(a.headline().map(|p| &ARTICLE[p.start..p.end]), Some("Minister admits failings over blast in capital"));
        assert_eq!(a.sentence_tokens(0).len(), 7);
    }

    /// The seed article's promotional line must be set aside (skipped if the file is absent).
    #[test]
    fn seed_article_promo_line_is_furniture() {
        let Ok(text) = std::fs::read_to_string("/work/shared/seed/article.txt") else { return };
        let a = analyze(&text);
        check(&text, &a);
        let promo = a.paragraphs.iter().find(|p| text[p.start..p.end].contains("Android App"));
        assert_eq!(promo.map(|p| p.kind), Some(ParagraphKind::Furniture(FurnitureReason::AppPromotion)));
        assert_eq!(a.paragraphs[0].kind, ParagraphKind::Headline);
        assert_eq!(a.paragraphs.iter().filter(|p| p.is_furniture()).count(), 1, "only the promo line is furniture");
    }

    #[test]
    fn empty_and_blank_inputs() {
        for t in ["", " ", "\n\n", "\r\n\r", "\u{FEFF}", ".", "\"", "…", "\u{301}"] {
            check(t, &analyze(t));
        }
    }

    fn timed(name: &str, text: &str) {
        let t = Instant::now();
        let a = analyze(text);
        let el = t.elapsed();
        eprintln!("{name}: {el:?}");
        check(text, &a);
        // Generous: the machine may be loaded; quadratic behaviour would take hours here.
        assert!(el < Duration::from_secs(60), "{name}: {el:?}");
    }

    #[test]
    fn linear_time_on_pathological_inputs() {
        timed("quotes", &"\"".repeat(100_000));
        timed("curly quotes", &"“”’".repeat(50_000));
        timed("periods", &".".repeat(100_000));
        timed("spaced periods", &". ".repeat(100_000));
        timed("5 MB line", &"word ".repeat(1_000_000));
        timed("5 MB token", &"a".repeat(5_000_000));
        timed("abbreviations", &"U.S. Mr. ".repeat(50_000));
        timed("email-like", &"a+".repeat(100_000));
        timed("at signs", &"a@a.".repeat(50_000));
        timed("url parens", &format!("http://x.org/{}", ")".repeat(100_000)));
        timed("apostrophes", &format!("a{}", "'".repeat(100_000)));
        timed("combining marks", &format!("e{}", "\u{301}".repeat(100_000)));
        timed("flags", &"🇺🇦".repeat(50_000));
        timed("hyphens", &"a-".repeat(100_000));
        timed("lines", &"Read more\n".repeat(50_000));
        timed("closers", &format!("a.{}", ")".repeat(100_000)));
        timed("blank lines", &format!("a\n{}b", "\r\n".repeat(100_000)));
        timed("wrapped lines", &format!("Title\n{}", "word word\n".repeat(100_000)));
    }

    fn newsy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            any::<char>().prop_map(String::from),
            "[a-zA-Z]{1,8}",
            Just(" ".to_string()),
            Just(". ".to_string()),
            prop::sample::select(vec![
                "U.S.", "Mr.", "\"", "“", "”", "’s", "'s", "n't", "...", "…", "?!", "\n", "\r\n", "\r", "\u{85}", "\u{2029}", "-", "$", "3.5",
                "1,000", "http://a.b/c", "a@b.cc", "@x", "#y", "\u{301}", "👍🏽", "👨‍👩‍👧", "🇺🇦", "مرحبا", "\u{200D}",
                "By John Smith\n", "Read more: ", "(", ")", "'", "Photo: ", "app ",
            ])
            .prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn analyze_never_panics_and_spans_are_valid(s in any::<String>()) {
            check(&s, &analyze(&s));
        }

        #[test]
        fn analyze_newsy_strings(s in newsy()) {
            check(&s, &analyze(&s));
        }
    }

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
