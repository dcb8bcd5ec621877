//! The anchor of relative expressions: the document date, else a dateline
//! ("MOSCOW, Dec 19 (Reuters) -"). Never the machine clock.

use super::lexicon::{Lex, LEXICON};
use super::normalize::Anchor;
use crate::text::{Analysis, Document};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// PLACE[, REGION], Month Day[, Year] [(Agency)] -
static DATELINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^[A-Z][A-Za-z.'’\-]*(?: [A-Z][A-Za-z.'’\-]*){0,3}(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2})?,\s+([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?\s*(?:\([^)\n]{1,40}\))?\s*[-–—]",
    )
    .ok()
});

/// Leap placeholder year for datelines without a year: Feb 29 stays a date.
const NO_YEAR: i32 = 2000;

/// The date of a dateline at the start of `para`, if any.
pub fn dateline(para: &str, year_hint: Option<i32>) -> Option<Anchor> {
    let re = DATELINE.as_ref()?;
    let head = para.get(..para.len().min(160)).or_else(|| {
        let mut k = para.len().min(160);
        while !para.is_char_boundary(k) {
            k -= 1;
        }
        para.get(..k)
    })?;
    let c = re.captures(head)?;
    let month = LEXICON.lookup(c.get(1)?.as_str()).iter().find_map(|l| if let Lex::Month(m) = l { Some(*m) } else { None })?;
    let day: u32 = c.get(2)?.as_str().parse().ok()?;
    match c.get(3).and_then(|y| y.as_str().parse::<i32>().ok()).or(year_hint) {
        Some(y) => Some(Anchor { date: NaiveDate::from_ymd_opt(y, month, day)?, year_known: true }),
        None => Some(Anchor { date: NaiveDate::from_ymd_opt(NO_YEAR, month, day)?, year_known: false }),
    }
}

/// The document's anchor: its date, else a dateline in one of its first paragraphs.
pub fn find(doc: &Document, analysis: &Analysis) -> Option<Anchor> {
    if let Some(d) = doc.date {
        return Some(Anchor { date: d, year_known: true });
    }
    analysis
        .paragraphs
        .iter()
        .take(4)
        .filter_map(|p| doc.text.get(p.start..p.end))
        .find_map(|p| dateline(p, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let a = dateline("MOSCOW, Dec 19 (Reuters) - Russia said", None).unwrap();
        assert_eq!(a.date.format("%m-%d").to_string(), "12-19");
        assert!(!a.year_known);
        let a = dateline("WASHINGTON, Feb. 29, 2024 (AP) — The", None).unwrap();
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert!(a.year_known);
        let a = dateline("KYIV, Ukraine, March 3 (Reuters) - x", Some(2023)).unwrap();
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2023, 3, 3).unwrap());
        assert!(dateline("The minister said on Dec 19 - or so", None).is_none());
        assert!(dateline("", None).is_none());
        assert!(dateline("PARIS, Feb 30 (AFP) - x", Some(2023)).is_none());
    }
}
