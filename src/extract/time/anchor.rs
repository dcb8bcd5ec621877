//! The anchor of relative expressions: the document date, else a dateline
//! ("MOSCOW, Dec 19 (Reuters) -"). Never the machine clock.

use super::lexicon::{Lex, LEXICON};
use super::normalize::Anchor;
use crate::text::{Analysis, Document};
use chrono::NaiveDate;

/// Leap placeholder year for datelines without a year: Feb 29 stays a date.
const NO_YEAR: i32 = 2000;

/// The date a dateline's date text names ("Dec 19", "Feb. 29, 2024"; the
/// layout found it); without a year, a placeholder one and `year_known` false.
pub fn dateline_date(date: &str) -> Option<Anchor> {
    let mut parts = date.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty());
    let month = LEXICON.lookup(parts.next()?).iter().find_map(|l| if let Lex::Month(m) = l { Some(*m) } else { None })?;
    let day: u32 = parts.next()?.parse().ok()?;
    match parts.next().and_then(|y| y.parse::<i32>().ok()) {
        Some(y) => Some(Anchor { date: NaiveDate::from_ymd_opt(y, month, day)?, year_known: true }),
        None => Some(Anchor { date: NaiveDate::from_ymd_opt(NO_YEAR, month, day)?, year_known: false }),
    }
}

/// The document's anchor: its date, else the date of its dateline
/// (`text::layout` finds the dateline: one pattern for both uses).
pub fn find(doc: &Document, analysis: &Analysis) -> Option<Anchor> {
    if let Some(d) = doc.date {
        return Some(Anchor { date: d, year_known: true });
    }
    let date = analysis.dateline.as_ref()?.date.clone()?;
    dateline_date(doc.text.get(date)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let anchor = |text: &str| find(&Document::plain("t", text), &crate::text::analyze(text));
        let a = anchor("Russia\nMOSCOW, Dec 19 (Reuters) - Russia said").unwrap();
        assert_eq!(a.date.format("%m-%d").to_string(), "12-19");
        assert!(!a.year_known);
        let a = anchor("Leap\nWASHINGTON, Feb. 29, 2024 (AP) — The").unwrap();
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert!(a.year_known);
        let a = dateline_date("March 3").unwrap();
        assert_eq!((a.date.format("%m-%d").to_string(), a.year_known), ("03-03".to_string(), false));
        assert!(anchor("Dates\nThe minister said on Dec 19 - or so").is_none());
        assert!(anchor("").is_none());
        assert!(anchor("Paris\nPARIS (AFP) - x").is_none());
        assert!(dateline_date("Feb 30, 2023").is_none());
    }
}
