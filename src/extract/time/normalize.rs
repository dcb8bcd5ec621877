//! From a recognized expression ([`Spec`]) to its TimeML TIMEX3 value, with
//! chrono doing the calendar arithmetic. Nothing here reads the clock: without
//! an anchor, relative expressions keep an unresolved value.

use super::grammar::{Amount, Clock, DaySpec, SetSpec, Spec};
use super::lexicon::{Dir, Unit};
use crate::extract::TimexType;
use chrono::{Datelike, Months, NaiveDate, Weekday};

/// The reference date for relative expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub date: NaiveDate,
    /// False when only month and day are known (a dateline without a year):
    /// the year part of values stays `XXXX`.
    pub year_known: bool,
}

/// The tense of the clause around an expression, for weekday/month resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    /// Present tense: weekdays look forward ("meets Monday"), months stay near.
    Present,
    Future,
    Unknown,
}

pub struct Ctx {
    pub anchor: Option<Anchor>,
    pub tense: Tense,
    /// The last day-precise date mentioned before, for "the previous day".
    pub last_day: Option<NaiveDate>,
    /// The last year-and-month the story named explicitly, for "that year", "the following month".
    pub last_month: Option<(i32, Option<u32>)>,
    /// The clause talks about quarters: "a year earlier" means the quarter a year back.
    pub quarter_context: bool,
}

/// The value and type of an expression, and the day it resolves to (if day-precise).
pub fn normalize(spec: &Spec, ctx: &Ctx) -> Option<(String, TimexType, Option<NaiveDate>)> {
    let t = match spec {
        Spec::Duration { .. } => TimexType::Duration,
        Spec::Set(_) => TimexType::Set,
        Spec::Clock { .. } => TimexType::Time,
        _ => TimexType::Date,
    };
    let (v, day) = value(spec, ctx)?;
    Some((v, t, day))
}

fn year_str(a: &Anchor, y: i32) -> String {
    if a.year_known {
        format!("{y:04}")
    } else {
        "XXXX".to_string()
    }
}

fn day_str(a: Option<&Anchor>, d: NaiveDate) -> String {
    match a {
        Some(a) if !a.year_known => format!("XXXX-{:02}-{:02}", d.month(), d.day()),
        _ => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
    }
}

fn quarter_of(month: u32) -> i32 {
    ((month as i32) - 1) / 3 + 1
}

/// Shifts a (year, index) pair where index runs 1..=per_year.
fn shift(y: i32, idx: i32, per_year: i32, n: i32) -> (i32, i32) {
    let z = y * per_year + (idx - 1) + n;
    (z.div_euclid(per_year), z.rem_euclid(per_year) + 1)
}

/// The year of a month (and day) given without one: the anchor's year, moved
/// by the tense (past → not after the anchor; future → not before it);
/// without tense, the nearest occurrence.
fn infer_year(a: &Anchor, m: u32, _d: Option<u32>, tense: Tense) -> i32 {
    let ay = a.date.year();
    // Months from the anchor's month to the named one, within the anchor's year.
    // A month or so either way stays in the anchor's year whatever the tense
    // (tense cues are noisy; "Dec. 15" in a November story is this December).
    let diff = m as i32 - a.date.month() as i32;
    match tense {
        Tense::Past if diff > 3 => ay - 1,
        Tense::Future if diff < -3 => ay + 1,
        Tense::Unknown | Tense::Present if diff > 6 => ay - 1,
        Tense::Unknown | Tense::Present if diff < -6 => ay + 1,
        _ => ay,
    }
}

fn weekday_from(n: u32) -> Option<Weekday> {
    Some(match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        7 => Weekday::Sun,
        _ => return None,
    })
}

fn resolve_weekday(a: &Anchor, wd: u32, dir: Option<Dir>, tense: Tense) -> Option<NaiveDate> {
    let target = weekday_from(wd)?;
    let cur = a.date.weekday().number_from_monday() as i64;
    let t = target.number_from_monday() as i64;
    let back = (cur - t).rem_euclid(7);
    let fwd = (t - cur).rem_euclid(7);
    let days = match dir {
        Some(Dir::Last | Dir::Past | Dir::Previous) => -(if back == 0 { 7 } else { back }),
        // "next Thursday" is in the next calendar week: said on a Wednesday, eight days on.
        Some(Dir::Next | Dir::Following) => {
            if fwd == 0 || cur + fwd <= 7 {
                fwd + 7
            } else {
                fwd
            }
        }
        Some(Dir::This) => fwd,
        _ => match tense {
            Tense::Future | Tense::Present => fwd,
            _ => -back,
        },
    };
    a.date.checked_add_signed(chrono::Duration::days(days))
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    d.checked_add_signed(chrono::Duration::days(n))
}

fn week_str(a: &Anchor, d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", year_str(a, w.year()), w.week())
}

/// The day a day-precise spec resolves to, or its unresolved value.
fn day_value(ds: &DaySpec, ctx: &Ctx) -> Option<(String, Option<NaiveDate>)> {
    let a = ctx.anchor.as_ref();
    match *ds {
        DaySpec::Date { y: Some(y), m, d } => {
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            Some((day_str(None, date), Some(date)))
        }
        DaySpec::Date { y: None, m, d } => {
            let Some(a) = a else {
                return Some((format!("XXXX-{m:02}-{d:02}"), None));
            };
            let y = infer_year(a, m, Some(d), ctx.tense);
            match NaiveDate::from_ymd_opt(y, m, d) {
                Some(date) => Some((day_str(Some(a), date), Some(date))),
                // Feb 29 in a year without one: the year is not knowable from the anchor.
                None => Some((format!("XXXX-{m:02}-{d:02}"), None)),
            }
        }
        DaySpec::Rel(n) => match a {
            Some(a) => {
                let d = add_days(a.date, n as i64)?;
                Some((day_str(Some(a), d), Some(d)))
            }
            None => Some(("XXXX-XX-XX".to_string(), None)),
        },
        DaySpec::Anaphoric(n) => {
            let base = ctx.last_day.or(a.map(|a| a.date));
            match base {
                Some(b) => {
                    let d = add_days(b, n as i64)?;
                    Some((day_str(a, d), Some(d)))
                }
                None => Some(("XXXX-XX-XX".to_string(), None)),
            }
        }
        DaySpec::Weekday(wd, dir) => match a {
            Some(a) if a.year_known => {
                let d = resolve_weekday(a, wd, dir, ctx.tense)?;
                Some((day_str(Some(a), d), Some(d)))
            }
            _ => Some((format!("XXXX-WXX-{wd}"), None)),
        },
    }
}

fn unit_code(u: Unit) -> (&'static str, bool) {
    // (designator, is a time-of-day unit needing "T")
    match u {
        Unit::Second => ("S", true),
        Unit::Minute => ("M", true),
        Unit::Hour => ("H", true),
        Unit::Day | Unit::Night => ("D", false),
        Unit::Week | Unit::Fortnight => ("W", false),
        Unit::Weekend => ("WE", false),
        Unit::Month => ("M", false),
        Unit::Quarter => ("Q", false),
        Unit::Year => ("Y", false),
        Unit::Decade => ("DE", false),
        Unit::Century => ("CE", false),
    }
}

fn duration_value(n: Amount, unit: Unit) -> String {
    let (code, t) = unit_code(unit);
    let p = if t { "PT" } else { "P" };
    match n {
        Amount::X => match unit {
            Unit::Century => "PXC".to_string(),
            _ => format!("{p}X{code}"),
        },
        Amount::N(k) => match unit {
            Unit::Decade => format!("P{}Y", k.saturating_mul(10)),
            Unit::Century => format!("P{}Y", k.saturating_mul(100)),
            Unit::Fortnight => format!("P{}W", k.saturating_mul(2)),
            Unit::Quarter => format!("P{}M", k.saturating_mul(3)),
            _ => format!("{p}{k}{code}"),
        },
        Amount::Half(k) => match unit {
            Unit::Year if k > 0 => format!("P{k}Y6M"),
            Unit::Year => "P6M".to_string(),
            Unit::Hour if k > 0 => format!("PT{k}H30M"),
            Unit::Hour => "PT30M".to_string(),
            Unit::Minute if k > 0 => format!("PT{k}M30S"),
            Unit::Minute => "PT30S".to_string(),
            Unit::Day if k > 0 => format!("P{k}DT12H"),
            Unit::Day => "PT12H".to_string(),
            Unit::Decade => format!("P{}Y", k.saturating_mul(10).saturating_add(5)),
            Unit::Century => format!("P{}Y", k.saturating_mul(100).saturating_add(50)),
            _ => format!("{p}{k}.5{code}"),
        },
    }
}

fn rel_value(a: &Anchor, unit: Unit, n: i32) -> Option<(String, Option<NaiveDate>)> {
    let d = a.date;
    Some(match unit {
        Unit::Day | Unit::Night | Unit::Hour | Unit::Minute | Unit::Second => {
            let k = match unit {
                Unit::Day | Unit::Night => n as i64,
                // "two hours ago" is still today (or yesterday) at day precision.
                Unit::Hour => (n as i64 * 3600).div_euclid(86400),
                _ => 0,
            };
            let x = add_days(d, k)?;
            (day_str(Some(a), x), Some(x))
        }
        Unit::Week | Unit::Fortnight => {
            let k = if unit == Unit::Fortnight { 14 } else { 7 };
            (week_str(a, add_days(d, k * n as i64)?), None)
        }
        Unit::Weekend => (format!("{}-WE", week_str(a, add_days(d, 7 * n as i64)?)), None),
        Unit::Month => {
            let first = d.with_day(1)?;
            let x = if n >= 0 {
                first.checked_add_months(Months::new(n as u32))?
            } else {
                first.checked_sub_months(Months::new(n.unsigned_abs()))?
            };
            (format!("{}-{:02}", year_str(a, x.year()), x.month()), None)
        }
        Unit::Quarter => {
            let (y, q) = shift(d.year(), quarter_of(d.month()), 4, n);
            (format!("{}-Q{q}", year_str(a, y)), None)
        }
        Unit::Year => (year_str(a, d.year() + n), None),
        Unit::Decade => {
            if !a.year_known {
                return Some(("XXX".to_string(), None));
            }
            (format!("{:03}", d.year().div_euclid(10) + n), None)
        }
        Unit::Century => {
            if !a.year_known {
                return Some(("XX".to_string(), None));
            }
            (format!("{:02}", d.year().div_euclid(100) + n), None)
        }
    })
}

fn unresolved_rel(unit: Unit) -> &'static str {
    match unit {
        Unit::Day | Unit::Night | Unit::Hour | Unit::Minute | Unit::Second => "XXXX-XX-XX",
        Unit::Week | Unit::Fortnight => "XXXX-WXX",
        Unit::Weekend => "XXXX-WXX-WE",
        Unit::Month => "XXXX-XX",
        Unit::Quarter => "XXXX-QX",
        Unit::Year => "XXXX",
        Unit::Decade => "XXX",
        Unit::Century => "XX",
    }
}

fn season_start(s: &str) -> u32 {
    match s {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

fn value(spec: &Spec, ctx: &Ctx) -> Option<(String, Option<NaiveDate>)> {
    let a = ctx.anchor.as_ref();
    Some(match spec {
        Spec::Day(ds) => day_value(ds, ctx)?,
        Spec::Month { y: Some(y), m } => (format!("{y:04}-{m:02}"), None),
        Spec::Month { y: None, m } => match a {
            Some(a) => (format!("{}-{m:02}", year_str(a, infer_year(a, *m, None, ctx.tense))), None),
            None => (format!("XXXX-{m:02}"), None),
        },
        Spec::MonthDir { m, dir } => match a {
            Some(a) => {
                let ay = a.date.year();
                let am = a.date.month();
                let y = match dir {
                    Dir::Last | Dir::Past | Dir::Previous => {
                        if *m < am {
                            ay
                        } else {
                            ay - 1
                        }
                    }
                    Dir::Next | Dir::Following => {
                        if *m > am {
                            ay
                        } else {
                            ay + 1
                        }
                    }
                    _ => ay,
                };
                (format!("{}-{m:02}", year_str(a, y)), None)
            }
            None => (format!("XXXX-{m:02}"), None),
        },
        Spec::MonthRelYear { m, n } => match a {
            Some(a) => (format!("{}-{m:02}", year_str(a, a.date.year() + n)), None),
            None => (format!("XXXX-{m:02}"), None),
        },
        Spec::QuarterRelYear { q, n } => match a {
            Some(a) => (format!("{}-Q{q}", year_str(a, a.date.year() + n)), None),
            None => (format!("XXXX-Q{q}"), None),
        },
        Spec::Anaphoric { unit, n } => {
            let base = ctx.last_month.or(a.filter(|a| a.year_known).map(|a| (a.date.year(), Some(a.date.month()))));
            match (unit, base) {
                (Unit::Year, Some((y, _))) => (format!("{:04}", y + n), None),
                (Unit::Month, Some((y, Some(m)))) => {
                    let (yy, mm) = shift(y, m as i32, 12, *n);
                    (format!("{yy:04}-{mm:02}"), None)
                }
                (Unit::Month, _) => ("XXXX-XX".to_string(), None),
                _ => ("XXXX".to_string(), None),
            }
        }
        Spec::Year(y) => (format!("{y:04}"), None),
        Spec::Decade(d) => (format!("{d:03}"), None),
        Spec::Century(c) => (format!("{c:02}"), None),
        Spec::Season { s, y: Some(y), .. } => (format!("{y:04}-{s}"), None),
        Spec::Season { s, y: None, dir } => match a {
            Some(a) => {
                let ay = a.date.year();
                let am = a.date.month();
                let start = season_start(s);
                let y = match (dir, ctx.tense) {
                    (Some(Dir::Last | Dir::Past | Dir::Previous), _) => {
                        if start + 2 < am {
                            ay
                        } else {
                            ay - 1
                        }
                    }
                    (Some(Dir::Next | Dir::Following), _) => {
                        if start > am {
                            ay
                        } else {
                            ay + 1
                        }
                    }
                    (None, Tense::Past) if start > am => ay - 1,
                    (None, Tense::Future) if start + 2 < am => ay + 1,
                    _ => ay,
                };
                (format!("{}-{s}", year_str(a, y)), None)
            }
            None => (format!("XXXX-{s}"), None),
        },
        Spec::Quarter { q, y } => match (y, a) {
            (Some(y), _) => (format!("{y:04}-Q{q}"), None),
            (None, Some(a)) => {
                let mut yy = a.date.year();
                if ctx.tense == Tense::Past && (*q as i32) > quarter_of(a.date.month()) {
                    yy -= 1;
                }
                (format!("{}-Q{q}", year_str(a, yy)), None)
            }
            (None, None) => (format!("XXXX-Q{q}"), None),
        },
        Spec::Half { h, y } => match (y, a) {
            (Some(y), _) => (format!("{y:04}-H{h}"), None),
            (None, Some(a)) => (format!("{}-H{h}", year_str(a, a.date.year())), None),
            (None, None) => (format!("XXXX-H{h}"), None),
        },
        Spec::LastQuarter => match a {
            Some(a) => {
                let (y, q) = shift(a.date.year(), quarter_of(a.date.month()), 4, -1);
                (format!("{}-Q{q}", year_str(a, y)), None)
            }
            None => ("XXXX-QX".to_string(), None),
        },
        Spec::YearAgo => match a {
            Some(a) if ctx.quarter_context => {
                let (y, q) = shift(a.date.year(), quarter_of(a.date.month()), 4, -5);
                (format!("{}-Q{q}", year_str(a, y)), None)
            }
            Some(a) => (year_str(a, a.date.year() - 1), None),
            None => ("XXXX".to_string(), None),
        },
        Spec::Rel { unit, n } => match a {
            Some(a) => rel_value(a, *unit, *n)?,
            None => (unresolved_rel(*unit).to_string(), None),
        },
        Spec::Weekend(ref_dir) => match a {
            Some(a) => {
                // The weekend of the anchor's week, or the one before it in past clauses.
                let wd = a.date.weekday().number_from_monday();
                let back = match (ref_dir, ctx.tense) {
                    (Some(-1), _) => -1,
                    (Some(1), _) => 1,
                    (_, Tense::Past) if wd < 6 => -1,
                    // Early in the week, "the weekend" is the one just past.
                    (_, Tense::Unknown | Tense::Present) if wd <= 3 => -1,
                    _ => 0,
                };
                let d = add_days(a.date, 7 * back)?;
                (format!("{}-WE", week_str(a, d)), None)
            }
            None => ("XXXX-WXX-WE".to_string(), None),
        },
        Spec::Duration { n, unit } => (duration_value(*n, *unit), None),
        Spec::Set(s) => (
            match s {
                SetSpec::Every(Unit::Quarter) => "P1Q".to_string(),
                SetSpec::Every(u) => duration_value(Amount::N(1), *u),
                SetSpec::Weekday(wd) => format!("XXXX-WXX-{wd}"),
                SetSpec::Month(m) => format!("XXXX-{m:02}"),
                SetSpec::Pod(p) => format!("XXXX-XX-XXT{p}"),
            },
            None,
        ),
        Spec::Fuzzy(f) => (f.value().to_string(), None),
        Spec::Clock { day, clock } => {
            let (dv, dd) = match day {
                Some(ds) => day_value(ds, ctx)?,
                None => match a {
                    Some(a) => (day_str(Some(a), a.date), Some(a.date)),
                    None => ("XXXX-XX-XX".to_string(), None),
                },
            };
            let t = match clock {
                Clock::Hm(h, m) => format!("{h:02}:{m:02}"),
                Clock::Pod(p) => (*p).to_string(),
            };
            (format!("{dv}T{t}"), dd)
        }
    })
}
