//! The grammar of time expressions over micro-tokens: each rule starts at a
//! token that the lexicon (or a digit) marks as a possible start, and the
//! longest reading wins. Rules return a [`Spec`] (what was said), which
//! [`super::normalize`] turns into a value.

use super::lexicon::{Dir, Edge, Fuzzy, Lex, Unit, LEXICON};

/// A piece of a token: a run of letters/digits, or one other character.
/// Built by splitting the analysis tokens, so "end-of-year", "10:30" and
/// "a.m." read the same whether the tokenizer keeps them whole or not.
#[derive(Debug, Clone, Copy)]
pub struct MTok<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub kind: Kind,
    pub lex: &'static [Lex],
    /// Value of a digit run (up to 9 digits).
    pub num: Option<u32>,
    /// Number of digits of a digit run.
    pub ndigits: u8,
    /// Leading upper-case letter.
    pub cap: bool,
    /// Index of the analysis sentence.
    pub sent: u32,
    /// Preceded by whitespace (or at the start).
    pub space_before: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    N(u32),
    /// N and a half.
    Half(u32),
    /// Unspecified ("several", "a few").
    X,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaySpec {
    Date { y: Option<i32>, m: u32, d: u32 },
    /// Days from the anchor: yesterday = -1.
    Rel(i32),
    /// Days from the last mentioned day: "the previous day" = -1.
    Anaphoric(i32),
    Weekday(u32, Option<Dir>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Hm(u32, u32),
    Pod(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetSpec {
    Every(Unit),
    Weekday(u32),
    Month(u32),
    Pod(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spec {
    Day(DaySpec),
    Month { y: Option<i32>, m: u32 },
    MonthDir { m: u32, dir: Dir },
    /// "July last year": a month of the anchor's year moved by n years.
    MonthRelYear { m: u32, n: i32 },
    Year(i32),
    Decade(i32),
    Century(i32),
    Season { s: &'static str, y: Option<i32>, dir: Option<Dir> },
    Quarter { q: u32, y: Option<i32> },
    Half { h: u32, y: Option<i32> },
    /// "next year's first quarter": quarter q of the anchor's year moved by n.
    QuarterRelYear { q: u32, n: i32 },
    /// "that year", "the following month": the last named year or month moved by n.
    Anaphoric { unit: Unit, n: i32 },
    /// The last completed quarter ("the latest quarter").
    LastQuarter,
    /// "a year ago", "year-earlier": the year (or the quarter) a year back.
    YearAgo,
    /// Anchor moved by n units, at that unit's precision.
    Rel { unit: Unit, n: i32 },
    /// "the weekend": Some(-1) last, Some(1) next, None by tense.
    Weekend(Option<i32>),
    Duration { n: Amount, unit: Unit },
    Set(SetSpec),
    Fuzzy(Fuzzy),
    Clock { day: Option<DaySpec>, clock: Clock },
}

impl Spec {
    /// Whether the expression names a span of time by a number ("48 hours",
    /// "two years ago", "Dec. 17"), so hedges like "more than" belong to it.
    fn takes_hedge(&self) -> bool {
        matches!(
            self,
            Spec::Duration { .. } | Spec::Rel { .. } | Spec::YearAgo | Spec::Day(DaySpec::Date { .. }) | Spec::Year(_) | Spec::Clock { .. }
        )
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Match {
    /// Token range, end exclusive.
    pub start: usize,
    pub end: usize,
    pub spec: Spec,
}

/// Splits `s` (starting at byte `base`) into micro-tokens.
pub fn micro_tokens<'a>(text: &'a str, start: usize, end: usize, sent: u32, out: &mut Vec<MTok<'a>>) {
    let Some(s) = text.get(start..end) else {
        return;
    };
    let prev_space = |b: usize| b == 0 || text[..b].chars().next_back().is_none_or(char::is_whitespace);
    let mut run: Option<usize> = None;
    let push_run = |a: usize, b: usize, out: &mut Vec<MTok<'a>>| {
        let t = &text[start + a..start + b];
        let digits = t.bytes().all(|c| c.is_ascii_digit());
        let num = if digits && t.len() <= 9 { t.parse::<u32>().ok() } else { None };
        out.push(MTok {
            start: start + a,
            end: start + b,
            text: t,
            kind: if digits { Kind::Num } else { Kind::Word },
            lex: if digits { &[] } else { LEXICON.lookup(t) },
            num,
            ndigits: if digits { t.len().min(255) as u8 } else { 0 },
            cap: t.chars().next().is_some_and(char::is_uppercase),
            sent,
            space_before: prev_space(start + a),
        });
    };
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() {
            if run.is_none() {
                run = Some(i);
            }
            continue;
        }
        if let Some(a) = run.take() {
            push_run(a, i, out);
        }
        if !c.is_whitespace() {
            out.push(MTok {
                start: start + i,
                end: start + i + c.len_utf8(),
                text: &s[i..i + c.len_utf8()],
                kind: Kind::Punct,
                lex: &[],
                num: None,
                ndigits: 0,
                cap: false,
                sent,
                space_before: prev_space(start + i),
            });
        }
    }
    if let Some(a) = run {
        push_run(a, s.len(), out);
    }
}

/// Words after a bare four-digit number that still let it read as a year
/// ("in 1995 and", "1995 was"); any other lower-case word makes it a count
/// ("1995 people").
const YEAR_FOLLOWERS: &[&str] = &[
    "and", "or", "to", "through", "when", "as", "after", "before", "that", "which", "the", "a", "an", "with", "for",
    "in", "on", "at", "by", "from", "was", "were", "is", "are", "has", "had", "have", "will", "would", "it", "he",
    "she", "they", "we", "i", "its", "his", "their", "there", "this", "until", "while", "where", "but", "than", "of",
    "s", "alone", "onwards", "onward", "until", "because", "if", "so", "saw", "brought", "did", "amid", "not", "also",
];
/// Irregular plurals that follow counts.
const COUNT_NOUNS: &[&str] = &["people", "men", "women", "children", "police", "staff", "personnel", "feet", "cattle", "sheep", "fish", "aircraft", "more", "less", "new", "other", "of"];
const YEAR_DETERMINERS: &[&str] = &["the", "its", "his", "her", "their", "our", "this", "that", "s", "a"];
/// Prepositions that make a following number a year or a date.
const TIME_PREPS: &[&str] = &[
    "in", "since", "during", "until", "till", "by", "from", "before", "after", "through", "of", "between", "and",
    "to", "around", "circa", "fiscal", "year", "early", "late", "mid", "spring", "summer", "autumn", "winter",
];

pub struct Grammar<'t, 'a> {
    pub t: &'t [MTok<'a>],
}

impl<'t, 'a> Grammar<'t, 'a> {
    fn tok(&self, i: usize) -> Option<&MTok<'a>> {
        self.t.get(i)
    }
    fn is(&self, i: usize, w: &str) -> bool {
        self.t.get(i).is_some_and(|t| t.text.eq_ignore_ascii_case(w))
    }
    fn is_any(&self, i: usize, ws: &[&str]) -> bool {
        self.t.get(i).is_some_and(|t| ws.iter().any(|w| t.text.eq_ignore_ascii_case(w)))
    }
    fn punct(&self, i: usize, c: &str) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Punct && t.text == c)
    }
    fn dash(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Punct && matches!(t.text, "-" | "‐" | "–"))
    }
    /// An attached hyphen: "two-year", not a dash between words.
    fn hyphen(&self, i: usize) -> bool {
        self.dash(i) && self.t.get(i).is_some_and(|t| !t.space_before) && self.t.get(i + 1).is_some_and(|t| !t.space_before)
    }
    fn find<T>(&self, i: usize, f: impl Fn(&Lex) -> Option<T>) -> Option<T> {
        self.t.get(i).and_then(|t| t.lex.iter().find_map(f))
    }
    fn month(&self, i: usize) -> Option<u32> {
        self.find(i, |l| if let Lex::Month(m) = l { Some(*m) } else { None })
    }
    fn weekday(&self, i: usize) -> Option<u32> {
        self.find(i, |l| if let Lex::Weekday(m) = l { Some(*m) } else { None })
    }
    fn unit(&self, i: usize) -> Option<Unit> {
        self.find(i, |l| if let Lex::Unit(u) = l { Some(*u) } else { None })
    }
    fn dir(&self, i: usize) -> Option<Dir> {
        self.find(i, |l| if let Lex::Dir(d) = l { Some(*d) } else { None })
    }
    fn pod(&self, i: usize) -> Option<&'static str> {
        self.find(i, |l| if let Lex::Pod(p) = l { Some(*p) } else { None })
    }
    fn season(&self, i: usize) -> Option<&'static str> {
        self.find(i, |l| if let Lex::Season(s) = l { Some(*s) } else { None })
    }
    fn ord(&self, i: usize) -> Option<u32> {
        if let Some(o) = self.find(i, |l| if let Lex::Ord(o) = l { Some(*o) } else { None }) {
            return Some(o);
        }
        // "17th", "22nd"
        let t = self.tok(i)?;
        if t.kind != Kind::Word || t.text.len() < 3 || !t.text.is_ascii() {
            return None;
        }
        let (d, suf) = t.text.split_at(t.text.len() - 2);
        if ["st", "nd", "rd", "th"].iter().any(|s| suf.eq_ignore_ascii_case(s)) && d.len() <= 2 {
            d.parse().ok()
        } else {
            None
        }
    }
    fn has(&self, i: usize, f: impl Fn(&Lex) -> bool) -> bool {
        self.t.get(i).is_some_and(|t| t.lex.iter().any(f))
    }
    fn number(&self, i: usize) -> Option<u32> {
        self.t.get(i).and_then(|t| t.num)
    }
    fn year_num(&self, i: usize) -> Option<i32> {
        let t = self.tok(i)?;
        if t.ndigits == 4 {
            let y = t.num? as i32;
            if (1000..=2199).contains(&y) {
                return Some(y);
            }
        }
        None
    }
    fn num_word(&self, i: usize) -> Option<u32> {
        if self.is_any(i, &["a", "an"]) {
            return None;
        }
        self.find(i, |l| if let Lex::Num(n) = l { Some(*n) } else { None })
    }

    /// A year in words: "nineteen ninety-six", "nineteen hundred", "two thousand [and] three".
    fn year_words(&self, i: usize) -> Option<(usize, i32)> {
        let a = self.num_word(i)?;
        if a == 2 && self.is(i + 1, "thousand") {
            let mut j = i + 2;
            if self.is(j, "and") {
                j += 1;
            }
            return match self.num_word(j) {
                Some(b) if b < 100 => Some((j + 1, 2000 + b as i32)),
                _ => Some((i + 2, 2000)),
            };
        }
        if !(10..=20).contains(&a) {
            return None;
        }
        if self.is(i + 1, "hundred") {
            return Some((i + 2, a as i32 * 100));
        }
        let tens = self.num_word(i + 1)?;
        if !(10..=90).contains(&tens) {
            return None;
        }
        let mut b = tens;
        let mut j = i + 2;
        if tens >= 20 && tens % 10 == 0 {
            let k = if self.hyphen(j) { j + 1 } else { j };
            if let Some(u) = self.num_word(k).filter(|u| (1..=9).contains(u)) {
                b += u;
                j = k + 1;
            }
        }
        Some((j, a as i32 * 100 + b as i32))
    }

    /// A year in digits or words: (next token, year).
    fn year_any(&self, i: usize) -> Option<(usize, i32)> {
        self.year_num(i).map(|y| (i + 1, y)).or_else(|| self.year_words(i))
    }

    /// A day of month: 1..31 as digits or an ordinal.
    fn day_num(&self, i: usize) -> Option<u32> {
        let d = match self.tok(i)? {
            t if t.kind == Kind::Num && t.ndigits <= 2 => t.num?,
            _ => self.ord(i)?,
        };
        (1..=31).contains(&d).then_some(d)
    }

    /// An amount: digits, number words ("twenty-four", "a hundred"), "2 1/2",
    /// or a vague one ("several", "a few", "a couple of"). Returns (next, amount).
    fn amount(&self, i: usize) -> Option<(usize, Amount)> {
        let t = self.tok(i)?;
        if t.kind == Kind::Num {
            if t.ndigits > 6 {
                return None;
            }
            let n = t.num?;
            // "2 1/2"
            if self.number(i + 1) == Some(1) && self.punct(i + 2, "/") && self.number(i + 3) == Some(2) {
                return Some((i + 4, Amount::Half(n)));
            }
            // "1,000"
            if self.punct(i + 1, ",") && self.tok(i + 2).is_some_and(|t| t.ndigits == 3 && !t.space_before) {
                return None;
            }
            // "1.5"
            if self.punct(i + 1, ".") && self.tok(i + 2).is_some_and(|t| t.kind == Kind::Num && !t.space_before) {
                return None;
            }
            return Some((i + 1, Amount::N(n)));
        }
        if self.has(i, |l| matches!(l, Lex::Vague)) {
            let mut j = i + 1;
            if self.is(i, "couple") && self.is(j, "of") {
                j += 1;
            }
            return Some((j, Amount::X));
        }
        if self.is_any(i, &["a", "an"]) {
            if self.is_any(i + 1, &["few", "couple", "several"]) {
                let mut j = i + 2;
                if self.is(j, "of") {
                    j += 1;
                }
                return Some((j, Amount::X));
            }
            if self.is_any(i + 1, &["hundred", "thousand", "dozen"]) {
                let n = if self.is(i + 1, "hundred") { 100 } else if self.is(i + 1, "thousand") { 1000 } else { 12 };
                return Some((i + 2, Amount::N(n)));
            }
            if self.is(i + 1, "half") {
                return Some((i + 2, Amount::Half(0)));
            }
            return Some((i + 1, Amount::N(1)));
        }
        let mut n = self.find(i, |l| if let Lex::Num(n) = l { Some(*n) } else { None })?;
        let mut j = i + 1;
        // twenty-four, twenty four
        if (20..=90).contains(&n) && n % 10 == 0 {
            let k = if self.hyphen(j) { j + 1 } else { j };
            if let Some(u) = self.find(k, |l| if let Lex::Num(n) = l { Some(*n) } else { None }) {
                if (1..=9).contains(&u) && !self.is_any(k, &["a", "an"]) {
                    n += u;
                    j = k + 1;
                }
            }
        }
        // two hundred, two thousand
        if n < 100 {
            if let Some(m) = self.find(j, |l| if let Lex::Num(m) = l { Some(*m) } else { None }) {
                if m == 100 || m == 1000 {
                    n *= m;
                    j += 1;
                }
            }
        }
        if self.is(j, "and") && self.is(j + 1, "a") && self.is(j + 2, "half") {
            return Some((j + 3, Amount::Half(n)));
        }
        Some((j, Amount::N(n)))
    }

    /// Tries every rule at token `i`; the longest match wins.
    pub fn parse(&self, i: usize) -> Option<Match> {
        // Hedges: "more than 48 hours", "nearly four years ago", "at least 30 days".
        let hedge_end = if self.is_any(i, &["more", "less", "fewer"]) && self.is(i + 1, "than") {
            Some(i + 2)
        } else if self.is(i, "no") && self.is_any(i + 1, &["more", "less"]) && self.is(i + 2, "than") {
            Some(i + 3)
        } else if (self.is(i, "at") && self.is_any(i + 1, &["least", "most"])) || (self.is(i, "up") && self.is(i + 1, "to")) {
            Some(i + 2)
        } else if self.has(i, |l| matches!(l, Lex::Approx)) {
            Some(i + 1)
        } else {
            None
        };
        if let Some(j) = hedge_end {
            if let Some(m) = self.core(j) {
                if m.spec.takes_hedge() && m.start == j && !self.is(j, "the") {
                    return Some(Match { start: i, ..m });
                }
            }
            return None;
        }
        self.core(i)
    }

    fn m(&self, start: usize, end: usize, spec: Spec) -> Option<Match> {
        Some(Match { start, end, spec })
    }

    fn core(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        match t.kind {
            Kind::Num => self.at_number(i),
            Kind::Punct => {
                // '90s
                if matches!(t.text, "'" | "’") {
                    return self.decade_word(i + 1).map(|(e, d)| Match { start: i, end: e, spec: Spec::Decade(d) });
                }
                None
            }
            Kind::Word => self.at_word(i),
        }
    }

    /// "1990s" (one token) or "90s" after an apostrophe.
    fn decade_word(&self, i: usize) -> Option<(usize, i32)> {
        let t = self.tok(i)?;
        let s = t.text.strip_suffix('s')?;
        if !s.bytes().all(|b| b.is_ascii_digit()) || !s.ends_with('0') {
            return None;
        }
        match s.len() {
            4 => s[..3].parse().ok().map(|d| (i + 1, d)),
            2 => s[..1].parse::<i32>().ok().map(|d| (i + 1, 190 + d)),
            _ => None,
        }
    }

    fn at_number(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let n = t.num?;
        // 2024-12-17
        if t.ndigits == 4 && self.dash(i + 1) && self.tok(i + 2).is_some_and(|t| t.kind == Kind::Num && t.ndigits <= 2)
            && self.dash(i + 3)
            && self.tok(i + 4).is_some_and(|t| t.kind == Kind::Num && t.ndigits <= 2)
        {
            let (m, d) = (self.number(i + 2)?, self.number(i + 4)?);
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                return self.m(i, i + 5, Spec::Day(DaySpec::Date { y: Some(n as i32), m, d }));
            }
        }
        // 12/17/2024 (US order unless the first part cannot be a month)
        if t.ndigits <= 2 && self.punct(i + 1, "/") && self.punct(i + 3, "/") {
            if let (Some(a), Some(b), Some(yt)) = (self.number(i + 2), Some(n), self.tok(i + 4)) {
                let y = match (yt.ndigits, yt.num) {
                    (4, Some(y)) => y as i32,
                    (2, Some(y)) => if y < 50 { 2000 + y as i32 } else { 1900 + y as i32 },
                    _ => return None,
                };
                let (m, d) = if b > 12 { (a, b) } else { (b, a) };
                if (1..=12).contains(&m) && (1..=31).contains(&d) && self.tok(i + 2).is_some_and(|t| t.ndigits <= 2) {
                    return self.m(i, i + 5, Spec::Day(DaySpec::Date { y: Some(y), m, d }));
                }
            }
        }
        // Clock: 10:30 [a.m.] / 10 p.m. [EST] [day]
        if let Some(m) = self.clock_at(i) {
            return Some(m);
        }
        // 17 December [2024]
        if t.ndigits <= 2 && (1..=31).contains(&n) {
            let mut j = i + 1;
            if self.is(j, "of") {
                j += 1;
            }
            if let Some(m) = self.month(j) {
                if m != 5 || self.tok(j).is_some_and(|t| t.cap) {
                    let mut e = j + 1;
                    if self.punct(e, ".") {
                        e += 1;
                    }
                    let mut y = None;
                    let k = if self.punct(e, ",") { e + 1 } else { e };
                    if let Some(yy) = self.year_num(k) {
                        y = Some(yy);
                        e = k + 1;
                    } else if self.punct(j + 1, ".") {
                        e = j + 1; // leave the period: it may end the sentence
                    }
                    return self.m(i, e, Spec::Day(DaySpec::Date { y, m, d: n }));
                }
            }
        }
        // Amount + unit ("48 hours", "two-year", "10 days ago")
        if let Some(m) = self.amount_unit(i) {
            return Some(m);
        }
        // "1988 second quarter", "1990 first half"
        if let Some(y) = self.year_num(i) {
            if let Some(q) = self.ord(i + 1) {
                let k = if self.hyphen(i + 2) { i + 3 } else { i + 2 };
                if self.is(k, "quarter") && (1..=4).contains(&q) {
                    return self.m(i, k + 1, Spec::Quarter { q, y: Some(y) });
                }
                if self.is(k, "half") && (1..=2).contains(&q) {
                    return self.m(i, k + 1, Spec::Half { h: q, y: Some(y) });
                }
            }
        }
        // A bare year
        if let Some(y) = self.year_num(i) {
            if self.is_year_context(i) {
                return self.m(i, i + 1, Spec::Year(y));
            }
        }
        None
    }

    fn is_year_context(&self, i: usize) -> bool {
        let prev = i.checked_sub(1).and_then(|p| self.tok(p));
        let next = self.tok(i + 1);
        if let Some(p) = prev {
            if matches!(p.text, "$" | "£" | "€" | "#" | "№") || p.text.eq_ignore_ascii_case("no") || p.kind == Kind::Num {
                return false;
            }
            // "1,995" or "3.1995"
            if matches!(p.text, "," | ".") && !p.space_before && i >= 2 && self.tok(i - 2).is_some_and(|t| t.kind == Kind::Num) {
                return false;
            }
        }
        // "2082.1" is an index level
        if self.punct(i + 1, ".") && self.tok(i + 2).is_some_and(|t| t.kind == Kind::Num && !t.space_before) {
            return false;
        }
        // "Orion 1980", "Windows 2000": a name
        if let Some(p) = prev {
            if p.kind == Kind::Word && p.cap && p.lex.is_empty() && i >= 2 && self.tok(i - 2).is_some_and(|t| t.kind == Kind::Word) {
                return false;
            }
        }
        if let Some(nx) = next {
            if matches!(nx.text, "%") || nx.text.eq_ignore_ascii_case("percent") {
                return false;
            }
            if nx.kind == Kind::Punct && nx.text == "," && self.tok(i + 2).is_some_and(|t| t.ndigits == 3 && !t.space_before) {
                return false;
            }
            if nx.kind == Kind::Word && !nx.cap && !self.is_any(i + 1, YEAR_FOLLOWERS) && nx.lex.is_empty() {
                // "1995 people", "2000 troops" are counts; "the 2024 election", "his 1996 campaign" are years.
                let w = nx.text;
                let plural = (w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is"))
                    || COUNT_NOUNS.iter().any(|c| w.eq_ignore_ascii_case(c));
                let det = prev.is_some_and(|p| YEAR_DETERMINERS.iter().any(|d| p.text.eq_ignore_ascii_case(d)));
                return det || !plural;
            }
        }
        let y = self.year_num(i).unwrap_or(0);
        let prep = prev.is_some_and(|p| TIME_PREPS.iter().any(|w| p.text.eq_ignore_ascii_case(w)) || p.lex.iter().any(|l| matches!(l, Lex::Month(_) | Lex::Season(_))));
        prep || (1800..=2100).contains(&y)
    }

    /// "10:30 a.m.", "10 p.m. EST", "5 p.m. Wednesday", "noon Saturday".
    fn clock_at(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let (mut h, mut mi, mut e, mut explicit) = if t.kind == Kind::Num {
            let h = t.num?;
            if t.ndigits > 2 || h > 24 {
                return None;
            }
            if (self.punct(i + 1, ":") || self.punct(i + 1, ".")) && self.tok(i + 2).is_some_and(|x| x.ndigits == 2 && !x.space_before) {
                let mi = self.number(i + 2)?;
                if mi >= 60 {
                    return None;
                }
                (h, mi, i + 3, self.punct(i + 1, ":"))
            } else {
                (h, 0, i + 1, false)
            }
        } else if let Some(c) = self.find(i, |l| if let Lex::Clock(c) = l { Some(*c) } else { None }) {
            (c, 0, i + 1, true)
        } else {
            return None;
        };
        // a.m. / p.m. / am / pm
        let mut ampm = None;
        if self.is_any(e, &["a", "p"]) && self.punct(e + 1, ".") && self.is(e + 2, "m") {
            ampm = Some(self.is(e, "p"));
            e += 3;
            // The final period stays unless the expression goes on.
            if self.punct(e, ".") && self.tok(e + 1).is_some_and(|t| !t.cap) {
                e += 1;
            }
        } else if self.is_any(e, &["am", "pm"]) {
            ampm = Some(self.is(e, "pm"));
            e += 1;
        }
        if let Some(pm) = ampm {
            if h > 12 {
                return None;
            }
            if pm && h < 12 {
                h += 12;
            } else if !pm && h == 12 {
                h = 0;
            }
            explicit = true;
        }
        if self.has(e, |l| matches!(l, Lex::Tz)) && self.tok(e).is_some_and(|t| t.text.len() <= 3 && t.text.chars().all(|c| c.is_ascii_uppercase())) {
            e += 1;
            explicit = true;
        }
        if !explicit {
            // "at 10:30" still reads as a time; a bare number does not.
            let prev_at = i > 0 && self.is_any(i - 1, &["at", "by", "until", "before", "after", "around", "from"]);
            if !(prev_at && self.punct(i + 1, ":")) {
                return None;
            }
        }
        if h == 24 {
            mi = 0;
        }
        // An attached day: "5 p.m. Wednesday", "noon Saturday", "5 p.m. EST, Nov. 9", "10 a.m. on Friday"
        let mut k = e;
        if self.punct(k, ".") && ampm.is_some() {
            k += 1;
        }
        if self.has(k, |l| matches!(l, Lex::Tz)) && self.tok(k).is_some_and(|t| t.text.chars().all(|c| c.is_ascii_uppercase())) {
            k += 1;
        }
        if self.punct(k, ",") {
            k += 1;
        }
        if self.is(k, "on") {
            k += 1;
        }
        let mut day = None;
        if let Some(dm) = self.day_expr(k) {
            day = Some(dm.0);
            e = dm.1;
        } else if self.is_any(e, &["today", "tomorrow", "yesterday", "tonight"]) {
            // handled by day_expr; kept for clarity
        }
        self.m(i, e, Spec::Clock { day, clock: Clock::Hm(h, mi) })
    }

    /// A day-precise expression at `i`: a weekday, a dated day, today/yesterday/tomorrow.
    fn day_expr(&self, i: usize) -> Option<(DaySpec, usize)> {
        let m = self.core(i)?;
        match m.spec {
            Spec::Day(d) => Some((d, m.end)),
            _ => None,
        }
    }

    /// Amount + unit, then "ago"/"earlier"/"later", or an adjective "two-year".
    fn amount_unit(&self, i: usize) -> Option<Match> {
        let (j, n) = self.amount(i)?;
        let hyph = self.hyphen(j);
        // "20 more years", "two additional days"
        let k = if hyph {
            j + 1
        } else if self.is_any(j, &["more", "additional", "extra", "further"]) && self.unit(j + 1).is_some() {
            j + 1
        } else {
            j
        };
        let unit = self.unit(k)?;
        // Fractions: "three-quarters of its food", "a quarter of the market".
        if unit == Unit::Quarter && (self.is(k + 1, "of") || (hyph && self.tok(k).is_some_and(|t| t.text.ends_with('s')))) {
            return None;
        }
        // "a second" is not a duration in "a second attempt"; only "second(s)" after digits or words.
        if unit == Unit::Second && self.tok(k).is_some_and(|t| t.text.eq_ignore_ascii_case("second")) && matches!(n, Amount::N(1)) {
            return None;
        }
        let e = k + 1;
        if self.hyphen(e) && self.is_any(e + 1, &["earlier", "ago", "end", "old"]) {
            return None;
        }
        // "the 1988 quarter", "its 1990 year" are years, not 1988 quarters.
        if self.tok(i).is_some_and(|t| t.ndigits >= 4) && !self.tok(k).is_some_and(|t| t.text.ends_with('s')) {
            return None;
        }
        if self.is(e, "and") && self.is(e + 1, "a") && self.is(e + 2, "half") {
            let n2 = match n {
                Amount::N(x) => Amount::Half(x),
                o => o,
            };
            return self.m(i, e + 3, Spec::Duration { n: n2, unit });
        }
        // Ages ("55 years old", "a 136-year-old bank") are not times.
        if self.is(e, "old") || (self.hyphen(e) && self.is(e + 1, "old")) {
            return None;
        }
        if hyph {
            // "two-year", "48-hour"
            return self.m(i, e, Spec::Duration { n, unit });
        }
        if let Some(dir) = self.find(e, |l| if let Lex::Ago(d) = l { Some(*d) } else { None }) {
            let adverbial = self.is(e, "ago") || !self.is(e + 1, "than");
            let before_after = self.is_any(e, &["before", "after"]);
            if adverbial && !before_after {
                // "three days later", "a day earlier": a stretch, not a date, except for years.
                if !self.is(e, "ago") && unit != Unit::Year {
                    return self.m(i, e + 1, Spec::Duration { n, unit });
                }
                let spec = match n {
                    Amount::X => Spec::Fuzzy(if dir < 0 { Fuzzy::Past } else { Fuzzy::Future }),
                    Amount::N(1) if unit == Unit::Year && dir < 0 => Spec::YearAgo,
                    Amount::N(k) => Spec::Rel { unit, n: dir.saturating_mul(k.min(100_000) as i32) },
                    Amount::Half(_) => Spec::Fuzzy(if dir < 0 { Fuzzy::Past } else { Fuzzy::Future }),
                };
                return self.m(i, e + 1, spec);
            }
        }
        // "a week or so ago"
        if self.is(e, "or") && self.is(e + 1, "so") && self.is(e + 2, "ago") {
            if let Amount::N(k) = n {
                return self.m(i, e + 3, Spec::Rel { unit, n: -(k.min(100_000) as i32) });
            }
        }
        // "from now"
        if self.is(e, "from") && self.is(e + 1, "now") {
            if let Amount::N(k) = n {
                return self.m(i, e + 2, Spec::Rel { unit, n: k.min(100_000) as i32 });
            }
        }
        // Weekends and quarters as durations are rare and mostly something else.
        if matches!(unit, Unit::Weekend) {
            return None;
        }
        // "a day" / "a year" after a number of things is a rate ("$5 a day"): a set.
        if matches!(n, Amount::N(1)) && self.is_any(i, &["a", "an", "per"]) && i > 0 {
            if let Some(p) = self.tok(i - 1) {
                if p.text.eq_ignore_ascii_case("once") || p.text.eq_ignore_ascii_case("twice") || p.text.eq_ignore_ascii_case("times") {
                    return self.m(i, e, Spec::Set(SetSpec::Every(unit)));
                }
                // "$1.76 a year", "700 seats a week": a rate, not a time of its own.
                if p.kind == Kind::Num || ["million", "billion", "seats", "flights"].iter().any(|w| p.text.eq_ignore_ascii_case(w)) || p.kind == Kind::Word && p.text.ends_with('s') {
                    return None;
                }
            }
        }
        self.m(i, e, Spec::Duration { n, unit })
    }

    fn at_word(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        if t.lex.is_empty() {
            // Words outside the lexicon that still start expressions.
            return self.at_other_word(i);
        }
        let mut best: Option<Match> = None;
        let mut consider = |m: Option<Match>| {
            if let Some(m) = m {
                if best.is_none_or(|b| m.end > b.end) {
                    best = Some(m);
                }
            }
        };
        for l in t.lex {
            match *l {
                Lex::Month(m) => consider(self.at_month(i, m)),
                Lex::Weekday(w) => consider(self.at_weekday(i, w)),
                Lex::Weekdays(w) if t.cap => consider(self.m(i, i + 1, Spec::Set(SetSpec::Weekday(w)))),
                Lex::DayRef(n) => consider(self.at_dayref(i, n)),
                Lex::Fuzzy(f) => consider(self.at_fuzzy(i, f)),
                Lex::Dir(d) => consider(self.at_dir(i, i + 1, d, i)),
                Lex::Edge(e) => consider(self.at_edge(i, e)),
                Lex::SetAdv(u) => consider(self.m(i, i + 1, Spec::Set(SetSpec::Every(u)))),
                Lex::Num(_) | Lex::Vague => {
                    consider(self.amount_unit(i));
                    consider(self.year_words(i).filter(|&(e, _)| e > i + 1).map(|(e, y)| Match { start: i, end: e, spec: Spec::Year(y) }));
                    consider(self.bare_plural_unit(i));
                }
                Lex::Unit(Unit::Year) => {
                    consider(self.at_year_word(i));
                    consider(self.bare_plural_unit(i));
                }
                Lex::Unit(_) => consider(self.bare_plural_unit(i)),
                Lex::Ord(_) => consider(self.at_ordinal(i, i)),
                Lex::Clock(_) => consider(self.clock_at(i)),
                Lex::Season(s) => consider(self.at_season(i, i, s, None)),
                _ => {}
            }
        }
        best
    }

    fn at_other_word(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let w = t.text;
        if w.eq_ignore_ascii_case("the") {
            return self.at_the(i);
        }
        if let Some((e, d)) = self.decade_word(i) {
            return self.m(i, e, Spec::Decade(d));
        }
        if let Some(o) = self.ord(i) {
            let _ = o;
            return self.at_ordinal(i, i);
        }
        if w.eq_ignore_ascii_case("every") || w.eq_ignore_ascii_case("each") {
            let mut j = i + 1;
            if self.is(j, "other") {
                j += 1;
            }
            if let Some(u) = self.unit(j) {
                return self.m(i, j + 1, Spec::Set(SetSpec::Every(u)));
            }
            if let Some(wd) = self.weekday(j) {
                return self.m(i, j + 1, Spec::Set(SetSpec::Weekday(wd)));
            }
            if let Some(m) = self.month(j) {
                if self.tok(j).is_some_and(|t| t.cap) {
                    return self.m(i, j + 1, Spec::Set(SetSpec::Month(m)));
                }
            }
            if let Some(p) = self.pod(j) {
                return self.m(i, j + 1, Spec::Set(SetSpec::Pod(p)));
            }
            return None;
        }
        if (w.eq_ignore_ascii_case("once") || w.eq_ignore_ascii_case("twice")) && self.is_any(i + 1, &["a", "per"]) {
            if let Some(u) = self.unit(i + 2) {
                return self.m(i, i + 3, Spec::Set(SetSpec::Every(u)));
            }
        }
        if w.eq_ignore_ascii_case("fiscal") {
            if let Some(y) = self.year_num(i + 1) {
                return self.m(i, i + 2, Spec::Year(y));
            }
            return self.at_ordinal(i + 1, i);
        }
        if w.eq_ignore_ascii_case("then") && self.is(i + 1, "current") {
            return self.m(i, i + 2, Spec::Fuzzy(Fuzzy::Past));
        }
        if w.eq_ignore_ascii_case("right") && self.is(i + 1, "now") {
            return self.m(i, i + 2, Spec::Fuzzy(Fuzzy::Present));
        }
        if w.eq_ignore_ascii_case("more") && self.is_any(i + 1, &["recently", "lately"]) {
            return self.m(i, i + 2, Spec::Fuzzy(Fuzzy::Past));
        }
        if (w.eq_ignore_ascii_case("in") || w.eq_ignore_ascii_case("for")) && self.is(i + 1, "the") {
            // "in the past" / "in the future": the span is "the past"
            return None;
        }
        if w.eq_ignore_ascii_case("near") && self.is_any(i + 1, &["future", "term"]) {
            return self.m(i, i + 2, Spec::Fuzzy(Fuzzy::Future));
        }
        None
    }

    /// "for years", "in months", "for centuries": an unspecified duration.
    fn bare_plural_unit(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let u = self.unit(i)?;
        let plural = t.text.len() > 3 && t.text.ends_with('s');
        let prev_ok = i > 0 && self.is_any(i - 1, &["for", "in", "within", "over", "take", "takes", "took", "lasted"]);
        if !plural || !prev_ok || t.cap || matches!(u, Unit::Weekend | Unit::Quarter) {
            return None;
        }
        // "in years past" and "for years to come" keep the bare unit span.
        self.m(i, i + 1, Spec::Duration { n: Amount::X, unit: u })
    }

    /// "year-end", "year-earlier", "year-ago", "year's end".
    fn at_year_word(&self, i: usize) -> Option<Match> {
        if self.hyphen(i + 1) {
            if self.is_any(i + 2, &["earlier", "ago"]) {
                return self.m(i, i + 3, Spec::YearAgo);
            }
            if self.is(i + 2, "end") {
                return self.m(i, i + 3, Spec::Rel { unit: Unit::Year, n: 0 });
            }
            if self.is(i + 2, "long") {
                return self.m(i, i + 3, Spec::Duration { n: Amount::N(1), unit: Unit::Year });
            }
            if self.is(i + 2, "old") {
                return None;
            }
        }
        if self.is(i + 1, "end") && self.tok(i).is_some_and(|t| !t.cap) {
            return self.m(i, i + 2, Spec::Rel { unit: Unit::Year, n: 0 });
        }
        if (self.punct(i + 1, "'") || self.punct(i + 1, "’")) && self.is(i + 2, "s") && self.is(i + 3, "end") {
            return self.m(i, i + 4, Spec::Rel { unit: Unit::Year, n: 0 });
        }
        None
    }

    fn at_month(&self, i: usize, m: u32) -> Option<Match> {
        let t = self.tok(i)?;
        let abbrev = t.text.len() <= 4 && !(5..=7).contains(&m) || t.text.eq_ignore_ascii_case("sept");
        // "may" and "march" are also verbs: require a capital.
        if !t.cap && (m == 5 || m == 3 || abbrev) {
            return None;
        }
        let mut j = i + 1;
        let dotted = self.punct(j, ".");
        if dotted {
            j += 1;
        }
        // Month day [, year]
        if let Some(d) = self.day_num(j) {
            // "may 1" where "1" starts a list is rare; accept.
            let mut e = j + 1;
            let k = if self.punct(e, ",") { e + 1 } else { e };
            let y = self.year_num(k);
            if y.is_some() {
                e = k + 1;
            }
            // "March eighth": ordinal word after a month reads as a day.
            return self.m(i, e, Spec::Day(DaySpec::Date { y, m, d }));
        }
        // Month [of|,] year
        let k = if self.is(j, "of") || self.punct(j, ",") { j + 1 } else { j };
        if let Some((e, y)) = self.year_any(k) {
            return self.m(i, e, Spec::Month { y: Some(y), m });
        }
        // "July last year", "January this year"
        if let Some(d) = self.dir(j) {
            if self.is(j + 1, "year") {
                let n = match d {
                    Dir::Last | Dir::Past | Dir::Previous => -1,
                    Dir::Next | Dir::Following => 1,
                    Dir::This => 0,
                    _ => return None,
                };
                return self.m(i, j + 2, Spec::MonthRelYear { m, n });
            }
        }
        // A month alone: full names, capitalized; "May" needs a time word before it.
        if abbrev && !(dotted && m != 5) {
            return None;
        }
        if m == 5 {
            let ok = i > 0 && self.is_any(i - 1, &["in", "since", "until", "by", "early", "late", "mid", "last", "next", "this", "of", "during", "from", "through", "-"]);
            if !ok {
                return None;
            }
        }
        // Keep the period of "Dec." only when it cannot be the sentence end.
        self.m(i, i + 1, Spec::Month { y: None, m })
    }

    fn at_weekday(&self, i: usize, wd: u32) -> Option<Match> {
        let t = self.tok(i)?;
        if !t.cap {
            return None;
        }
        let full = t.text.len() >= 6;
        let j = i + 1;
        // Weekday, Month day [, year]: the explicit date wins.
        let k = if self.punct(j, ",") { j + 1 } else { j };
        if let Some(m) = self.month(k) {
            if let Some(dm) = self.at_month(k, m) {
                if let Spec::Day(d) = dm.spec {
                    return self.m(i, dm.end, Spec::Day(d));
                }
            }
        }
        // "Friday Oct. 13" handled above; "Friday, 13 October"
        if let Some(dm) = self.tok(k).filter(|t| t.kind == Kind::Num).and_then(|_| self.at_number(k)) {
            if let Spec::Day(d @ DaySpec::Date { .. }) = dm.spec {
                return self.m(i, dm.end, Spec::Day(d));
            }
        }
        if !full && !self.punct(j, ".") && !self.punct(j, ",") {
            return None;
        }
        // Friday morning / Tuesday night
        if let Some(p) = self.pod(j) {
            return self.m(i, j + 1, Spec::Clock { day: Some(DaySpec::Weekday(wd, None)), clock: Clock::Pod(p) });
        }
        self.m(i, i + 1, Spec::Day(DaySpec::Weekday(wd, None)))
    }

    fn at_dayref(&self, i: usize, n: i32) -> Option<Match> {
        if self.is(i, "tonight") {
            return self.m(i, i + 1, Spec::Clock { day: Some(DaySpec::Rel(0)), clock: Clock::Pod("NI") });
        }
        if let Some(p) = self.pod(i + 1) {
            return self.m(i, i + 2, Spec::Clock { day: Some(DaySpec::Rel(n)), clock: Clock::Pod(p) });
        }
        self.m(i, i + 1, Spec::Day(DaySpec::Rel(n)))
    }

    fn at_fuzzy(&self, i: usize, f: Fuzzy) -> Option<Match> {
        // "past" and "future" alone are adjectives; they are times after "the".
        if self.is_any(i, &["past", "future"]) {
            return None;
        }
        self.m(i, i + 1, Spec::Fuzzy(f))
    }

    /// After a direction word at `j - 1` (this/last/next/past/...): start is where the span begins.
    fn at_dir(&self, start: usize, j: usize, d: Dir, dir_tok: usize) -> Option<Match> {
        let mut d = d;
        let mut j = j;
        // "this coming Sunday", "this past weekend"
        if d == Dir::This && self.is_any(j, &["coming", "past"]) {
            // "this coming Sunday" is the next Sunday on or after the anchor.
            d = if self.is(j, "past") { Dir::Last } else { Dir::This };
            j += 1;
        }
        let the = start < dir_tok;
        // "the past/last/next two months", "the next few days": a duration.
        if matches!(d, Dir::Last | Dir::Past | Dir::Next | Dir::Following | Dir::Previous | Dir::This) || the {
            if let Some((k, n)) = self.amount(j) {
                if !self.is_any(j, &["a", "an"]) || self.is_any(j + 1, &["few", "couple"]) {
                    let kk = if self.is(k, "to") { self.amount(k + 1).map(|(x, _)| x).unwrap_or(k) } else { k };
                    if let Some(u) = self.unit(kk) {
                        let mut e = kk + 1;
                        if self.is(e, "or") && self.is(e + 1, "so") {
                            e += 2;
                        }
                        return self.m(start, e, Spec::Duration { n, unit: u });
                    }
                }
            }
        }
        if let Some(u) = self.unit(j) {
            let e = j + 1;
            if matches!(u, Unit::Hour | Unit::Minute | Unit::Second) {
                return if matches!(d, Dir::Last | Dir::Past | Dir::Next | Dir::Following) {
                    self.m(start, e, Spec::Duration { n: Amount::N(1), unit: u })
                } else {
                    None
                };
            }
            let plural = self.tok(j).is_some_and(|t| t.text.ends_with('s') || t.text.ends_with('S'));
            if plural {
                // "recent years", "these days", "the coming months"
                return match d {
                    Dir::Recent | Dir::Past | Dir::Last => self.m(start, e, Spec::Fuzzy(Fuzzy::Past)),
                    Dir::This if self.is(dir_tok, "these") => self.m(start, e, Spec::Fuzzy(Fuzzy::Present)),
                    Dir::Next if self.is(dir_tok, "coming") => self.m(start, e, Spec::Fuzzy(Fuzzy::Future)),
                    _ => None,
                };
            }
            if u == Unit::Weekend {
                let w = match d {
                    Dir::Last | Dir::Past | Dir::Previous => Some(-1),
                    Dir::Next | Dir::Following => Some(1),
                    _ => Some(0),
                };
                return self.m(start, e, Spec::Weekend(w));
            }
            if u == Unit::Day || u == Unit::Night {
                // "the previous day", "the next day", "the same day": relative to the story's last date.
                let n = match d {
                    Dir::Previous => -1,
                    Dir::Following | Dir::Next if the => 1,
                    Dir::Same if the => 0,
                    Dir::That => 0,
                    Dir::Last if u == Unit::Night => {
                        return self.m(start, e, Spec::Clock { day: Some(DaySpec::Rel(-1)), clock: Clock::Pod("NI") });
                    }
                    Dir::This if u == Unit::Night => {
                        return self.m(start, e, Spec::Clock { day: Some(DaySpec::Rel(0)), clock: Clock::Pod("NI") });
                    }
                    _ => return None,
                };
                return self.m(start, e, Spec::Day(DaySpec::Anaphoric(n)));
            }
            // "that year", "the following year", "the previous month": from the last date the story named.
            if u == Unit::Year || u == Unit::Month {
                let anaphoric = match d {
                    Dir::That | Dir::Same => Some(0),
                    Dir::Following if the => Some(1),
                    Dir::Previous if the => Some(-1),
                    _ => None,
                };
                if let Some(n) = anaphoric {
                    return self.m(start, e, Spec::Anaphoric { unit: u, n });
                }
            }
            let n = match d {
                Dir::Last | Dir::Past | Dir::Previous => -1,
                Dir::Next | Dir::Following => 1,
                Dir::This => 0,
                _ => return None,
            };
            if u == Unit::Quarter && d == Dir::This {
                return self.m(start, e, Spec::Rel { unit: u, n: 0 });
            }
            // "this year's third quarter", "next year's first half"
            if u == Unit::Year && (self.punct(e, "'") || self.punct(e, "’")) && self.is(e + 1, "s") {
                if let Some(q) = self.ord(e + 2) {
                    let k = if self.hyphen(e + 3) { e + 4 } else { e + 3 };
                    if self.is(k, "quarter") && (1..=4).contains(&q) {
                        return self.m(start, k + 1, Spec::QuarterRelYear { q, n });
                    }
                }
            }
            return self.m(start, e, Spec::Rel { unit: u, n });
        }
        if let Some(wd) = self.weekday(j) {
            if self.tok(j).is_some_and(|t| t.cap) && matches!(d, Dir::Last | Dir::Next | Dir::This | Dir::Past | Dir::Previous | Dir::Following) {
                if let Some(p) = self.pod(j + 1) {
                    return self.m(start, j + 2, Spec::Clock { day: Some(DaySpec::Weekday(wd, Some(d))), clock: Clock::Pod(p) });
                }
                return self.m(start, j + 1, Spec::Day(DaySpec::Weekday(wd, Some(d))));
            }
        }
        if let Some(m) = self.month(j) {
            if self.tok(j).is_some_and(|t| t.cap) && matches!(d, Dir::Last | Dir::Next | Dir::This | Dir::Past) {
                // "last December 25" is a date
                if let Some(dm) = self.at_month(j, m) {
                    if let Spec::Day(ds) = dm.spec {
                        return self.m(start, dm.end, Spec::Day(ds));
                    }
                }
                return self.m(start, j + 1, Spec::MonthDir { m, dir: d });
            }
        }
        if let Some(s) = self.season(j) {
            if matches!(d, Dir::Last | Dir::Next | Dir::This | Dir::Past) {
                return self.at_season(start, j, s, Some(d));
            }
        }
        if let Some(p) = self.pod(j) {
            return match d {
                Dir::This => self.m(start, j + 1, Spec::Clock { day: Some(DaySpec::Rel(0)), clock: Clock::Pod(p) }),
                Dir::Last if p == "NI" => self.m(start, j + 1, Spec::Clock { day: Some(DaySpec::Rel(-1)), clock: Clock::Pod(p) }),
                _ => None,
            };
        }
        if d == Dir::Past && the && j == dir_tok + 1 {
            return self.m(start, j, Spec::Fuzzy(Fuzzy::Past));
        }
        None
    }

    fn at_season(&self, start: usize, j: usize, s: &'static str, dir: Option<Dir>) -> Option<Match> {
        // "fall" and "spring" are verbs and nouns too: a bare season needs a year or a direction/the.
        let k = if self.is(j + 1, "of") { j + 2 } else { j + 1 };
        if let Some((e, y)) = self.year_any(k) {
            return self.m(start, e, Spec::Season { s, y: Some(y), dir: None });
        }
        if dir.is_none() && start == j {
            return None;
        }
        self.m(start, j + 1, Spec::Season { s, y: None, dir })
    }

    /// Ordinals: "third-quarter", "the first half of 2024", "the 20th century", "the first nine months".
    fn at_ordinal(&self, o: usize, start: usize) -> Option<Match> {
        let q = self.ord(o)?;
        let mut j = o + 1;
        // "the third-quarter results": the adjective is the expression, not "the".
        let mut start = start;
        if self.hyphen(j) {
            j += 1;
            start = o;
        }
        if self.is(j, "fiscal") {
            j += 1;
        }
        // "the first nine months"
        if let Some((k, n)) = self.amount(j) {
            if !self.is_any(j, &["a", "an"]) {
                if let Some(u) = self.unit(k) {
                    if start < o || q == 1 {
                        return self.m(start, k + 1, Spec::Duration { n, unit: u });
                    }
                }
            }
        }
        let u = self.unit(j);
        let half = self.is(j, "half");
        let century = u == Some(Unit::Century);
        if !(u == Some(Unit::Quarter) || half || century) {
            return None;
        }
        let mut e = j + 1;
        if century {
            let c = q as i32 - 1;
            return self.m(start, e, Spec::Century(c));
        }
        if self.tok(j).is_some_and(|t| t.text.ends_with('s')) {
            return None;
        }
        let mut y = None;
        let k = if self.is(e, "of") || self.punct(e, ",") { e + 1 } else { e };
        if let Some(yy) = self.year_num(k) {
            y = Some(yy);
            e = k + 1;
        }
        if half {
            return if q <= 2 { self.m(start, e, Spec::Half { h: q, y }) } else { None };
        }
        if !(1..=4).contains(&q) {
            return None;
        }
        self.m(start, e, Spec::Quarter { q, y })
    }

    /// Expressions that begin with "the".
    fn at_the(&self, i: usize) -> Option<Match> {
        let j = i + 1;
        let t = self.tok(j)?;
        // the 1990s, the '90s, the nineties, the mid-1990s
        if let Some((e, d)) = self.decade_word(j) {
            return self.m(i, e, Spec::Decade(d));
        }
        if (self.punct(j, "'") || self.punct(j, "’")) && self.decade_word(j + 1).is_some() {
            let (e, d) = self.decade_word(j + 1)?;
            return self.m(i, e, Spec::Decade(d));
        }
        // the mid-1990s, the late '80s
        if self.has(j, |l| matches!(l, Lex::Edge(_))) {
            let k = if self.hyphen(j + 1) { j + 2 } else { j + 1 };
            let dec = self.decade_word(k).or_else(|| if self.punct(k, "'") || self.punct(k, "’") { self.decade_word(k + 1) } else { None });
            if let Some((e, d)) = dec {
                return self.m(i, e, Spec::Decade(d));
            }
        }
        if let Some(d) = self.find(j, |l| if let Lex::DecadeWord(d) = l { Some(*d) } else { None }) {
            return self.m(i, j + 1, Spec::Decade(d as i32));
        }
        // the future / the past / the near future / the near term
        if self.is(j, "future") {
            return self.m(i, j + 1, Spec::Fuzzy(Fuzzy::Future));
        }
        if self.is_any(j, &["near", "short"]) && self.is_any(j + 1, &["future", "term"]) {
            return self.m(i, j + 2, Spec::Fuzzy(Fuzzy::Future));
        }
        // the end/beginning/middle of X; the end-of-year
        if self.has(j, |l| matches!(l, Lex::Edge(_))) && self.is_any(j, &["end", "beginning", "start", "middle"]) {
            if self.is(j + 1, "of") {
                if let Some(m) = self.parse(j + 2) {
                    // "the end of March", not "the start of a day" (a duration).
                    let point = !matches!(m.spec, Spec::Duration { .. } | Spec::Set(_) | Spec::Fuzzy(_));
                    if m.start == j + 2 && point {
                        return self.m(i, m.end, m.spec);
                    }
                }
                // "the end of the year" → parse "the year"
                if self.is(j + 2, "the") {
                    if let Some(u) = self.unit(j + 3) {
                        if matches!(u, Unit::Year | Unit::Month | Unit::Week | Unit::Quarter | Unit::Decade | Unit::Century) && !self.tok(j + 3).is_some_and(|t| t.text.ends_with('s')) {
                            return self.m(i, j + 4, Spec::Rel { unit: u, n: 0 });
                        }
                    }
                }
            }
            return None;
        }
        // the weekend
        if self.unit(j) == Some(Unit::Weekend) && !t.text.ends_with('s') {
            return self.m(i, j + 1, Spec::Weekend(None));
        }
        // the quarter / the latest quarter / the current quarter / the current year
        if self.is_any(j, &["latest", "most"]) || self.unit(j) == Some(Unit::Quarter) {
            let mut k = j;
            if self.is(k, "most") && self.is(k + 1, "recent") {
                k += 2;
            } else if self.is(k, "latest") {
                k += 1;
            }
            if self.is(k, "fiscal") {
                k += 1;
            }
            if (self.unit(k) == Some(Unit::Quarter) && self.is(k, "quarter")) || (k > j && self.is(k, "period")) {
                return self.m(i, k + 1, Spec::LastQuarter);
            }
            // "the latest fiscal year": the last full year
            if k > j && self.is(k, "year") {
                return self.m(i, k + 1, Spec::Rel { unit: Unit::Year, n: -1 });
            }
        }
        // the + dir (the past two months, the previous day, the coming weeks, the past)
        if let Some(d) = self.dir(j) {
            let mut k = j + 1;
            if self.is(k, "fiscal") {
                k += 1;
            }
            return self.at_dir(i, k, d, j);
        }
        // the third quarter, the first half, the 20th century
        if self.ord(j).is_some() || self.is(j, "fiscal") {
            let o = if self.is(j, "fiscal") { j + 1 } else { j };
            if let Some(m) = self.at_ordinal(o, i) {
                return Some(m);
            }
        }
        // the early summer, the late 1980s: an edge word inside "the"
        if self.is_any(j, &["early", "late", "mid"]) {
            if let Some(m) = self.at_edge(j, Edge::Start) {
                if matches!(m.spec, Spec::Season { .. } | Spec::Decade(_) | Spec::Month { .. }) {
                    return self.m(i, m.end, m.spec);
                }
            }
            if let Some(s) = self.season(j + 1) {
                return self.m(i, j + 2, Spec::Season { s, y: None, dir: None });
            }
        }
        // the summer [of 1995]
        if let Some(s) = self.season(j) {
            return self.at_season(i, j, s, None);
        }
        // the year-ago quarter, the year-earlier period
        if self.is(j, "year") && self.hyphen(j + 1) && self.is_any(j + 2, &["ago", "earlier"]) {
            let mut e = j + 3;
            if self.ord(e).is_some() && self.unit(e + 1) == Some(Unit::Quarter) {
                e += 1;
            }
            if self.is_any(e, &["quarter", "period"]) {
                e += 1;
            }
            return self.m(i, e, Spec::YearAgo);
        }
        // the year [two thousand], the [fiscal|full] year: "for the year" is a stretch of it.
        {
            let mut k = j;
            if self.is_any(k, &["fiscal", "full", "current", "calendar"]) {
                k += 1;
            }
            if self.is(k, "year") {
                if let Some((e, y)) = self.year_any(k + 1) {
                    return self.m(i, e, Spec::Year(y));
                }
                let next_bad = self.dash(k + 1) || self.punct(k + 1, "'") || self.punct(k + 1, "’") || self.is_any(k + 1, &["before", "after", "when", "in", "that"]);
                // "for the year" reads as a stretch as often as a date in news; the date is the more useful value.
                if !next_bad {
                    return self.m(i, k + 1, Spec::Rel { unit: Unit::Year, n: 0 });
                }
            }
        }
        // the 1988 second quarter; not "the 1988 quarter" as 1988 quarters
        if self.year_num(j).is_some() {
            return self.at_number(j).filter(|m| matches!(m.spec, Spec::Quarter { .. } | Spec::Half { .. })).map(|m| Match { start: i, ..m });
        }
        if let Some((k, n)) = self.amount(j) {
            if let Some(u) = self.unit(k) {
                if !self.is_any(j, &["a", "an"]) && !matches!(u, Unit::Weekend) {
                    return self.m(i, k + 1, Spec::Duration { n, unit: u });
                }
            }
        }
        None
    }

    /// early/late/mid/earlier/later + X: "earlier this year", "late yesterday", "mid-November", "end-of-year".
    fn at_edge(&self, i: usize, _e: Edge) -> Option<Match> {
        let mut j = i + 1;
        if self.hyphen(j) {
            j += 1;
        }
        // end-of-year, end-of-month
        if self.is(i, "end") && self.is(j, "of") {
            let k = if self.hyphen(j + 1) { j + 2 } else { j + 1 };
            if let Some(u) = self.unit(k) {
                if matches!(u, Unit::Year | Unit::Month | Unit::Week | Unit::Quarter) && self.hyphen(j + 1) {
                    return self.m(i, k + 1, Spec::Rel { unit: u, n: 0 });
                }
            }
            return None;
        }
        // "earlier in the year"
        if self.is(j, "in") && self.is(j + 1, "the") {
            if let Some(u) = self.unit(j + 2) {
                if matches!(u, Unit::Year | Unit::Month | Unit::Week | Unit::Day) && !self.tok(j + 2).is_some_and(|t| t.text.ends_with('s')) {
                    return self.m(i, j + 3, Spec::Rel { unit: u, n: 0 });
                }
            }
            return None;
        }
        if self.is(i, "mid") && self.unit(j).is_some_and(|u| matches!(u, Unit::Year | Unit::Week | Unit::Month | Unit::Day)) && self.hyphen(i + 1) {
            let u = self.unit(j)?;
            return self.m(i, j + 1, Spec::Rel { unit: u, n: 0 });
        }
        if self.is_any(i, &["end", "beginning", "start", "middle"]) {
            return None;
        }
        let m = self.core(j)?;
        if m.start != j {
            return None;
        }
        match m.spec {
            Spec::Rel { .. } | Spec::Day(_) | Spec::Month { .. } | Spec::MonthDir { .. } | Spec::Year(_) | Spec::Decade(_) | Spec::Season { .. } | Spec::Clock { .. } | Spec::Quarter { .. } | Spec::Weekend(_) => {
                // "later" + a date is often "later Tuesday": fine. "earlier" + a year ("earlier 1990") is not English; ok.
                self.m(i, m.end, m.spec)
            }
            _ => None,
        }
    }
}
