//! Source rules beyond the reader's plain reading. Fall-backs for
//! statements whose reader found no source next to the cue: the subject of
//! the clause the cue's verb phrase belongs to ("Readers were quick to
//! condemn …", "The town released a statement …", "countered by
//! suggesting …"), the object of a control verb ("allowed him to call for
//! …"), a relative "that", and the agent after a passive or noun cue ("first
//! reported by the Times", "drew criticism from party leaders"). Overrides:
//! the possessor of a noun cue ("Park's attacks"), and no source for
//! raising verbs and an expletive "it" ("seems unlikely", "It is unclear").
//! Each was chosen on PolNeAR train: it adds a source only where it is
//! right well over half the time.

use super::{left_np, right_np, Ctx, PRONOUNS};
use crate::text::TokenKind;

/// Words that open another clause: the subject search stops at them.
const CLAUSE_OPENERS: &[&str] = &[
    "that", "when", "while", "because", "if", "although", "though", "whether", "unless",
    "until", "where", "since", "so", "than", "as", "after", "before", "whose",
];

/// Object pronouns that are the speaker of an infinitive ("allow him to call").
const OBJECT_PRONOUNS: &[&str] = &["him", "her", "them", "us", "me"];

/// Verbs that make a noun cue a statement of their subject ("The town
/// released a statement", "She sent a tweet"), as word prefixes.
const LIGHT_VERBS: &[&str] = &[
    "issu", "releas", "sent", "send", "made", "make", "gave", "give", "post", "deliver",
    "publish", "offer", "express", "voic", "wrote", "write", "put", "lodg", "file", "launch",
    "aired", "airs", "rais", "shar", "pen", "present", "laid", "lay", "has", "have", "had",
    "take", "took", "said", "says", "say", "told", "spoke", "put",
];

/// Nouns whose "of" names their source ("the endorsement of the unions").
const OF_SOURCE: &[&str] = &["endorsement", "backing", "support", "approval", "blessing"];

/// Verbs whose object is the subject of the infinitive after it
/// ("required delegates to choose"), as word prefixes.
const CONTROL_VERBS: &[&str] = &[
    "led", "lead", "requir", "permit", "allow", "prompt", "leav", "forc", "urg", "ask", "push",
    "driv", "drove", "caus", "want", "expect", "invit", "enabl", "persuad", "convinc", "inspir",
    "spur", "compel", "pressur", "encourag", "challeng", "call", "got", "get",
];

/// Forms of "be" before a past participle: a passive cue.
const BE: &[&str] = &["is", "was", "were", "are", "be", "been", "being", "am", "'s", "’s"];

/// The forms of "be" that make a following participle passive without
/// doubt ("'s" is also "has" and the possessive).
pub(super) const PASSIVE_BE: &[&str] = &["is", "was", "were", "are", "be", "been", "being"];

fn tag<'a>(cx: &Ctx<'a>, i: usize) -> &'a str {
    cx.pos.and_then(|p| p.get(i).copied()).unwrap_or("")
}

/// A finite verb or modal: the head of a clause whose subject precedes it.
fn finite(cx: &Ctx, i: usize) -> bool {
    matches!(tag(cx, i), "VBD" | "VBZ" | "VBP" | "MD")
}

/// A passive cue ("was warned", "has been attacked", a tagger cue "was
/// booed and shouted down"): its subject is not the speaker.
pub(super) fn passive_cue(cx: &Ctx, a: usize, (cs, ce): (usize, usize)) -> bool {
    let be = cs > a && cx.in_list(cs - 1, BE) || (cs..ce).any(|k| cx.in_list(k, BE));
    be && (cs..ce).any(|k| tag(cx, k) == "VBN" || cx.pos.is_none() && cx.word(k).ends_with("ed"))
}

/// A passive cue whose subject is what is said: a form of "be" (not "'s",
/// which is also "has" and the possessive) before the cue or in it, a
/// participle last, and not a verb of feeling or stance ("Republicans
/// were also incensed", "is strongly opposed": their state is the
/// statement, they its source).
pub(super) fn agentless_passive(cx: &Ctx, a: usize, (cs, ce): (usize, usize)) -> bool {
    let be = cs > a && cx.in_list(cs - 1, PASSIVE_BE) || (cs..ce).any(|k| cx.in_list(k, PASSIVE_BE));
    let last = ce - 1;
    let feeling = feeling_verb(cx.word(last));
    // Participles of a stance the subject holds: "is strongly opposed to",
    // "was convinced his interest …".
    let stance = cx.in_list(last, &["opposed", "convinced", "committed", "determined", "divided", "agreed", "inclined", "persuaded", "satisfied", "unconvinced", "resolved"]);
    be && tag(cx, last) == "VBN" && !feeling && !stance && !cx.is(ce, "by")
}

/// Whether the tokens `s..e` can name a speaker: a noun, pronoun (relative
/// ones too: PolNeAR's sources include "which" and "that"), number,
/// determiner or quantifier ("Some", "Many", "42%") or a capitalised word.
/// Without POS tags every span can.
pub(super) fn names_someone(cx: &Ctx, (s, e): (usize, usize)) -> bool {
    cx.pos.is_none()
        || (s..e).any(|k| {
            let t = tag(cx, k);
            t.starts_with("NN") || t.starts_with("PRP") || t.starts_with("WP") || matches!(t, "CD" | "DT" | "EX" | "JJ" | "JJS" | "FW" | "PDT" | "WDT")
                || cx.in_list(k, &["that", "which", "who", "all", "both", "many", "some", "several", "few", "none", "each", "others"])
                // "most say", not "the most fiercely opposed", "the most requested".
                || cx.in_list(k, &["most", "more"]) && !["RB", "JJ", "VBN"].iter().any(|p| tag(cx, k + 1).starts_with(p))
                || cx.word(k).chars().next().is_some_and(char::is_uppercase)
        })
}

/// The subject of the clause whose verb phrase holds the cue at `cs`,
/// walking left over the phrase to its finite verb: "Groberg then went on
/// to explain", "He helped conceive a plan", "Clinton has spent most of her
/// time … without mentioning", "ads that refer to". With an object pronoun
/// before "to" ("allow him to call"), that pronoun. Needs POS tags; stops
/// at punctuation, quotes and words that open another clause.
pub(super) fn verb_subject(cx: &Ctx, a: usize, cs: usize) -> Option<(usize, usize)> {
    cx.pos?;
    if cs >= a + 2 && cx.is(cs - 1, "to") && cx.in_list(cs - 2, OBJECT_PRONOUNS) {
        return Some((cs - 2, cs - 1));
    }
    if let Some(src) = appositive_noun(cx, a, cs) {
        return Some(src);
    }
    // "led party leaders to call for", "an opening for Clinton to press":
    // the object of a control verb (or of "for") speaks the infinitive.
    if cs >= a + 3 && cx.is(cs - 1, "to") {
        if let Some((s, e)) = left_np(cx, a, cs - 1).and_then(|np| after_verb(cx, np)) {
            let v = s.wrapping_sub(1);
            let control = s > a
                && (cx.is(v, "for")
                    || tag(cx, v).starts_with("VB")
                        && CONTROL_VERBS.iter().any(|p| {
                            let w = cx.word(v);
                            w.len() >= p.len() && w.is_char_boundary(p.len()) && w[..p.len()].eq_ignore_ascii_case(p)
                        }));
            if control && e - s <= 8 {
                return Some((s, e));
            }
        }
    }
    walk_to_subject(cx, a, cs, tag(cx, cs).starts_with("NN"))
}

/// "Adelson, a fierce supporter of Israel": a noun cue in an apposition
/// describes the phrase before the comma.
fn appositive_noun(cx: &Ctx, a: usize, cs: usize) -> Option<(usize, usize)> {
    if !tag(cx, cs).starts_with("NN") {
        return None;
    }
    let mut k = cs;
    while k > a && k + 5 > cs && matches!(tag(cx, k - 1), "DT" | "JJ" | "JJS" | "RB" | "NN" | "NNP" | "CD") && !cx.in_list(k - 1, PRONOUNS) {
        k -= 1;
    }
    if k == cs || k < a + 2 || !cx.punct(k - 1, ",") || !matches!(tag(cx, k), "DT") {
        return None;
    }
    let (s, e) = left_np(cx, a, k - 1).and_then(|np| after_verb(cx, np))?;
    (s < e && (s == a || !cx.in_list(s - 1, &["of", "for", "to", "with"]) || tag(cx, s - 1) == "IN" && s > a + 1 && tag(cx, s - 2).starts_with("VB")))
        .then_some((s, e))
}

/// A phrase `left_np` read past a verb ("opposed by Dana Fox", "led party
/// leaders"): the part after the verb and its preposition.
fn after_verb(cx: &Ctx, (mut s, e): (usize, usize)) -> Option<(usize, usize)> {
    if let Some(v) = (s..e).rev().find(|&x| tag(cx, x).starts_with("VB")) {
        s = v + 1;
        while s < e && matches!(tag(cx, s), "IN" | "TO") {
            s += 1;
        }
    }
    (s < e).then_some((s, e))
}

fn walk_to_subject(cx: &Ctx, a: usize, cs: usize, nominal: bool) -> Option<(usize, usize)> {
    let lo = cs.saturating_sub(20).max(a);
    // "Petrov met Sidorov in Minsk to discuss …": with a named object the
    // infinitive's speaker is either of them, so neither is taken.
    let infinitive = cs > a && cx.is(cs - 1, "to");
    let mut k = cs;
    while k > lo {
        let t = k - 1;
        if cx.tok_quote[t] != 0 || infinitive && t + 1 < cs && matches!(tag(cx, t), "NNP" | "NNPS") && !in_pp(cx, a, t) {
            return None;
        }
        match cx.kind(t) {
            Some(TokenKind::Word) | Some(TokenKind::Number) => {}
            // "he's poised to argue": the clitic is the verb.
            Some(TokenKind::Clitic) if !cx.is_possessive(t) => {}
            Some(TokenKind::Clitic) => {
                k = t;
                continue;
            }
            _ => {
                let w = cx.word(t);
                let glued = t > a && cx.glued(t - 1) && (w == "-" || w == "." || w == "&");
                if !glued {
                    return None;
                }
                k = t;
                continue;
            }
        }
        if cx.in_list(t, CLAUSE_OPENERS) || matches!(tag(cx, t), "WDT" | "WP" | "WRB") && !cx.is(t, "who") {
            return None;
        }
        if cx.is(t, "who") {
            // "who helped launch …": the relative pronoun, when it opens the verb group.
            return Some((t, t + 1));
        }
        if finite(cx, t) {
            // A noun cue is its subject's statement only after a verb of
            // issuing ("released a statement"), not in "faced criticism".
            if nominal {
                let w = cx.word(t);
                let light = LIGHT_VERBS.iter().any(|p| {
                    w.is_char_boundary(p.len().min(w.len())) && w.len() >= p.len() && w[..p.len()].eq_ignore_ascii_case(p)
                });
                let modifiers = cs <= t + 6
                    && (t + 1..cs).all(|x| matches!(tag(cx, x), "DT" | "JJ" | "PRP$" | "RB" | "CD" | "RP" | "IN" | "NN" | "NNP"));
                if !light || !modifiers {
                    return None;
                }
            }
            return left_np(cx, a, t).filter(|&(s, e)| {
                // Not the object of an earlier verb ("… told the board his plan").
                e > s && !(s > a && finite(cx, s - 1))
            });
        }
        k = t;
    }
    None
}

/// The name at `t` is inside a prepositional phrase ("stood at a Bush
/// event to say", "the first Democrat in Congress to endorse"), not a
/// verb's named object who might speak the infinitive instead.
fn in_pp(cx: &Ctx, a: usize, t: usize) -> bool {
    let mut q = t;
    while q > a && (matches!(tag(cx, q - 1), "NNP" | "NNPS" | "DT" | "POS" | "JJ") || cx.is_possessive(q - 1)) {
        q -= 1;
    }
    q > a && matches!(tag(cx, q - 1), "IN") && !cx.in_list(q - 1, &["that", "with"])
}

/// "first reported by the New York Times", "Challenged by ABC's Diane
/// Sawyer": a past-participle cue whose agent follows "by" (past a few
/// adverbs and time words).
pub(super) fn by_agent(cx: &Ctx, cue: (usize, usize), b: usize) -> Option<(usize, usize)> {
    let (cs, ce) = cue;
    let participle = matches!(tag(cx, ce - 1), "VBN" | "VBD") || cx.pos.is_none() && cx.word(cs).ends_with("ed");
    if !participle {
        return None;
    }
    let mut r = ce;
    while r < b && r < ce + 3 && tag(cx, r).starts_with("RB") {
        r += 1;
    }
    if !cx.is(r, "by") {
        return None;
    }
    let src = right_np(cx, r + 1, b, false)?;
    // An agent names someone: not "by phone", "by far", "by 10 points".
    let first = cx.word(src.0);
    let named = cx.in_list(src.0, PRONOUNS)
        || first.chars().next().is_some_and(char::is_uppercase)
        || cx.pos.is_some_and(|_| (src.0..src.1).any(|x| tag(cx, x).starts_with("NN")));
    (named && cx.kind(src.0) == Some(TokenKind::Word) && !cx.in_list(src.0, &["far", "phone", "email", "mail"]))
        .then_some(src)
}

/// "drew criticism from party leaders", "strong support among women", "the
/// endorsement of the unions": a noun (or passive) cue whose source follows
/// "from", "among" or, for a few nouns, "of".
pub(super) fn after_noun(cx: &Ctx, (cs, ce): (usize, usize), b: usize) -> Option<(usize, usize)> {
    // "won the endorsement of the union" read as one cue: its "of" is inside.
    if ce >= cs + 2 && cx.is(ce - 1, "of") && cx.in_list(ce - 2, OF_SOURCE) {
        let src = right_np(cx, ce, b, false)?;
        return (cx.kind(src.0) == Some(TokenKind::Word)).then_some(src);
    }
    let last = tag(cx, ce - 1);
    if !(last.starts_with("NN") || last == "VBN") {
        return None;
    }
    let mut r = ce;
    while r < b && r < ce + 2 && tag(cx, r).starts_with("RB") {
        r += 1;
    }
    let of = cx.is(r, "of") && cx.in_list(ce - 1, OF_SOURCE);
    if !(cx.in_list(r, &["from", "among"]) || of) || cs >= ce {
        return None;
    }
    let src = right_np(cx, r + 1, b, false)?;
    let nounish = (src.0..src.1).any(|x| tag(cx, x).starts_with("NN") || tag(cx, x) == "PRP");
    (nounish && cx.kind(src.0) == Some(TokenKind::Word)).then_some(src)
}

/// A form of one of the [`EXPERIENCER_VERBS`].
pub(super) fn feeling_verb(w: &str) -> bool {
    EXPERIENCER_VERBS.iter().any(|p| w.len() > p.len() && w.is_char_boundary(p.len()) && w[..p.len()].eq_ignore_ascii_case(p))
}

/// Verbs whose object feels what the subject causes ("The remark angered
/// party leaders"), as word prefixes.
const EXPERIENCER_VERBS: &[&str] = &[
    "anger", "incens", "worr", "concern", "rattl", "irritat", "frustrat", "pleas", "surpris", "embolden", "stupef", "alarm", "upset", "annoy", "impress", "disappoint", "dismay", "shock", "troubl",
    "bother", "scar", "frighten", "infuriat", "outrag", "delight", "unsettl", "unnerv",
    "disturb", "puzzl", "baffl", "amus", "offend", "rankl", "irk", "appall", "enrag", "horrif",
    "disgust", "stun", "spook", "thrill", "terrif",
];

/// "That rattled Rubio", "The timing doesn't surprise Republican
/// pollsters": the object of a verb of feeling is the one whose state the
/// statement reports.
pub(super) fn experiencer(
    cx: &Ctx,
    (cs, ce): (usize, usize),
    b: usize,
    subject: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    // A person acting on someone ("she angered her base") keeps the source.
    let person = subject.is_some_and(|(s, e)| {
        let h = e - 1;
        h >= s
            && (cx.in_list(h, &["he", "she", "they", "we", "i", "you", "who"])
                || cx.word(h).chars().next().is_some_and(char::is_uppercase))
    });
    let v = ce - 1;
    if person {
        return None;
    }
    if cx.pos.is_none() || !matches!(tag(cx, v), "VBD" | "VBZ" | "VBP" | "VB" | "VBN") || cx.is(ce, "by") {
        return None;
    }
    let feeling = feeling_verb(cx.word(v));
    if !feeling || cs + 3 < ce {
        return None;
    }
    let src = right_np(cx, ce, b, false)?;
    let nounish = (src.0..src.1).any(|x| matches!(tag(cx, x), "NN" | "NNS" | "NNP" | "NNPS" | "PRP"));
    (nounish && cx.kind(src.0) == Some(TokenKind::Word)).then_some(src)
}

/// "Deborah Reynolds - his co-host on YouTube - told …": a source whose
/// apposition is set off by dashes; the span keeps the closing dash, as
/// PolNeAR's do.
pub(super) fn dash_appositive(cx: &Ctx, a: usize, cs: usize) -> Option<(usize, usize)> {
    let dash = |k: usize| {
        cx.tok_quote[k] == 0
            && matches!(cx.word(k), "—" | "–" | "--" | "-")
            && !(k > a && cx.glued(k - 1) && cx.glued(k))
    };
    if cs < a + 4 || !dash(cs - 1) {
        return None;
    }
    let c1 = (cs.saturating_sub(40).max(a + 1)..cs - 2).rev().find(|&k| dash(k))?;
    if (c1 + 1..cs - 1).any(|k| cx.tok_quote[k] != 0 || super::is_final_punct(cx, k)) {
        return None;
    }
    let (ns, _) = left_np(cx, a, c1)?;
    let opens = ns == a || cx.punct(ns - 1, ",") || super::lead_in(cx, a, ns);
    opens.then_some((ns, cs))
}

/// "On Tuesday she doubled down on the issue, seeking to show …", "Nate
/// Cohn, writing in the Times, noticed …": the subject of a participle after
/// the comma at `comma` is the subject of the clause the comma closes, or
/// the phrase before the comma when it opens the sentence.
pub(super) fn participle_subject(cx: &Ctx, a: usize, comma: usize) -> Option<(usize, usize)> {
    cx.pos?;
    let mut c = comma;
    // '… a “bad earpiece,” claiming': the comma inside the closing quote.
    if c > a && cx.kind(c) == Some(TokenKind::Quote) {
        c -= 1;
    }
    if let Some(src) = walk_to_subject(cx, a, c, false) {
        return Some(src);
    }
    let (s, e) = left_np(cx, a, c)?;
    (s == a || super::lead_in(cx, a, s)).then_some((s, e))
}

/// "Clinton's aggressive attack on", "his stern warning": the possessor of
/// a noun cue, past a few modifiers, is its source, and PolNeAR marks the
/// possessor itself ("his", "Mr. Trump's"), not the clause's subject.
pub(super) fn possessor(cx: &Ctx, a: usize, cs: usize) -> Option<(usize, usize)> {
    cx.pos?;
    if !matches!(tag(cx, cs), "NN" | "NNS") {
        return None;
    }
    let mut k = cs;
    while k > a + 1 && k + 6 > cs {
        let t = k - 1;
        let modifier = matches!(tag(cx, t), "JJ" | "JJR" | "JJS" | "RB" | "RBS" | "VBN" | "CD" | "NN" | "NNP")
            && cx.kind(t) == Some(TokenKind::Word)
            && !cx.in_list(t, PRONOUNS)
            // "hard-line", "highly personal, racially tinged".
            || cx.punct(t, "-") && cx.glued(t - 1) && cx.glued(t)
            || cx.punct(t, ",") && matches!(tag(cx, t - 1), "JJ" | "VBN");
        if !modifier {
            break;
        }
        k = t;
    }
    let p = k.checked_sub(1).filter(|&p| p >= a)?;
    if tag(cx, p) == "PRP$" && cx.in_list(p, &["his", "her", "their", "its", "our", "my", "your"]) {
        return Some((p, p + 1));
    }
    if cx.is_possessive(p) && p > a {
        // Not past a verb: "Rubio dismissed Trump's attacks" is Trump's.
        return left_np(cx, a, k).and_then(|np| after_verb(cx, np)).filter(|&(s, e)| e == k && s < p);
    }
    None
}

/// "organizations that warn", "a report that has repeatedly shown": the
/// relative "that" before a verb cue is its source, as PolNeAR marks it
/// (as it marks "which" and "who").
pub(super) fn relative_that(cx: &Ctx, a: usize, cs: usize) -> Option<(usize, usize)> {
    cx.pos?;
    if !tag(cx, cs).starts_with("VB") {
        return None;
    }
    let mut k = cs;
    while k > a + 1 && k + 4 > cs && (cx.in_list(k - 1, super::AUX) || cx.in_list(k - 1, super::BETWEEN) || matches!(tag(cx, k - 1), "RB" | "MD")) {
        k -= 1;
    }
    let t = k.checked_sub(1).filter(|&t| t > a)?;
    let after_noun = matches!(tag(cx, t - 1), "NN" | "NNS" | "NNP" | "NNPS");
    (cx.is(t, "that") && after_noun && (tag(cx, t) == "WDT" || finite(cx, k) || finite(cx, cs))).then_some((t, t + 1))
}

/// Prepositions before a gerund cue whose speaker is the clause's subject
/// ("After saying …, the man left", "countered by suggesting").
const GERUND_PREPS: &[&str] = &["after", "before", "while", "in", "by", "without", "since", "upon", "when", "despite"];

/// "In asking to depose Clinton, Judicial Watch noted …", "The campaign
/// countered Sunday by suggesting …", "…, before insisting …": a gerund cue
/// after a preposition is said by the subject of the clause it modifies —
/// the one after the comma when the phrase opens the sentence, the one on
/// its left otherwise.
pub(super) fn gerund_subject(cx: &Ctx, a: usize, b: usize, cs: usize) -> Option<(usize, usize)> {
    cx.pos?;
    if tag(cx, cs) != "VBG" || cs <= a || !cx.in_list(cs - 1, GERUND_PREPS) {
        return None;
    }
    let p = cs - 1;
    if p == a || p <= a + 2 && (a..p).all(|k| cx.in_list(k, &["but", "and", "so", "yet", "even", "still"])) {
        let c = (cs + 1..b.min(cs + 40)).find(|&k| cx.punct(k, ",") && cx.tok_quote[k] == 0)?;
        let s = c + 1;
        let v = (s..b.min(s + 14)).find(|&k| finite(cx, k))?;
        let mut e = v;
        while e > s && (tag(cx, e - 1).starts_with("RB") || cx.punct(e - 1, ",")) {
            e -= 1;
        }
        // The subject opens the main clause ("…, the man ended up"): a noun
        // phrase, possibly with an apposition, with no verb or quote in it.
        let opens = matches!(tag(cx, s), "DT" | "NNP" | "NNPS" | "NN" | "NNS" | "PRP" | "PRP$" | "JJ" | "CD");
        let clean = (s..e).all(|x| cx.tok_quote[x] == 0 && !tag(cx, x).starts_with("VB") && !matches!(tag(cx, x), "WDT" | "WP" | "MD"));
        let nounish = e > s && matches!(tag(cx, e - 1), "NN" | "NNS" | "NNP" | "NNPS" | "PRP" | "CD");
        return (opens && clean && nounish && e - s <= 12).then_some((s, e));
    }
    if cx.punct(p - 1, ",") {
        return participle_subject(cx, a, p - 1);
    }
    walk_to_subject(cx, a, p, false)
}

/// "The plan seems unlikely", "Trump appeared rattled", "She is expected to
/// win": the subject of a raising verb is what the statement is about, and
/// PolNeAR gives such statements no source. A verb after "seem to" ("seemed
/// to mock") or a gerund ("seem to be hoping") is the subject's own act and
/// keeps it.
pub(super) fn sourceless_raising(cx: &Ctx, (cs, ce): (usize, usize)) -> bool {
    if cx.pos.is_none() || ce == 0 {
        return false;
    }
    let h = ce - 1;
    if cx.is(h, "expected") {
        return cx.is(ce, "to");
    }
    // "is best known for", "also known by": a description, not a report —
    // but "we've known since …" is the subject's knowledge.
    if cx.is(h, "known") {
        let mut k = h;
        while k > 0 && tag(cx, k - 1).starts_with("RB") {
            k -= 1;
        }
        return !(k > 0 && (cx.in_list(k - 1, &["have", "has", "had", "'ve", "’ve", "having"]) || cx.is(ce, "by")));
    }
    // "seemed to embody", "appears to be slipping": an impression the
    // writer reports, not the subject's statement (PolNeAR gives such cues
    // no source far more often than not, whatever verb follows).
    cx.in_list(h, &["seem", "seems", "seemed", "appear", "appears", "appeared"])
        // "It seems like there has been …"
        || (cs..h).any(|k| cx.in_list(k, &["seem", "seems", "seemed"])) && cx.in_list(h, &["like", "as"])
}

/// "It is unclear whether …", "it became clear that …": an expletive "it"
/// before an adjective cue is no one's statement.
pub(super) fn expletive_it(cx: &Ctx, (cs, _): (usize, usize), src: (usize, usize)) -> bool {
    src.1 == src.0 + 1 && cx.is(src.0, "it") && tag(cx, cs).starts_with("JJ")
}

/// Relations that keep a word inside its head's noun phrase ("the state's
/// top election official", "Sen. John Smith"): what a parsed subject's span
/// takes with it. Not relative clauses or prepositional phrases: the overlap
/// measure needs the phrase, not all it says.
fn np_rel(rel: Option<&str>) -> bool {
    matches!(rel, Some("nmod:poss"))
        || matches!(rel.and_then(|r| r.split(':').next()), Some("det" | "amod" | "compound" | "flat" | "nummod" | "case"))
}

/// With a dependency parse: the cue verb's subject (the agent of a passive
/// cue), widened to its noun phrase, when the rules found none. A relative
/// "who"/"that" stands for the noun its clause modifies. Not inside the
/// content or the cue.
pub(super) fn parsed_subject(
    cx: &Ctx,
    (a, b): (usize, usize),
    (cs, ce): (usize, usize),
    content: crate::extract::ByteSpan,
) -> Option<(usize, usize)> {
    let p = cx.parse?;
    let ca = p.core_args(cs..ce, a..b);
    let mut t = if ca.passive { ca.by_agent } else { ca.subject.or(ca.by_agent) }?;
    if cx.in_list(t, &["who", "that", "which"]) {
        let v = (cs..ce).find(|&k| p.deprel(k).is_some() && p.head(k).is_none_or(|h| !(cs..ce).contains(&h)))?;
        if p.deprel(v) != Some("acl:relcl") {
            return None;
        }
        t = p.head(v)?;
    }
    // Not "it": mostly expletive ("so it's no surprise that"), never right
    // among the sources this added on PolNeAR train.
    if t < a || t >= b || cx.kind(t) != Some(TokenKind::Word) || cx.is(t, "it") {
        return None;
    }
    let (mut s, mut e) = (t, t + 1);
    for k in t.saturating_sub(12).max(a)..(t + 6).min(b) {
        let mut x = k;
        for _ in 0..16 {
            if x == t {
                s = s.min(k);
                e = e.max(k + 1);
                break;
            }
            match p.head(x) {
                Some(h) if np_rel(p.deprel(x)) => x = h,
                _ => break,
            }
        }
    }
    let span = crate::extract::ByteSpan::new(cx.toks[s].start, cx.toks[e - 1].end);
    ((e <= cs || s >= ce) && !span.overlaps(&content)).then_some((s, e))
}

/// Words that may open an apposition or a parenthetical after a subject
/// ("Jo Park, 41, a nurse from Leeds,", "the Kents, who run the inn,").
fn opens_apposition(cx: &Ctx, k: usize) -> bool {
    matches!(tag(cx, k), "DT" | "NNP" | "NNPS" | "NN" | "NNS" | "JJ" | "JJS" | "CD" | "PRP$" | "WP" | "WP$" | "WDT")
        || cx.in_list(k, &["including", "like", "along", "now", "then", "both", "all", "as", "among", "himself", "herself", "themselves"])
}

/// "Another delegate on the slate, Jim Pollard, said", "Wilson and Berry, a
/// local Republican, argued", "Sen. Jo Reed (D-R.I.) says": a subject set
/// off from its cue by an apposition or a parenthesis. The phrase before the
/// apposition must open the sentence (past connectives) or follow the
/// comma of an opening phrase ("On Monday, Jo Park, a nurse, said"), and
/// hold no finite verb; the apposition may hold one only after a relative
/// pronoun ("Beck, who backed Cruz, said"). The span keeps the closing
/// comma or bracket, as PolNeAR's do. `cs` is where the cue's clause starts
/// (past auxiliaries and adverbs). Needs POS tags.
pub(super) fn appositive_subject(cx: &Ctx, (a, b): (usize, usize), cs: usize, ce: usize) -> Option<(usize, usize)> {
    cx.pos?;
    if cs < a + 4 {
        return None;
    }
    // "…, the race will be tight, said Jo Park.": a name after the cue with
    // no verb of its own is the inverted source.
    if matches!(tag(cx, ce), "NNP" | "NNPS" | "DT" | "CD") {
        let stop = (ce..b.min(ce + 12))
            .find(|&k| cx.punct(k, ",") || super::is_final_punct(cx, k) || cx.tok_quote[k] != 0)
            .unwrap_or(b.min(ce + 12));
        if !(ce..stop).any(|k| finite(cx, k)) {
            return None;
        }
    }
    let close = cs - 1;
    let paren = cx.punct(close, ")");
    if !(cx.punct(close, ",") || paren) || cx.tok_quote[close] != 0 {
        return None;
    }
    let lo = cs.saturating_sub(50).max(a);
    let sep = |k: usize| if paren { cx.punct(k, "(") } else { cx.punct(k, ",") };
    // Starts: the sentence start past connectives, then after each comma.
    let first = {
        let mut s = a;
        while s < close
            && (cx.kind(s) != Some(TokenKind::Word) && !cx.punct(s, ",") && cx.kind(s) != Some(TokenKind::Quote)
                || cx.in_list(s, &["but", "and", "so", "yet", "still", "meanwhile", "however", "then", "even", "also", "now", "as", "when", "while", "because", "though", "although", "since", "if"])
                || cx.punct(s, ",") && s > a)
        {
            s += 1;
        }
        s
    };
    let starts = std::iter::once(first).chain((lo..close).filter(|&k| cx.punct(k, ",") && k + 1 > first).map(|k| k + 1));
    for ns in starts {
        if ns < lo || ns + 2 >= close || cx.kind(ns) != Some(TokenKind::Word) || cx.tok_quote[ns] != 0 {
            continue;
        }
        if matches!(tag(cx, ns), "IN" | "TO" | "RB" | "WRB" | "VBG" | "VBN" | "CC") || cx.in_list(ns, CLAUSE_OPENERS) {
            continue;
        }
        // The subject phrase: up to the first separator, at most 10 tokens.
        let Some(c1) = (ns + 1..close.min(ns + 11)).find(|&k| sep(k) || cx.punct(k, ",")) else {
            continue;
        };
        if !sep(c1) || c1 + 1 >= close {
            continue;
        }
        let head_ok = (ns..c1).all(|k| {
            cx.tok_quote[k] == 0
                && !finite(cx, k)
                && !cx.in_list(k, CLAUSE_OPENERS)
                && (matches!(cx.kind(k), Some(TokenKind::Word) | Some(TokenKind::Number))
                    || cx.is_possessive(k)
                    || k > ns && cx.glued(k - 1) && matches!(cx.word(k), "." | "&" | "-"))
        }) && (ns..c1).any(|k| matches!(tag(cx, k), "NN" | "NNS" | "NNP" | "NNPS" | "PRP"))
            && matches!(tag(cx, c1 - 1), "NN" | "NNS" | "NNP" | "NNPS" | "PRP" | "CD");
        if !head_ok || !opens_apposition(cx, c1 + 1) {
            continue;
        }
        // The apposition: no quote, no sentence end, and a finite verb only
        // inside a relative clause.
        let mut relative = false;
        let appos_ok = (c1 + 1..close).all(|k| {
            if cx.in_list(k, &["who", "which", "whose", "whom", "that"]) {
                relative = true;
            }
            cx.tok_quote[k] == 0 && !super::is_final_punct(cx, k) && (relative || !finite(cx, k))
        });
        if appos_ok {
            return Some((ns, cs));
        }
    }
    None
}

/// "Rattling off promises to cut debt, reform the system and fix schools,
/// Clinton said …", "One month after announcing his support, Rubio still
/// believes …", "Recalling the war, the statement warned …": a participle
/// (or a preposition and a gerund) that opens its sentence is said by the
/// subject of the main clause: the noun phrase after a comma and before the
/// first finite verb that follows one. A verb inside the participle's own
/// "that" clause does not count (its subject follows "that", not a comma).
/// Needs POS tags.
pub(super) fn opening_participle_subject(cx: &Ctx, a: usize, b: usize, cs: usize) -> Option<(usize, usize)> {
    cx.pos?;
    if !matches!(tag(cx, cs), "VBG") {
        return None;
    }
    let mut s = a;
    while s < cs && (cx.kind(s) != Some(TokenKind::Word) || cx.in_list(s, &["but", "and", "so", "yet", "even", "still", "then"])) {
        if cx.tok_quote[s] != 0 || cx.punct(s, ",") {
            return None;
        }
        s += 1;
    }
    // Before the participle: nothing, or a short prepositional lead ("In",
    // "One month after", "In addition to") without verbs or commas.
    let lead_ok = s == cs
        || cs <= s + 4
            && matches!(tag(cx, cs - 1), "IN" | "TO")
            && (s..cs).all(|k| {
                cx.kind(k) == Some(TokenKind::Word) && !tag(cx, k).starts_with("VB") && !finite(cx, k) && cx.tok_quote[k] == 0
            });
    if !lead_ok {
        return None;
    }
    let end = b.min(cs + 60);
    for v in cs + 2..end {
        if cx.tok_quote[v] != 0 || !finite(cx, v) {
            continue;
        }
        let mut e = v;
        while e > cs + 1 && tag(cx, e - 1).starts_with("RB") {
            e -= 1;
        }
        // The subject: back to the nearest comma, at most 8 tokens, a noun
        // phrase (no verb, conjunction, quote or wh-word in it).
        let Some(c) = (e.saturating_sub(9).max(cs + 1)..e).rev().find(|&k| cx.punct(k, ",")) else {
            continue;
        };
        let st = c + 1;
        let clean = st < e
            && (st..e).all(|x| {
                cx.tok_quote[x] == 0
                    && !tag(cx, x).starts_with("VB")
                    && !matches!(tag(cx, x), "WDT" | "WP" | "MD" | "CC" | "IN" | "TO")
                    && !cx.in_list(x, CLAUSE_OPENERS)
                    && matches!(cx.kind(x), Some(TokenKind::Word) | Some(TokenKind::Number))
                    || cx.is_possessive(x)
                    || x > st && cx.glued(x - 1) && cx.punct(x, ".")
            });
        let opens = matches!(tag(cx, st), "DT" | "NNP" | "NNPS" | "NN" | "NNS" | "PRP" | "PRP$" | "JJ" | "CD");
        let nounish = matches!(tag(cx, e - 1), "NN" | "NNS" | "NNP" | "NNPS" | "PRP" | "CD");
        if clean && opens && nounish {
            return Some((st, e));
        }
        // The first finite verb after a comma decides: no subject there, none at all.
        if (cs + 1..v).any(|k| cx.punct(k, ",")) && !(c + 1..v).any(|k| cx.in_list(k, &["that", "who", "which"])) {
            return None;
        }
    }
    None
}

/// "New polls released Sunday showed", "A court document filed Thursday
/// says", "A survey conducted by the chamber found": a subject with a
/// reduced relative clause (a past participle and its adjuncts) before a
/// finite cue. The span runs from the noun phrase to the cue, as PolNeAR's
/// do; without this rule the phrase was missed or cut to the agent ("the
/// chamber"). Needs POS tags.
pub(super) fn reduced_relative_subject(cx: &Ctx, a: usize, cs: usize) -> Option<(usize, usize)> {
    cx.pos?;
    if cs < a + 3 || !matches!(tag(cx, cs), "VBD" | "VBZ" | "VBP") {
        return None;
    }
    // The participle: at most 8 words back, with only words between it and the cue.
    let lo = cs.saturating_sub(9).max(a + 1);
    let mut v = None;
    for k in (lo..cs).rev() {
        if cx.tok_quote[k] != 0 || !matches!(cx.kind(k), Some(TokenKind::Word) | Some(TokenKind::Number)) || finite(cx, k) {
            return None;
        }
        if tag(cx, k) == "VBN" {
            v = Some(k);
            break;
        }
        if tag(cx, k).starts_with("VB") || cx.in_list(k, CLAUSE_OPENERS) || matches!(tag(cx, k), "WDT" | "WP" | "CC") {
            return None;
        }
    }
    let v = v?;
    if !matches!(tag(cx, v - 1), "NN" | "NNS" | "NNP" | "NNPS") {
        return None;
    }
    // The noun phrase before it: determiners, adjectives, nouns, numbers.
    let mut s = v;
    while s > a
        && v - s < 7
        && cx.tok_quote[s - 1] == 0
        && (matches!(tag(cx, s - 1), "DT" | "JJ" | "JJR" | "JJS" | "NN" | "NNS" | "NNP" | "NNPS" | "CD" | "PRP$")
            || cx.is_possessive(s - 1)
            || s - 1 > a && cx.glued(s - 2) && cx.punct(s - 1, "."))
    {
        s -= 1;
    }
    // It opens the clause: the sentence start, a comma, "that" or a lead-in.
    let opens = s == a || cx.punct(s - 1, ",") || cx.in_list(s - 1, &["that", "but", "and", "while", "as", "because"]) || super::lead_in(cx, a, s);
    (opens && s < v).then_some((s, cs))
}
