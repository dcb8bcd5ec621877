//! Tests on invented news sentences with a fixed anchor date.

use super::*;
use crate::text::analyze;
use chrono::NaiveDate;

fn anchor(d: &str) -> Option<Anchor> {
    Some(Anchor { date: NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(), year_known: true })
}

/// (surface, value, type) of every expression in `text` (headline line first).
fn run(text: &str, a: Option<Anchor>) -> Vec<(String, String, &'static str)> {
    let full = format!("Headline\n{text}");
    let an = analyze(&full);
    recognize_with_anchor(&full, &an, a)
        .into_iter()
        .map(|m| (full[m.span.start..m.span.end].to_string(), m.value, m.timex_type.as_str()))
        .collect()
}

/// The value of the expression whose surface is `surface`.
fn value_of(text: &str, a: Option<Anchor>, surface: &str) -> String {
    let r = run(text, a);
    r.iter()
        .find(|(s, _, _)| s == surface)
        .map(|(_, v, _)| v.clone())
        .unwrap_or_else(|| panic!("{surface:?} not found in {r:?}"))
}

const THU: &str = "2024-12-19"; // a Thursday

#[test]
fn absolute_dates() {
    let a = anchor(THU);
    assert_eq!(value_of("The talks ended on December 17, 2024, in Geneva.", a, "December 17, 2024"), "2024-12-17");
    assert_eq!(value_of("Troops arrived on 17 Dec and left.", a, "17 Dec"), "2024-12-17");
    assert_eq!(value_of("The filing is dated 2024-12-17 in the registry.", a, "2024-12-17"), "2024-12-17");
    assert_eq!(value_of("The strike began on Dec. 17 at the port.", a, "Dec. 17"), "2024-12-17");
    assert_eq!(value_of("The strike began on Dec 17 at the port.", a, "Dec 17"), "2024-12-17");
    assert_eq!(value_of("He was born on 3 March 1961 in Leeds.", a, "3 March 1961"), "1961-03-03");
}

#[test]
fn partial_dates() {
    let a = anchor(THU);
    assert_eq!(value_of("The plant closed in August 2022 after a fire.", a, "August 2022"), "2022-08");
    assert_eq!(value_of("Prices rose sharply in April.", a, "April"), "2024-04");
    assert_eq!(value_of("The genre peaked in the 1990s in Britain.", a, "the 1990s"), "199");
    assert_eq!(value_of("The treaty was signed in 1995 by both sides.", a, "1995"), "1995");
    let r = run("Some 1995 people signed the petition.", a);
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn relative_days_and_weekdays() {
    let a = anchor(THU);
    assert_eq!(value_of("Police said the man was arrested on Tuesday.", a, "Tuesday"), "2024-12-17");
    assert_eq!(value_of("The minister resigned on Thursday.", a, "Thursday"), "2024-12-19");
    assert_eq!(value_of("The vote will take place on Monday.", a, "Monday"), "2024-12-23");
    assert_eq!(value_of("Shares fell yesterday in early trade.", a, "yesterday"), "2024-12-18");
    assert_eq!(value_of("The court sits today.", a, "today"), "2024-12-19");
    assert_eq!(value_of("The court sits tomorrow.", a, "tomorrow"), "2024-12-20");
    assert_eq!(value_of("Talks collapsed last week.", a, "last week"), "2024-W50");
    assert_eq!(value_of("Talks resume this week.", a, "this week"), "2024-W51");
    assert_eq!(value_of("The bridge opened two days ago.", a, "two days ago"), "2024-12-17");
    assert_eq!(value_of("The law takes effect next month.", a, "next month"), "2025-01");
    assert_eq!(value_of("Sales fell last year.", a, "last year"), "2023");
    assert_eq!(value_of("The firm was founded earlier this year.", a, "earlier this year"), "2024");
    assert_eq!(value_of("Rebels took the town on Monday. The army had left the previous day.", a, "the previous day"), "2024-12-15");
    assert_eq!(value_of("Banks expect an end-of-year rally.", a, "end-of-year"), "2024");
    assert_eq!(value_of("The ferry sank this morning.", a, "this morning"), "2024-12-19TMO");
    assert_eq!(value_of("The results are due tonight.", a, "tonight"), "2024-12-19TNI");
}

#[test]
fn durations_and_sets() {
    let a = anchor(THU);
    let r = run("The siege lasted more than 48 hours.", a);
    assert_eq!(r, vec![("more than 48 hours".into(), "PT48H".into(), "DURATION")]);
    assert_eq!(value_of("He served three years in prison.", a, "three years"), "P3Y");
    assert_eq!(value_of("It took a decade to build.", a, "a decade"), "P10Y");
    assert_eq!(value_of("Inspectors visit every week.", a, "every week"), "P1W");
    assert_eq!(value_of("The paper is published daily.", a, "daily"), "P1D");
    assert_eq!(value_of("He signed a two-year contract.", a, "two-year"), "P2Y");
}

#[test]
fn fuzzy_and_times() {
    let a = anchor(THU);
    assert_eq!(value_of("The rebels now control the city.", a, "now"), "PRESENT_REF");
    assert_eq!(value_of("He recently moved to Paris.", a, "recently"), "PAST_REF");
    assert_eq!(value_of("She is currently abroad.", a, "currently"), "PRESENT_REF");
    assert_eq!(value_of("Such raids were rare in the past.", a, "the past"), "PAST_REF");
    assert_eq!(value_of("More raids may come in the future.", a, "the future"), "FUTURE_REF");
    assert_eq!(value_of("The blast happened at 10:30 a.m. in the square.", a, "10:30 a.m."), "2024-12-19T10:30");
    assert_eq!(value_of("The verdict is expected at noon.", a, "noon"), "2024-12-19T12:00");
}

#[test]
fn no_anchor_never_uses_the_clock() {
    let r = run("Police said the man was arrested on Tuesday and freed yesterday, last year and on Dec. 17.", None);
    let vals: Vec<&str> = r.iter().map(|(_, v, _)| v.as_str()).collect();
    assert_eq!(vals, vec!["XXXX-WXX-2", "XXXX-XX-XX", "XXXX", "XXXX-12-17"]);
    // Absolute values stay absolute.
    assert_eq!(value_of("The plant closed in August 2022.", None, "August 2022"), "2022-08");
}

#[test]
fn year_boundaries_and_leap_days() {
    let jan = anchor("2025-01-03");
    assert_eq!(value_of("Snow fell last December.", jan, "last December"), "2024-12");
    assert_eq!(value_of("The fire started on Dec. 28 in the hills.", jan, "Dec. 28"), "2024-12-28");
    assert_eq!(value_of("The lease ends next month.", jan, "next month"), "2025-02");
    assert_eq!(value_of("Talks ended last week.", jan, "last week"), "2024-W52");
    assert_eq!(value_of("It snowed yesterday.", anchor("2025-01-01"), "yesterday"), "2024-12-31");
    let leap = anchor("2024-03-01");
    assert_eq!(value_of("The deal closed yesterday.", leap, "yesterday"), "2024-02-29");
    assert_eq!(value_of("The deal closed on Feb. 29 after talks.", leap, "Feb. 29"), "2024-02-29");
    assert_eq!(value_of("The report came out a year ago.", leap, "a year ago"), "2023");
    // Feb 29 in a year without one cannot be resolved from the anchor.
    assert_eq!(value_of("The deal closed on Feb. 29 after talks.", anchor("2023-03-01"), "Feb. 29"), "XXXX-02-29");
    assert_eq!(value_of("The fund opened on Feb. 29, 2020.", jan, "Feb. 29, 2020"), "2020-02-29");
}

#[test]
fn offsets_after_emoji() {
    let text = "Headline\n🔥🔥 Fans 👍 celebrated on Tuesday, fans said.";
    let an = analyze(text);
    let r = recognize_with_anchor(text, &an, anchor(THU));
    assert_eq!(r.len(), 1);
    assert_eq!(&text[r[0].span.start..r[0].span.end], "Tuesday");
    let cm = crate::text::CharMap::new(text);
    let cs = cm.char_offset(r[0].span.start);
    assert_eq!(text.chars().skip(cs).take(7).collect::<String>(), "Tuesday");
}

#[test]
fn dateline_anchor() {
    let text = "Headline\nMOSCOW, Dec 19 (Reuters) - Officials said on Tuesday that talks ended yesterday.";
    let doc = Document { id: "d".into(), text: text.into(), date: None, title: None, url: None, origin: "t".into() };
    let an = analyze(text);
    let r = recognize(&doc, &an);
    let vals: Vec<&str> = r.iter().map(|m| m.value.as_str()).collect();
    // No year anywhere: month and day resolve, the year stays unknown; weekdays cannot resolve.
    assert_eq!(vals, vec!["XXXX-12-19", "XXXX-WXX-2", "XXXX-12-18"]);
    let doc2 = Document { date: NaiveDate::from_ymd_opt(2024, 12, 19), ..doc };
    let r = recognize(&doc2, &an);
    assert_eq!(r[1].value, "2024-12-17");
}

#[test]
fn junk_does_not_panic() {
    for s in ["", "\u{0}\u{1}", "\u{202e}RTL 2024\u{202c}", "e\u{301}\u{301} 12:99 99/99/9999 2024-13-45 Feb. 31", "the the the", "last", "'", "0000", "at 25:00 p.m.", "9999999999999 years ago"] {
        let _ = run(s, anchor(THU));
        let _ = run(s, None);
    }
}

#[test]
fn clock_times_with_days() {
    let a = anchor(THU);
    assert_eq!(value_of("The polls closed at 10 p.m. Wednesday, officials said.", a, "10 p.m. Wednesday"), "2024-12-18T22:00");
    assert_eq!(value_of("The offer expires at 5 p.m. EST, Dec. 20.", a, "5 p.m. EST, Dec. 20"), "2024-12-20T17:00");
    assert_eq!(value_of("Shelling resumed on Friday morning.", a, "Friday morning"), "2024-12-13TMO");
    assert_eq!(value_of("Shelling resumed last night.", a, "last night"), "2024-12-18TNI");
    assert_eq!(value_of("The deadline is midnight Sunday.", a, "midnight Sunday"), "2024-12-22T24:00");
}

#[test]
fn quarters_halves_seasons_decades() {
    let a = anchor(THU);
    assert_eq!(value_of("Profit rose in the third quarter.", a, "the third quarter"), "2024-Q3");
    assert_eq!(value_of("Third-quarter profit rose.", a, "Third-quarter"), "2024-Q3");
    assert_eq!(value_of("Sales fell in the 2023 second quarter.", a, "the 2023 second quarter"), "2023-Q2");
    assert_eq!(value_of("Output grew in the first half of 2023.", a, "the first half of 2023"), "2023-H1");
    assert_eq!(value_of("The dam was finished in the summer of 1995.", a, "the summer of 1995"), "1995-SU");
    assert_eq!(value_of("Talks stalled last summer.", a, "last summer"), "2024-SU");
    assert_eq!(value_of("The style spread in the '80s and later.", a, "the '80s"), "198");
    assert_eq!(value_of("The style spread in the mid-1980s.", a, "the mid-1980s"), "198");
    assert_eq!(value_of("It changed in the 20th century.", a, "the 20th century"), "19");
}

#[test]
fn spoken_years_and_relative_years() {
    let a = anchor(THU);
    assert_eq!(value_of("It began in nineteen ninety-six, he said.", a, "nineteen ninety-six"), "1996");
    assert_eq!(value_of("The wall fell in November nineteen eighty-nine.", a, "November nineteen eighty-nine"), "1989-11");
    assert_eq!(value_of("Fighting broke out in July last year.", a, "July last year"), "2023-07");
    assert_eq!(value_of("The plant opened five years ago.", a, "five years ago"), "2019");
    assert_eq!(value_of("The census is due in three years from now.", a, "three years from now"), "2027");
}

#[test]
fn counts_ages_and_rates_are_not_times() {
    let a = anchor(THU);
    for s in [
        "Police said 2000 troops crossed the border.",
        "The index closed at 2082.1 points.",
        "The chairman, 55 years old, resigned.",
        "The bank pays $1.76 a year per share.",
        "They bought 1,995 tonnes of grain.",
    ] {
        let r = run(s, a);
        assert!(r.is_empty(), "{s}: {r:?}");
    }
    // A year before a singular noun is a year.
    assert_eq!(value_of("He lost his 2020 campaign.", a, "2020"), "2020");
}

#[test]
fn sets_and_fuzzy_phrases() {
    let a = anchor(THU);
    assert_eq!(value_of("The board meets each Thursday.", a, "each Thursday"), "XXXX-WXX-4");
    assert_eq!(value_of("Flights leave twice a week.", a, "twice a week"), "P1W");
    assert_eq!(value_of("Prices have risen in recent years.", a, "recent years"), "PAST_REF");
    assert_eq!(value_of("Fewer people smoke these days.", a, "these days"), "PRESENT_REF");
    assert_eq!(value_of("Talks will go on in the near future.", a, "the near future"), "FUTURE_REF");
    assert_eq!(value_of("He has lived there for years.", a, "years"), "PXY");
}

#[test]
fn weekday_tense() {
    // Anchor on a Wednesday: a past clause looks back, a future clause forward.
    let a = anchor("2024-12-18");
    assert_eq!(value_of("The ministers met on Monday in Brussels.", a, "Monday"), "2024-12-16");
    assert_eq!(value_of("The ministers will meet on Monday in Brussels.", a, "Monday"), "2024-12-23");
    assert_eq!(value_of("The ministers will meet next Thursday.", a, "next Thursday"), "2024-12-26");
    assert_eq!(value_of("The ministers met last Wednesday.", a, "last Wednesday"), "2024-12-11");
    // "had been due to" is a past plan.
    assert_eq!(value_of("The offer had been due to expire Friday.", a, "Friday"), "2024-12-13");
}

#[test]
fn possessive_quarters_and_weekends() {
    let a = anchor(THU);
    assert_eq!(value_of("Profit fell in this year's third quarter.", a, "this year's third quarter"), "2024-Q3");
    assert_eq!(value_of("Growth may return in next year's first quarter.", a, "next year's first quarter"), "2025-Q1");
    // Monday 2024-12-16: the weekend just past.
    assert_eq!(value_of("Crowds gathered over the weekend.", anchor("2024-12-16"), "the weekend"), "2024-W50-WE");
}

#[test]
fn events_find_their_time() {
    let text = "Headline\nGunmen killed three people on Tuesday. The army will respond next week.";
    let an = analyze(text);
    let times = recognize_with_anchor(text, &an, anchor(THU));
    let killed = text.find("killed").unwrap();
    let i = anchor_for(&times, times[0].sentence, killed).unwrap();
    assert_eq!(times[i].value, "2024-12-17");
    let respond = text.find("respond").unwrap();
    let s = an.sentences.iter().position(|s| s.start <= respond && respond < s.end).unwrap();
    assert_eq!(times[anchor_for(&times, s, respond).unwrap()].value, "2024-W52");
    assert_eq!(anchor_for(&times, 99, 0), None);
}

#[test]
fn random_text_never_panics_and_spans_are_valid() {
    // Deterministic pseudo-random mixes of time words, digits, punctuation and wide characters.
    let pieces = [
        "Dec", ".", " ", "17", ",", "2024", "last", "year", "-", "of", "end", "the", "'", "90s", "a", "m", "p", ":", "30",
        "Tuesday", "ago", "two", "days", "more", "than", "48", "hours", "👍", "é", "\u{301}", "\n", "May", "nineteen",
        "ninety", "this", "morning", "every", "week", "29", "Feb", "/", "12", "mid", "quarter", "third", "“", "”", "\u{202e}",
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..300 {
        let mut s = String::new();
        for _ in 0..40 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(pieces[(x % pieces.len() as u64) as usize]);
            if x % 3 == 0 {
                s.push(' ');
            }
        }
        for a in [anchor(THU), None] {
            let an = analyze(&s);
            for m in recognize_with_anchor(&s, &an, a) {
                assert!(s.is_char_boundary(m.span.start) && s.is_char_boundary(m.span.end) && m.span.start < m.span.end, "{s:?}");
                assert!(!m.value.is_empty());
            }
        }
    }
}

#[test]
fn anaphoric_years_follow_the_story() {
    let a = anchor(THU);
    let text = "The mine opened in 1995. It closed the following year. Output peaked that year too.";
    assert_eq!(value_of(text, a, "the following year"), "1996");
    assert_eq!(value_of(text, a, "that year"), "1995");
    // With no year named yet, "that year" is the anchor's.
    assert_eq!(value_of("Sales fell that year.", a, "that year"), "2024");
}
