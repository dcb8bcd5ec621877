//! Tokenization: a single linear pass over the text that produces byte
//! ranges (no per-token allocation), PTB-like for English news.
//!
//! Rules, in the order the scanner tries them at a token start:
//! URLs, e-mail addresses, @handles and #hashtags stay whole; words keep
//! internal hyphens ("high-profile", "2024-12-17"), apostrophes that are
//! not clitics ("O'Brien") and dotted abbreviations ("U.S.", "a.m.");
//! clitics are split off ("Putin" "'s", "do" "n't"); numbers keep their
//! separators ("1,000", "3.5", "9/11", "10:30") and unit suffixes
//! ("1990s", "5.2bn"); currency signs and "%" are their own tokens;
//! quotes (straight, curly, guillemets, `` and '') are `Quote` tokens.
//!
//! Non-ASCII text: combining marks, ZWJ and emoji modifiers stay with the
//! character before them (grapheme clusters from unicode-segmentation);
//! emoji and other symbols are one token per grapheme cluster; words in
//! scripts without spaces are split at UAX #29 word boundaries.

use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Quote,
    Url,
    Email,
    Symbol,
    /// `@name`
    Handle,
    /// `#topic`
    Hashtag,
    /// A clitic split off a word: `'s`, `n't`, `'re`, `'ve`, `'ll`, `'d`,
    /// `'m` (straight or curly apostrophe), or the possessive `'` of "analysts'".
    Clitic,
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

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// How an abbreviation token (ending in '.') behaves at a sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevClass {
    /// Titles and the like ("Mr.", "Gen.", "No.", "vs."): a name or
    /// number always follows, so never a sentence end.
    Title,
    /// A single capital ("W."): an initial unless a sentence obviously starts.
    Initial,
    /// "U.S.", "Inc.", "etc.", "Dec.", "St.": may end a sentence.
    Other,
}

/// Titles: always followed by something, never end a sentence.
const TITLES: &[&str] = &[
    "Adm", "Brig", "Capt", "Cmdr", "Col", "Cpl", "Det", "Dr", "Drs", "Fr", "Ft", "Gen", "Gov",
    "Hon", "Insp", "Lt", "Maj", "Messrs", "Mlle", "Mme", "Mr", "Mrs", "Ms", "Msgr", "Mt", "No",
    "Nos", "Pres", "Prof", "Pvt", "Rep", "Reps", "Rev", "Sen", "Sens", "Sgt", "Supt", "Vol", "cf",
    "vs", "Vs", "v",
];

/// Abbreviations that may also end a sentence (months, company suffixes,
/// AP-style US state abbreviations, "etc.").
const OTHER_ABBREVS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Inc",
    "Corp", "Ltd", "Co", "Bros", "Jr", "Sr", "Plc", "Ave", "Blvd", "Rd", "St", "Dept", "Univ",
    "Assn", "etc", "al", "approx", "est", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del",
    "Fla", "Ga", "Ill", "Ind", "Kan", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo",
    "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Tenn", "Vt", "Va", "Wash", "Wis", "Wyo",
];

/// Which abbreviation `word` (without its final '.') is, if any.
fn abbrev_of(word: &str) -> Option<AbbrevClass> {
    if TITLES.contains(&word) {
        return Some(AbbrevClass::Title);
    }
    if OTHER_ABBREVS.contains(&word) {
        return Some(AbbrevClass::Other);
    }
    None
}

/// The abbreviation class of a token text that ends in '.', if it is one:
/// "Mr." → Title, "W." → Initial, "U.S." / "Inc." → Other.
pub fn abbrev_class(tok: &str) -> Option<AbbrevClass> {
    let w = tok.strip_suffix('.')?;
    if w.is_empty() {
        return None;
    }
    if let Some(c) = abbrev_of(w) {
        return Some(c);
    }
    let mut chars = w.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase().then_some(AbbrevClass::Initial);
    }
    if is_dotted(w) {
        return Some(AbbrevClass::Other);
    }
    None
}

/// "U.S", "a.m", "e.g", "Ph.D": letter groups of 1–2 joined by single dots;
/// also after a party prefix, "R-S.C", "D-N.Y".
fn is_dotted(w: &str) -> bool {
    let w = w.rsplit('-').next().unwrap_or(w);
    let b = w.as_bytes();
    if !b.contains(&b'.') {
        return false;
    }
    w.split('.')
        .all(|g| (1..=2).contains(&g.len()) && g.bytes().all(|c| c.is_ascii_alphabetic()))
}

#[inline]
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// The char at byte `i` (a char boundary) of `s`.
#[inline]
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

/// Whether `c` joins the grapheme cluster of a letter before it (combining
/// marks, spacing marks, ZWJ, variation selectors, emoji modifiers).
/// Uses unicode-segmentation on a stack buffer: no allocation.
fn is_extender(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 8];
    buf[0] = b'a';
    let n = 1 + c.encode_utf8(&mut buf[1..]).len();
    match std::str::from_utf8(&buf[..n]) {
        Ok(s) => s.graphemes(true).nth(1).is_none(),
        Err(_) => false,
    }
}

/// Letters, digits and their combining marks (for non-ASCII).
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_extender(c)
    }
}

fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '„'
            | '‟'
            | '‚'
            | '‛'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '「'
            | '」'
            | '『'
            | '』'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Whitespace and invisible format characters between tokens.
#[inline]
fn is_space(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_whitespace() || c.is_ascii_control()
    } else {
        c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
    }
}

/// Currency signs (Unicode Sc) that appear in news.
fn is_currency(c: char) -> bool {
    matches!(c, '$' | '¢' | '£' | '¤' | '¥' | '֏' | '৳' | '฿' | '₠'..='₿')
}

/// Clitics split off after an apostrophe ("n't" is handled apart).
const CLITICS: [&str; 6] = ["s", "re", "ve", "ll", "d", "m"];

/// Appends the tokens of `text` (which starts at byte `base` of the document) to `out`.
pub fn tokenize_into(text: &str, base: usize, out: &mut Vec<Token>) {
    Scanner {
        text,
        b: text.as_bytes(),
        base,
        out,
        email_fail_until: 0,
        open_single: false,
    }
    .run();
}

/// Tokens of `text`, offsets relative to it.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, 0, &mut out);
    out
}

struct Scanner<'a, 'o> {
    text: &'a str,
    b: &'a [u8],
    base: usize,
    out: &'o mut Vec<Token>,
    /// No e-mail address can start before this offset (keeps the e-mail
    /// look-ahead linear on inputs like "a+a+a+a…").
    email_fail_until: usize,
    /// An opening single quote ('‘' or a straight "'" before a word) is
    /// waiting for its closing one, so "'bosses' and" closes it rather than
    /// being a possessive.
    open_single: bool,
}

impl Scanner<'_, '_> {
    fn push(&mut self, s: usize, e: usize, kind: TokenKind) {
        debug_assert!(s < e && self.text.is_char_boundary(s) && self.text.is_char_boundary(e));
        self.out.push(Token {
            start: self.base + s,
            end: self.base + e,
            kind,
        });
    }

    fn run(&mut self) {
        let n = self.b.len();
        let mut i = 0;
        while i < n {
            let c = self.b[i];
            if c < 0x80 {
                if c <= b' ' || c == 0x7f {
                    i += 1;
                    continue;
                }
                i = if is_word_byte(c) {
                    self.word_start(i)
                } else {
                    self.ascii_other(i)
                };
            } else {
                let Some(ch) = char_at(self.text, i) else {
                    return;
                };
                if is_space(ch) {
                    i += ch.len_utf8();
                } else if ch.is_alphanumeric() {
                    i = self.word_start(i);
                } else {
                    i = self.unicode_other(i, ch);
                }
            }
        }
    }

    /// At the start of something word-like: URL, e-mail or word.
    fn word_start(&mut self, i: usize) -> usize {
        if let Some(e) = self.url_at(i) {
            self.push(i, e, TokenKind::Url);
            return e;
        }
        if i >= self.email_fail_until {
            if let Some(e) = self.email_at(i) {
                self.push(i, e, TokenKind::Email);
                return e;
            }
        }
        self.word(i)
    }

    /// `http://…`, `https://…`, `www.…` up to whitespace, minus trailing punctuation.
    fn url_at(&self, i: usize) -> Option<usize> {
        let rest = &self.b[i..];
        let starts = |p: &[u8]| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
        if !(starts(b"http://") || starts(b"https://") || starts(b"www.")) {
            return None;
        }
        let mut e = i;
        while e < self.b.len() {
            let c = self.b[e];
            if c <= b' ' || c == b'"' || c == b'<' || c == b'>' {
                break;
            }
            if c >= 0x80 {
                match char_at(self.text, e) {
                    Some(ch) if is_space(ch) || is_quote_char(ch) => break,
                    Some(ch) => e += ch.len_utf8(),
                    None => break,
                }
                continue;
            }
            e += 1;
        }
        // Trailing punctuation belongs to the sentence, a ')' only if unbalanced.
        let url = &self.b[i..e];
        let opens = url.iter().filter(|&&c| c == b'(').count();
        let mut closes = url.iter().filter(|&&c| c == b')').count();
        while e > i + 4 {
            let strip = match self.b[e - 1] {
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' => true,
                b')' if opens < closes => {
                    closes -= 1;
                    true
                }
                _ => false,
            };
            if !strip {
                break;
            }
            e -= 1;
        }
        Some(e)
    }

    /// `local@domain.tld` (ASCII).
    fn email_at(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let is_local =
            |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
        let mut j = i;
        while j < b.len() && is_local(b[j]) {
            j += 1;
        }
        if j >= b.len() || b[j] != b'@' {
            self.email_fail_until = j;
            return None;
        }
        let d0 = j + 1;
        let mut k = d0;
        while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'-' || b[k] == b'.') {
            k += 1;
        }
        // Trailing dots end the sentence, not the address.
        while k > d0 && b[k - 1] == b'.' {
            k -= 1;
        }
        let Some(dot) = b[d0..k].iter().rposition(|&c| c == b'.').map(|d| d0 + d) else {
            self.email_fail_until = j + 1;
            return None;
        };
        let tld = &b[dot + 1..k];
        if dot > d0 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic) {
            Some(k)
        } else {
            self.email_fail_until = j + 1;
            None
        }
    }

    /// A word or number starting at `i`, with clitics split off and an
    /// abbreviation's period attached.
    fn word(&mut self, i: usize) -> usize {
        let text = self.text;
        let b = self.b;
        let n = b.len();
        let starts_digit = b[i].is_ascii_digit();
        let mut j = i;
        // Start of the current dot-free group, to spot "end.The" (missing space).
        let mut group_start = i;
        let mut hyphen_alpha = false;
        let mut clitic: Option<(usize, usize)> = None;
        loop {
            // Consume a run of word chars.
            while j < n {
                let c = b[j];
                if c < 0x80 {
                    if is_word_byte(c) {
                        j += 1;
                        continue;
                    }
                    break;
                }
                match char_at(text, j) {
                    Some(ch) if is_word_char(ch) => j += ch.len_utf8(),
                    _ => break,
                }
            }
            if j >= n {
                break;
            }
            // A joiner continues the word only with a word char after it.
            let Some(x) = char_at(text, j) else { break };
            let xl = x.len_utf8();
            let next = char_at(text, j + xl);
            let next_word = next.is_some_and(is_word_char);
            let prev = b[j - 1];
            let joined = match x {
                '.' => next_word && !missing_space(text, group_start, j),
                ',' | ':' | '/' => {
                    prev.is_ascii_digit() && next.is_some_and(|c| c.is_ascii_digit())
                }
                '&' => prev.is_ascii_uppercase() && next.is_some_and(|c| c.is_ascii_uppercase()),
                '_' => next_word,
                c if is_hyphen(c) => {
                    if next_word && next.is_some_and(char::is_alphabetic) {
                        hyphen_alpha = true;
                    }
                    next_word
                }
                c if is_apostrophe(c) => {
                    if let Some(cl) = clitic_at(text, i, j, xl) {
                        clitic = Some(cl);
                        j = cl.0;
                        break;
                    }
                    next.is_some_and(char::is_alphabetic)
                }
                _ => false,
            };
            if !joined {
                break;
            }
            if x == '.' {
                group_start = j + 1;
            }
            j += xl;
        }
        let mut e = j;
        // An abbreviation's period: "Mr.", "U.S.", "a.m.", initials "W.".
        if clitic.is_none()
            && e < n
            && b[e] == b'.'
            && b.get(e + 1) != Some(&b'.')
            && self.period_belongs(i, e)
        {
            e += 1;
            // "U.S.-led"
            if e + 1 < n && b[e] == b'-' && is_word_byte(b[e + 1]) {
                return self.word_tail(i, e);
            }
        }
        self.push_word(i, e, starts_digit && !hyphen_alpha);
        match clitic {
            Some((s, ce)) => {
                self.push(s, ce, TokenKind::Clitic);
                ce
            }
            None => e,
        }
    }

    /// Continues a word after "U.S." + "-" (rare; kept simple: hyphen + word chars).
    fn word_tail(&mut self, i: usize, mut e: usize) -> usize {
        let b = self.b;
        while e < b.len()
            && (is_word_byte(b[e])
                || (b[e] == b'-' && b.get(e + 1).is_some_and(|&c| is_word_byte(c))))
        {
            e += 1;
        }
        self.push(i, e, TokenKind::Word);
        e
    }

    /// Whether the '.' at `e` ends the abbreviation `text[i..e]` rather than a sentence.
    fn period_belongs(&self, i: usize, e: usize) -> bool {
        let w = &self.text[i..e];
        let after = &self.text[e + 1..];
        let rest = after.trim_start_matches(is_space);
        match abbrev_of(w) {
            // "No." is the word "no" unless a number follows.
            Some(_) if w == "No" || w == "Nos" => rest.starts_with(|c: char| c.is_ascii_digit()),
            Some(_) => true,
            None => {
                if is_dotted(w) {
                    return true;
                }
                // An initial: a single capital followed by a capitalized word or another initial.
                let mut cs = w.chars();
                matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
                    && rest.len() < after.len()
                    && rest.starts_with(char::is_uppercase)
            }
        }
    }

    fn push_word(&mut self, s: usize, e: usize, number: bool) {
        let text = &self.text[s..e];
        if !text.is_ascii() {
            return self.push_unicode_word(s, e);
        }
        self.push(
            s,
            e,
            if number {
                TokenKind::Number
            } else {
                TokenKind::Word
            },
        );
    }

    /// Splits a word with non-ASCII letters at UAX #29 word boundaries that
    /// fall between two non-ASCII letters (CJK ideographs, kana), keeping
    /// everything else (accents, our joiners) as scanned.
    fn push_unicode_word(&mut self, s: usize, e: usize) {
        let w = &self.text[s..e];
        let kind = if w.as_bytes()[0].is_ascii_digit() {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        let mut piece = 0;
        for (off, _) in w.split_word_bound_indices() {
            if off == 0 {
                continue;
            }
            let before = w[..off].chars().next_back();
            let after = char_at(w, off);
            let split = matches!((before, after), (Some(a), Some(c))
                if !a.is_ascii() && !c.is_ascii() && a.is_alphanumeric() && c.is_alphanumeric());
            if split {
                self.push(s + piece, s + off, kind);
                piece = off;
            }
        }
        self.push(s + piece, e, kind);
    }

    /// ASCII punctuation and symbols.
    fn ascii_other(&mut self, i: usize) -> usize {
        let b = self.b;
        let c = b[i];
        let n = b.len();
        let run = |pred: fn(u8) -> bool| {
            let mut j = i + 1;
            while j < n && pred(b[j]) {
                j += 1;
            }
            j
        };
        let (e, kind) = match c {
            b'"' => (i + 1, TokenKind::Quote),
            b'`' => (
                if b.get(i + 1) == Some(&b'`') {
                    i + 2
                } else {
                    i + 1
                },
                TokenKind::Quote,
            ),
            b'\'' => return self.apostrophe(i, 1),
            b'.' => (run(|x| x == b'.'), TokenKind::Punct),
            b'!' | b'?' => (run(|x| x == b'!' || x == b'?'), TokenKind::Punct),
            b'-' => (run(|x| x == b'-'), TokenKind::Punct),
            b'@' | b'#' => {
                let ok = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
                let first_ok = b.get(i + 1).is_some_and(|&x| {
                    if c == b'#' {
                        x.is_ascii_alphabetic() || x == b'_'
                    } else {
                        ok(x)
                    }
                });
                if first_ok {
                    let mut j = i + 1;
                    while j < n && ok(b[j]) {
                        j += 1;
                    }
                    (
                        j,
                        if c == b'@' {
                            TokenKind::Handle
                        } else {
                            TokenKind::Hashtag
                        },
                    )
                } else {
                    (i + 1, TokenKind::Symbol)
                }
            }
            b',' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'/' | b'\\' => {
                (i + 1, TokenKind::Punct)
            }
            _ => (i + 1, TokenKind::Symbol),
        };
        self.push(i, e, kind);
        e
    }

    /// A straight or curly apostrophe at a token start: "''", "'90s",
    /// a possessive after a plural ("analysts' views"), or a quote.
    fn apostrophe(&mut self, i: usize, len: usize) -> usize {
        let b = self.b;
        if len == 1 && b.get(i + 1) == Some(&b'\'') {
            self.push(i, i + 2, TokenKind::Quote);
            return i + 2;
        }
        let a = i + len;
        // '90s
        if b.len() >= a + 3
            && b[a].is_ascii_digit()
            && b[a + 1].is_ascii_digit()
            && b[a + 2] == b's'
            && b.get(a + 3).is_none_or(|&x| !x.is_ascii_alphanumeric())
        {
            self.push(i, a + 3, TokenKind::Number);
            return a + 3;
        }
        let glued = self.out.last().is_some_and(|t| t.end == self.base + i);
        if !glued {
            if char_at(self.text, a).is_some_and(char::is_alphanumeric) {
                self.open_single = true;
            }
        } else if std::mem::take(&mut self.open_single) {
            self.push(i, a, TokenKind::Quote);
            return a;
        }
        // Possessive: right after a word ending in "s", then a space and a lowercase word.
        let after_word = glued && self.out.last().is_some_and(|t| t.kind == TokenKind::Word);
        if after_word && i > 0 && matches!(b[i - 1], b's' | b'S') {
            let rest = &self.text[a..];
            let after = rest.trim_start_matches(is_space);
            if after.len() < rest.len() && after.starts_with(|c: char| c.is_lowercase()) {
                self.push(i, a, TokenKind::Clitic);
                return a;
            }
        }
        self.push(i, a, TokenKind::Quote);
        a
    }

    /// Non-ASCII punctuation, symbols and emoji.
    fn unicode_other(&mut self, i: usize, ch: char) -> usize {
        let l = ch.len_utf8();
        if ch == '’' {
            return self.apostrophe(i, l);
        }
        let kind = if is_quote_char(ch) {
            if ch == '‘' {
                self.open_single = true;
            }
            TokenKind::Quote
        } else if is_currency(ch) {
            TokenKind::Symbol
        } else if matches!(
            ch,
            '…' | '–'
                | '—'
                | '―'
                | '‒'
                | '‐'
                | '‑'
                | '•'
                | '·'
                | '¿'
                | '¡'
                | '、'
                | '。'
                | '，'
                | '：'
                | '；'
                | '！'
                | '？'
                | '（'
                | '）'
                | '؟'
                | '،'
                | '।'
        ) {
            TokenKind::Punct
        } else {
            // Emoji, flags, symbols: one grapheme cluster (the slice starts at
            // a cluster boundary, so no look-behind is needed).
            let e = self.text[i..]
                .graphemes(true)
                .next()
                .map_or(i + l, |g| i + g.len());
            self.push(i, e, TokenKind::Symbol);
            return e;
        };
        // Keep combining marks on the punctuation so no token starts mid-cluster.
        let mut e = i + l;
        while let Some(c) = char_at(self.text, e) {
            if is_word_char(c) && !c.is_alphanumeric() {
                e += c.len_utf8();
            } else {
                break;
            }
        }
        self.push(i, e, kind);
        e
    }
}

/// "end.The": a lowercase word of 2+ letters, a period and a capitalized
/// word is a missing space after a sentence, not a domain or abbreviation.
fn missing_space(text: &str, group_start: usize, dot: usize) -> bool {
    let g = &text.as_bytes()[group_start..dot];
    let after = &text.as_bytes()[dot + 1..];
    g.len() >= 2
        && g.iter().all(u8::is_ascii_lowercase)
        && after.len() >= 2
        && after[0].is_ascii_uppercase()
        && after[1].is_ascii_lowercase()
}

/// If the apostrophe at `j` (length `al`) in the word starting at `i` begins
/// a clitic, returns (clitic start, clitic end): "'s" "'re" "'ve" "'ll" "'d"
/// "'m", or "n't" (which starts one letter before the apostrophe).
fn clitic_at(text: &str, i: usize, j: usize, al: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let s = j + al;
    let mut e = s;
    while e < b.len() && b[e].is_ascii_alphabetic() {
        e += 1;
    }
    if e - s > 2 || e == s {
        return None;
    }
    // The clitic must end the word.
    if char_at(text, e).is_some_and(is_word_char) {
        return None;
    }
    let suffix = &text[s..e];
    if suffix.eq_ignore_ascii_case("t") {
        // "don't" → "do" "n't"; needs a letter before the "n".
        if j >= i + 2 && matches!(b[j - 1], b'n' | b'N') {
            return Some((j - 1, e));
        }
        return None;
    }
    CLITICS
        .iter()
        .any(|c| suffix.eq_ignore_ascii_case(c))
        .then_some((j, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .iter()
            .map(|t| (t.text(text), t.kind))
            .collect()
    }

    pub(crate) fn assert_valid(text: &str, tokens: &[Token]) {
        let mut prev = 0;
        for t in tokens {
            assert!(t.start < t.end, "empty token {t:?} in {text:?}");
            assert!(t.start >= prev, "overlap {t:?} in {text:?}");
            assert!(t.end <= text.len());
            assert!(
                text.is_char_boundary(t.start) && text.is_char_boundary(t.end),
                "{t:?} in {text:?}"
            );
            prev = t.end;
        }
    }

    #[test]
    fn clitics_split_off_with_both_apostrophes() {
        assert_eq!(toks("Putin's aide"), ["Putin", "'s", "aide"]);
        assert_eq!(toks("Putin’s aide"), ["Putin", "’s", "aide"]);
        assert_eq!(toks("don't"), ["do", "n't"]);
        assert_eq!(
            toks("They can’t, won't and didn't"),
            ["They", "ca", "n’t", ",", "wo", "n't", "and", "did", "n't"]
        );
        assert_eq!(
            toks("we're they've you'll she'd I'm"),
            ["we", "'re", "they", "'ve", "you", "'ll", "she", "'d", "I", "'m"]
        );
        assert_eq!(toks("IT'S DON'T"), ["IT", "'S", "DO", "N'T"]);
        assert_eq!(
            toks("O'Brien's rock'n'roll"),
            ["O'Brien", "'s", "rock'n'roll"]
        );
        assert_eq!(kinds("Kyiv's")[1], ("'s", TokenKind::Clitic));
        assert_eq!(
            toks("the analysts' forecasts"),
            ["the", "analysts", "'", "forecasts"]
        );
        assert_eq!(kinds("the analysts' forecasts")[2].1, TokenKind::Clitic);
        assert_eq!(kinds("the 'bosses' and")[3], ("'", TokenKind::Quote));
        assert_eq!(kinds("the ‘bosses’ and")[3], ("’", TokenKind::Quote));
        assert_eq!(kinds("the bosses’ pay")[2], ("’", TokenKind::Clitic));
    }

    #[test]
    fn hyphenated_words_stay_whole() {
        assert_eq!(
            toks("a high-profile, Ukraine-orchestrated end-of-year event"),
            [
                "a",
                "high-profile",
                ",",
                "Ukraine-orchestrated",
                "end-of-year",
                "event"
            ]
        );
        assert_eq!(
            toks("COVID-19 and a 48-hour truce -- or not"),
            ["COVID-19", "and", "a", "48-hour", "truce", "--", "or", "not"]
        );
        assert_eq!(kinds("a 48-hour truce")[1].1, TokenKind::Word);
        assert_eq!(
            toks("the U.S.-led coalition"),
            ["the", "U.S.-led", "coalition"]
        );
    }

    #[test]
    fn numbers_keep_separators_and_suffixes() {
        let k =
            kinds("1,000 troops, 3.5% growth in the 1990s; 9/11 at 10:30 on 2024-12-17 and 5.2bn");
        let want = [
            ("1,000", TokenKind::Number),
            ("troops", TokenKind::Word),
            (",", TokenKind::Punct),
            ("3.5", TokenKind::Number),
            ("%", TokenKind::Symbol),
            ("growth", TokenKind::Word),
            ("in", TokenKind::Word),
            ("the", TokenKind::Word),
            ("1990s", TokenKind::Number),
            (";", TokenKind::Punct),
            ("9/11", TokenKind::Number),
            ("at", TokenKind::Word),
            ("10:30", TokenKind::Number),
            ("on", TokenKind::Word),
            ("2024-12-17", TokenKind::Number),
            ("and", TokenKind::Word),
            ("5.2bn", TokenKind::Number),
        ];
        assert_eq!(k, want);
        assert_eq!(
            toks("rose 48 points, to 7,000."),
            ["rose", "48", "points", ",", "to", "7,000", "."]
        );
        assert_eq!(toks("the '90s"), ["the", "'90s"]);
    }

    #[test]
    fn currency_is_ptb_like() {
        assert_eq!(
            toks("$5.2bn (£600m) and €3"),
            ["$", "5.2bn", "(", "£", "600m", ")", "and", "€", "3"]
        );
        assert_eq!(kinds("$5")[0].1, TokenKind::Symbol);
        assert_eq!(toks("US$10"), ["US", "$", "10"]);
    }

    #[test]
    fn urls_emails_handles_hashtags() {
        let k = kinds("See https://example.com/news/a-b?x=1. Mail jane.doe@example.co.uk, or @AP_Politics #Ukraine (www.example.org).");
        assert!(
            k.contains(&("https://example.com/news/a-b?x=1", TokenKind::Url)),
            "{k:?}"
        );
        assert!(
            k.contains(&("jane.doe@example.co.uk", TokenKind::Email)),
            "{k:?}"
        );
        assert_eq!(
            toks("Reach him at jdoe@news.com."),
            ["Reach", "him", "at", "jdoe@news.com", "."]
        );
        assert!(k.contains(&("@AP_Politics", TokenKind::Handle)), "{k:?}");
        assert!(k.contains(&("#Ukraine", TokenKind::Hashtag)), "{k:?}");
        assert!(k.contains(&("www.example.org", TokenKind::Url)), "{k:?}");
        assert_eq!(k.last(), Some(&(".", TokenKind::Punct)));
        assert_eq!(
            toks("(see https://en.wikipedia.org/wiki/Foo_(bar))"),
            ["(", "see", "https://en.wikipedia.org/wiki/Foo_(bar)", ")"]
        );
        assert_eq!(toks("ranked #1 @ home"), ["ranked", "#", "1", "@", "home"]);
    }

    #[test]
    fn quotes_are_tokens() {
        let k = kinds("\"We will win,\" he said. “Never,” she said ‘no’ «non» ``yes''");
        let quotes: Vec<&str> = k
            .iter()
            .filter(|(_, k)| *k == TokenKind::Quote)
            .map(|(t, _)| *t)
            .collect();
        assert_eq!(
            quotes,
            ["\"", "\"", "“", "”", "‘", "’", "«", "»", "``", "''"]
        );
        assert_eq!(toks("'We will'"), ["'", "We", "will", "'"]);
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            toks("Mr. Smith and Gen. Lee met U.S. and U.K. envoys at 5 p.m. on Dec. 3."),
            [
                "Mr.", "Smith", "and", "Gen.", "Lee", "met", "U.S.", "and", "U.K.", "envoys", "at",
                "5", "p.m.", "on", "Dec.", "3", "."
            ]
        );
        assert_eq!(
            toks("Acme Inc. vs. Foo Corp. etc. and No. 10"),
            ["Acme", "Inc.", "vs.", "Foo", "Corp.", "etc.", "and", "No.", "10"]
        );
        assert_eq!(toks("He said no. Then"), ["He", "said", "no", ".", "Then"]);
        assert_eq!(
            toks("She said No. Then"),
            ["She", "said", "No", ".", "Then"]
        );
        assert_eq!(
            toks("J. R. R. Tolkien and George W. Bush"),
            ["J.", "R.", "R.", "Tolkien", "and", "George", "W.", "Bush"]
        );
        assert_eq!(toks("It was plan B."), ["It", "was", "plan", "B", "."]);
        assert_eq!(
            toks("It rose 3.5 points."),
            ["It", "rose", "3.5", "points", "."]
        );
        assert_eq!(
            toks("It ended.Then it began"),
            ["It", "ended", ".", "Then", "it", "began"]
        );
        assert_eq!(toks("Wait... what…"), ["Wait", "...", "what", "…"]);
        assert_eq!(toks("Really?! Yes!!"), ["Really", "?!", "Yes", "!!"]);
        assert_eq!(toks("Amazon.com said"), ["Amazon.com", "said"]);
        assert_eq!(toks("AT&T and S&P"), ["AT&T", "and", "S&P"]);
        assert_eq!(
            toks("Sen. Lindsey Graham (R-S.C.) said"),
            ["Sen.", "Lindsey", "Graham", "(", "R-S.C.", ")", "said"]
        );
    }

    #[test]
    fn unicode_offsets_are_char_boundaries() {
        for text in [
            "Zoë Dvořák’s café — naïve résumé…",
            "e\u{301}cole and a\u{308}\u{308}b",
            "Fans 👍🏽 cheered 👨‍👩‍👧 🇺🇦🇺🇸 ❤️!",
            "قال الرئيس «لا» اليوم.",
            "עברית ו-English mixed",
            "北京市 東京 ひらがな",
            "\u{301}\u{301} leading marks",
            "\u{200D}\u{FE0F}x\u{200B}y\u{FEFF}",
        ] {
            let t = tokenize(text);
            assert_valid(text, &t);
            assert!(!t.is_empty());
        }
        assert_eq!(toks("Zoë’s café"), ["Zoë", "’s", "café"]);
        assert_eq!(toks("e\u{301}cole"), ["e\u{301}cole"]);
        assert_eq!(
            toks("Fans 👍🏽 cheered 👨‍👩‍👧!"),
            ["Fans", "👍🏽", "cheered", "👨‍👩‍👧", "!"]
        );
        assert_eq!(toks("🇺🇦🇺🇸"), ["🇺🇦", "🇺🇸"]);
        assert_eq!(toks("北京市"), ["北", "京", "市"]);
    }
}
