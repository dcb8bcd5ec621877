//! The time lexicon: words that can take part in a time expression, read
//! once from `data/time/lexicon.tsv` (compiled into the binary).

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Night,
    Week,
    Weekend,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl Unit {
    fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "sec" => Unit::Second,
            "min" => Unit::Minute,
            "hour" => Unit::Hour,
            "day" => Unit::Day,
            "night" => Unit::Night,
            "week" => Unit::Week,
            "weekend" => Unit::Weekend,
            "fortnight" => Unit::Fortnight,
            "month" => Unit::Month,
            "quarter" => Unit::Quarter,
            "year" => Unit::Year,
            "decade" => Unit::Decade,
            "century" => Unit::Century,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Last,
    Next,
    This,
    Past,
    Previous,
    Following,
    Recent,
    That,
    Same,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fuzzy {
    Present,
    Past,
    Future,
}

impl Fuzzy {
    pub fn value(self) -> &'static str {
        match self {
            Fuzzy::Present => "PRESENT_REF",
            Fuzzy::Past => "PAST_REF",
            Fuzzy::Future => "FUTURE_REF",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Start,
    Mid,
    End,
}

/// One reading of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lex {
    Month(u32),
    Weekday(u32),
    /// "Mondays": a weekday as a recurring set.
    Weekdays(u32),
    Num(u32),
    Ord(u32),
    Unit(Unit),
    /// Season code: SP, SU, FA, WI.
    Season(&'static str),
    /// Part of day code: MO, AF, EV, NI.
    Pod(&'static str),
    DayRef(i32),
    Fuzzy(Fuzzy),
    Dir(Dir),
    Approx,
    Edge(Edge),
    SetAdv(Unit),
    Vague,
    Ago(i32),
    Tz,
    DecadeWord(u32),
    /// noon = 12, midnight = 24.
    Clock(u32),
}

pub struct Lexicon {
    /// Looked up for most words of every document: a fast multiply-rotate
    /// hash instead of SipHash (never iterated, so no output can change).
    words: HashMap<&'static str, Vec<Lex>, crate::extract::events::model::FastHash>,
    /// Longest entry, so longer words are rejected before hashing.
    max_len: usize,
}

const SOURCE: &str = include_str!("../../../data/time/lexicon.tsv");

fn code(s: &str, allowed: &[&'static str]) -> Option<&'static str> {
    allowed.iter().copied().find(|a| *a == s)
}

fn parse_entry(cat: &str, val: &str) -> Option<Lex> {
    let num = || val.parse::<i64>().ok();
    Some(match cat {
        "month" => Lex::Month(num()? as u32),
        "weekday" => Lex::Weekday(num()? as u32),
        "weekdays" => Lex::Weekdays(num()? as u32),
        "num" => Lex::Num(num()? as u32),
        "ord" => Lex::Ord(num()? as u32),
        "unit" => Lex::Unit(Unit::parse(val)?),
        "season" => Lex::Season(code(val, &["SP", "SU", "FA", "WI"])?),
        "pod" => Lex::Pod(code(val, &["MO", "AF", "EV", "NI"])?),
        "dayref" => Lex::DayRef(num()? as i32),
        "fuzzy" => Lex::Fuzzy(match val {
            "PRESENT_REF" => Fuzzy::Present,
            "PAST_REF" => Fuzzy::Past,
            "FUTURE_REF" => Fuzzy::Future,
            _ => return None,
        }),
        "dir" => Lex::Dir(match val {
            "last" => Dir::Last,
            "next" => Dir::Next,
            "this" => Dir::This,
            "past" => Dir::Past,
            "previous" => Dir::Previous,
            "following" => Dir::Following,
            "recent" => Dir::Recent,
            "that" => Dir::That,
            "same" => Dir::Same,
            _ => return None,
        }),
        "approx" => Lex::Approx,
        "edge" => Lex::Edge(match val {
            "START" => Edge::Start,
            "MID" => Edge::Mid,
            "END" => Edge::End,
            _ => return None,
        }),
        "setadv" => Lex::SetAdv(Unit::parse(val)?),
        "vague" => Lex::Vague,
        "ago" => Lex::Ago(num()? as i32),
        "tz" => Lex::Tz,
        "decadeword" => Lex::DecadeWord(num()? as u32),
        "clock" => Lex::Clock(num()? as u32),
        _ => return None,
    })
}

impl Lexicon {
    /// Parses the lexicon text; malformed lines are reported, not skipped silently.
    pub fn parse(src: &'static str) -> Result<Lexicon, String> {
        let mut words: HashMap<&'static str, Vec<Lex>, crate::extract::events::model::FastHash> = HashMap::default();
        let mut max_len = 0;
        for (n, line) in src.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split('\t');
            let (Some(w), Some(cat)) = (parts.next(), parts.next()) else {
                return Err(format!("line {}: expected word<TAB>category", n + 1));
            };
            let val = parts.next().unwrap_or("");
            let lex = parse_entry(cat, val).ok_or_else(|| format!("line {}: bad entry {line:?}", n + 1))?;
            max_len = max_len.max(w.len());
            words.entry(w).or_default().push(lex);
        }
        Ok(Lexicon { words, max_len })
    }

    /// The readings of `word` (any ASCII case); empty when it is not a time word.
    pub fn lookup(&self, word: &str) -> &[Lex] {
        const EMPTY: &[Lex] = &[];
        let n = word.len();
        if n == 0 || n > self.max_len || n > 32 || !word.is_ascii() {
            return EMPTY;
        }
        let mut buf = [0u8; 32];
        for (d, s) in buf.iter_mut().zip(word.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        let Ok(lower) = std::str::from_utf8(&buf[..n]) else {
            return EMPTY;
        };
        self.words.get(lower).map(Vec::as_slice).unwrap_or(EMPTY)
    }
}

/// The bundled lexicon. A malformed bundled file is a build bug caught by the
/// tests; at run time it degrades to an empty lexicon rather than panicking.
pub static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::parse(SOURCE).unwrap_or_else(|_| Lexicon { words: HashMap::default(), max_len: 0 }));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lexicon_parses() {
        let lx = Lexicon::parse(SOURCE).unwrap();
        assert!(lx.lookup("December").contains(&Lex::Month(12)));
        assert!(lx.lookup("SECOND").contains(&Lex::Ord(2)));
        assert!(lx.lookup("second").contains(&Lex::Unit(Unit::Second)));
        assert!(lx.lookup("Zoë").is_empty());
        assert!(lx.lookup("").is_empty());
    }
}
