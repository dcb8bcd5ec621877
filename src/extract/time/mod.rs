//! Time expressions, normalized to TimeML TIMEX3 values.
//!
//! - [`lexicon`]: the time words (data/time/lexicon.tsv);
//! - [`grammar`]: rules over micro-tokens, tried only where a lexicon word or a number can start an expression;
//! - [`normalize`]: values with chrono arithmetic from the anchor, reading the tense of the clause;
//! - [`anchor`]: the document date or a dateline.

pub mod anchor;
pub mod grammar;
pub mod lexicon;
pub mod normalize;

use super::{ByteSpan, TimeMention};
use crate::text::{Analysis, Document};
use grammar::{Grammar, Kind, MTok, Spec};
use lexicon::{Lex, Unit};
use normalize::{Anchor, Ctx, Tense};

pub fn recognize(doc: &Document, analysis: &Analysis) -> Vec<TimeMention> {
    let anchor = anchor::find(doc, analysis);
    recognize_with_anchor(&doc.text, analysis, anchor)
}

/// Recognizes and normalizes the time expressions of the content sentences.
pub fn recognize_with_anchor(text: &str, analysis: &Analysis, anchor: Option<Anchor>) -> Vec<TimeMention> {
    let mut out = Vec::new();
    let mut toks: Vec<MTok> = Vec::with_capacity(256);
    let mut last_day = None;
    let mut last_month: Option<(i32, Option<u32>)> = None;
    let quarter_doc = talks_about_quarters(text, analysis);
    // Expressions may cross a sentence split ("Dec. 17"), never a paragraph.
    let mut content = analysis.content_sentences().peekable();
    while let Some((si, s)) = content.next() {
        toks.clear();
        let para = s.paragraph;
        push_sentence(text, analysis, si, s, &mut toks);
        while let Some((sj, s2)) = content.next_if(|(_, s2)| s2.paragraph == para) {
            push_sentence(text, analysis, sj, s2, &mut toks);
        }
        let g = Grammar { t: &toks };
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            let can_start = t.kind == Kind::Num || !t.lex.is_empty() || (t.kind == Kind::Word && starts_other(t.text)) || matches!(t.text, "'" | "’");
            if !can_start {
                i += 1;
                continue;
            }
            let Some(m) = g.parse(i) else {
                i += 1;
                continue;
            };
            let ctx = Ctx { anchor, tense: tense(&toks, m.start, m.end), last_day, last_month, quarter_context: quarter_doc || quarter_context(&toks, m.start, m.end) };
            if let Some((value, timex_type, day)) = normalize::normalize(&m.spec, &ctx) {
                if day.is_some() && !matches!(m.spec, Spec::Day(grammar::DaySpec::Anaphoric(_))) {
                    last_day = day;
                }
                // Explicit years and months move the story's reference for "that year".
                if matches!(m.spec, Spec::Year(_) | Spec::Month { y: Some(_), .. } | Spec::Day(grammar::DaySpec::Date { y: Some(_), .. })) {
                    last_month = year_month(&value);
                }
                let (start, end) = (toks[m.start].start, toks[m.end - 1].end);
                out.push(TimeMention {
                    span: ByteSpan::new(start, end),
                    value,
                    timex_type,
                    sentence: toks[m.start].sent as usize,
                });
            }
            i = m.end.max(i + 1);
        }
    }
    out
}

/// The time expression that anchors something at byte `at` of sentence
/// `sentence` (an event trigger, a statement cue): the nearest date or time
/// in the same sentence, preferring one after it ("killed ... on Tuesday"),
/// durations and sets excluded. Returns an index into `times`.
pub fn anchor_for(times: &[TimeMention], sentence: usize, at: usize) -> Option<usize> {
    times
        .iter()
        .enumerate()
        .filter(|(_, t)| t.sentence == sentence && matches!(t.timex_type, super::TimexType::Date | super::TimexType::Time))
        .min_by_key(|(_, t)| if t.span.start >= at { 2 * (t.span.start - at) } else { 2 * (at - t.span.end.min(at)) + 1 })
        .map(|(i, _)| i)
}

fn push_sentence<'a>(text: &'a str, analysis: &Analysis, si: usize, s: &crate::text::Sentence, toks: &mut Vec<MTok<'a>>) {
    for tk in analysis.tokens.get(s.tokens.clone()).unwrap_or(&[]) {
        grammar::micro_tokens(text, tk.start, tk.end, si as u32, toks);
    }
}

/// (year, month) of a value like `1995`, `1995-08` or `1995-08-17`.
fn year_month(v: &str) -> Option<(i32, Option<u32>)> {
    let y = v.get(..4)?.parse().ok()?;
    let m = v.get(5..7).and_then(|m| m.parse().ok()).filter(|_| v.as_bytes().get(4) == Some(&b'-'));
    Some((y, m))
}

/// Words outside the lexicon that can start an expression.
fn starts_other(w: &str) -> bool {
    const W: &[&str] = &["then", "the", "every", "each", "once", "twice", "fiscal", "right", "more", "less", "fewer", "no", "at", "up", "near"];
    W.iter().any(|x| w.eq_ignore_ascii_case(x)) || w.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

const FUTURE: &[&str] = &[
    "will", "ll", "shall", "going", "plans", "plan", "planned", "expected", "expects", "scheduled", "due", "would",
    "upcoming", "effective", "intends", "aims", "hopes", "set", "next", "to",
];
const PAST: &[&str] = &[
    "was", "were", "had", "did", "told", "went", "came", "took", "made", "met", "saw", "gave", "got", "held",
    "left", "began", "won", "lost", "fell", "rose", "sold", "bought", "paid", "kept", "found", "thought", "brought",
    "ran", "wrote", "spoke", "became", "began", "struck", "hit", "killed", "shot", "broke", "led", "sent", "built",
    "ago", "last", "earlier", "yesterday", "fled", "flew", "drew", "grew", "knew", "threw", "stood", "sat", "felt",
];

const REPORTING: &[&str] = &["said", "told", "reported", "announced", "added", "noted", "stated", "declared", "explained", "disclosed", "confirmed", "indicated"];
const PRESENT: &[&str] = &["is", "are", "am", "meets", "begins", "starts", "opens", "ends", "resumes"];

/// The tense marker a token gives, looking back for "had been scheduled".
fn classify(t: &[MTok], k: usize) -> Option<Tense> {
    let x = &t[k];
    if x.kind != Kind::Word {
        return None;
    }
    let w = x.text;
    if w.eq_ignore_ascii_case("to") {
        return None; // too common alone; "going to" is caught by "going"
    }
    let is_in = |list: &[&str]| list.iter().any(|f| w.eq_ignore_ascii_case(f));
    // Reporting verbs date the report, not the event reported.
    if is_in(REPORTING) {
        return None;
    }
    if is_in(FUTURE) {
        // "had been due to", "was scheduled to": a plan in the past.
        let perfect = (k.saturating_sub(3)..k).any(|j| ["had", "was", "were", "been"].iter().any(|p| t[j].text.eq_ignore_ascii_case(p)));
        return Some(if perfect { Tense::Past } else { Tense::Future });
    }
    if is_in(PAST) {
        return Some(Tense::Past);
    }
    if is_in(PRESENT) {
        // "is to resume", "is expected": the future; "is" alone: the present.
        return Some(if t.get(k + 1).is_some_and(|n| n.text.eq_ignore_ascii_case("to")) { Tense::Future } else { Tense::Present });
    }
    let b = w.as_bytes();
    if b.len() > 4 && w.is_ascii() && b[b.len() - 2..].eq_ignore_ascii_case(b"ed") && !x.cap {
        // "will be paid", "to be held": a participle, not a past tense.
        const AUX: &[&str] = &["be", "being", "to", "will", "would", "could", "can", "may", "might", "must", "should"];
        let aux = (k.saturating_sub(2)..k).any(|j| AUX.iter().any(|a| t[j].text.eq_ignore_ascii_case(a)));
        return if aux { None } else { Some(Tense::Past) };
    }
    None
}

/// Abbreviations whose period does not end a sentence.
const ABBREV: &[&str] = &["mr", "mrs", "ms", "dr", "st", "jr", "sr", "co", "corp", "inc", "ltd", "gen", "gov", "sen", "rep", "u", "s", "vs", "no", "prof", "lt", "col", "capt", "sgt", "rev"];

/// Whether token `k` ends a sentence, judged locally (the shared splitter
/// also splits after "Dec." and "P.", which must not cut the tense window).
fn ends_sentence(t: &[MTok], k: usize) -> bool {
    let x = &t[k];
    if x.kind != Kind::Punct {
        return false;
    }
    match x.text {
        // A quote boundary: the tense inside a quote is not the attribution's.
        "!" | "?" | ";" | "\"" | "“" | "”" | "`" => true,
        "." => {
            let prev = k.checked_sub(1).map(|p| &t[p]);
            let abbrev = prev.is_some_and(|p| {
                (p.kind == Kind::Word && p.text.len() == 1)
                    || ABBREV.iter().any(|a| p.text.eq_ignore_ascii_case(a))
                    || p.lex.iter().any(|l| matches!(l, Lex::Month(_) | Lex::Weekday(_)))
            });
            !abbrev && t.get(k + 1).is_none_or(|n| n.cap || n.kind != Kind::Word)
        }
        _ => false,
    }
}

/// The tense around tokens `s..e`: the nearest tense marker in the same
/// sentence(s), looking a little further left than right.
fn tense(t: &[MTok], s: usize, e: usize) -> Tense {
    let mut best: Option<(usize, Tense)> = None;
    // Left: up to 12 tokens; right: up to 8, weighted so left wins ties.
    for (dist, k) in (s.saturating_sub(12)..s).rev().enumerate() {
        if ends_sentence(t, k) {
            break;
        }
        if let Some(x) = classify(t, k) {
            best = Some((2 * dist, x));
            break;
        }
    }
    for (dist, k) in (e..(e + 8).min(t.len())).enumerate() {
        if ends_sentence(t, k) {
            break;
        }
        if best.is_some_and(|(d, _)| d <= 2 * dist + 1) {
            break;
        }
        if let Some(x) = classify(t, k) {
            best = Some((2 * dist + 1, x));
            break;
        }
    }
    best.map(|(_, x)| x).unwrap_or(Tense::Unknown)
}

/// Earnings reports: the document names quarters at least twice.
fn talks_about_quarters(text: &str, analysis: &Analysis) -> bool {
    let mut n = 0;
    for (_, s) in analysis.content_sentences() {
        for tk in analysis.tokens.get(s.tokens.clone()).unwrap_or(&[]) {
            let w = tk.text(text);
            if w.len() >= 7 && (w.ends_with("quarter") || w.ends_with("Quarter") || w.contains("quarter-")) {
                n += 1;
                if n >= 2 {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether the text around the expression talks about quarters (earnings
/// reports): "a year earlier" then means the same quarter a year back.
fn quarter_context(t: &[MTok], s: usize, e: usize) -> bool {
    let from = s.saturating_sub(60);
    let to = (e + 20).min(t.len());
    t[from..to].iter().any(|x| x.lex.iter().any(|l| matches!(l, Lex::Unit(Unit::Quarter))))
}

#[cfg(test)]
mod tests;
