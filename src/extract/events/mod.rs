//! Events: triggers (a trained token classifier plus the trigger lexicon),
//! event types, participants from the sentence (a window/chunk approach
//! until a dependency parse exists), modality, and event coreference in a
//! document.

pub mod lexicon;
pub mod model;
pub mod train;

use super::{ByteSpan, EntityMention, EntityType, EventArg, EventMention, Extraction, Modality, Ref, Role, TimexType};
use crate::text::{Analysis, Document, Token, TokenKind};
use lexicon::Lexicon;
use model::{TokInfo, TriggerModel};
use std::sync::LazyLock;
use crate::nlp::parser::doc::DocParse;

/// The trained trigger model shipped in the binary (empty until trained:
/// then only lexicon triggers are found).
static MODEL_BYTES: &[u8] = include_bytes!("../../../data/events/triggers.bin");

/// The lexicon and model, loaded once.
pub struct Detector {
    pub lexicon: Lexicon,
    pub model: Option<TriggerModel>,
}

static BUNDLED: LazyLock<Detector> = LazyLock::new(|| Detector {
    lexicon: Lexicon::bundled(),
    model: if MODEL_BYTES.is_empty() {
        None
    } else {
        TriggerModel::from_bytes("data/events/triggers.bin", MODEL_BYTES).ok()
    },
});

impl Detector {
    pub fn bundled() -> &'static Detector {
        &BUNDLED
    }
}

/// A detected trigger: tokens `start..end` (document token indices).
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub start: usize,
    pub end: usize,
    /// TimeML class index (see [`model::CLASSES`]); 1 (OCCURRENCE) for lexicon-only triggers.
    pub class: usize,
    pub event_type: String,
}

/// Buffers [`Detector::sentence_triggers`] reuses from sentence to sentence.
#[derive(Default)]
pub struct Scratch {
    infos: Vec<TokInfo>,
    /// Every scored word's features, one after another; `ends[k]` is where word k's end.
    feats: Vec<u64>,
    ends: Vec<usize>,
    steps: Vec<Step>,
    /// The weight row of each feature.
    rows: Vec<u32>,
}

thread_local! {
    /// The bundled detector's token infos, by word and POS tag.
    static INFO_CACHE: std::cell::RefCell<InfoCache> = std::cell::RefCell::new(InfoCache::default());
}

/// Direct-mapped cache: (word bytes, POS tag) → [`TokInfo`] (the same
/// scheme as the taggers' token cache: a 64-bit key, never 0).
#[derive(Default)]
struct InfoCache {
    keys: Vec<u64>,
    infos: Vec<TokInfo>,
}

const INFO_SLOTS: usize = 8192;

/// A 64-bit hash of a word's bytes and its POS tag (8 bytes at a time), never 0.
fn info_key(word: &str, pos: Option<&str>) -> u64 {
    use crate::nlp::hash::mix;
    let mut h = (word.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for part in [word.as_bytes(), pos.map_or(&[0xff][..], str::as_bytes)] {
        let mut chunks = part.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = mix(h ^ u64::from_le_bytes(w));
        }
        let r = chunks.remainder();
        let mut w = [0u8; 8];
        w[..r.len()].copy_from_slice(r);
        // The length marks where the word ends and the tag starts.
        h = mix(h ^ u64::from_le_bytes(w) ^ (r.len() as u64) << 60);
    }
    h | 1
}

impl InfoCache {
    #[inline]
    fn get(&mut self, word: &str, pos: Option<&str>, make: impl FnOnce() -> TokInfo) -> TokInfo {
        if self.keys.is_empty() {
            self.keys.resize(INFO_SLOTS, 0);
            self.infos.resize(INFO_SLOTS, TokInfo::default());
        }
        let k = info_key(word, pos);
        let s = (k >> 7) as usize & (INFO_SLOTS - 1);
        if self.keys[s] != k {
            self.keys[s] = k;
            self.infos[s] = make();
        }
        self.infos[s]
    }
}

/// One step of the walk through a sentence: a lexicon phrase, or a word to classify.
#[derive(Clone, Copy)]
enum Step {
    Phrase { i: usize, n: usize, ty: usize },
    Word { i: usize },
}

const NOT_TRIGGERS: &[&str] = &[
    "be", "is", "are", "was", "were", "been", "being", "am", "will", "would", "may", "might", "can", "could",
    "should", "must", "shall",
];

/// Lexicon types whose words are triggers even when the classifier disagrees.
const STRONG_TYPES: &[&str] = &[
    "Conflict.Attack",
    "Conflict.Demonstrate",
    "Life.Die",
    "Life.Injure",
    "Justice.Arrest-Jail",
    "Justice.Charge-Indict",
    "Justice.Trial-Hearing",
    "Justice.Convict",
    "Justice.Sentence",
    "Disaster",
];

fn eq_any(w: &str, set: &[&str]) -> bool {
    set.iter().any(|s| w.eq_ignore_ascii_case(s))
}

fn ascii_eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl Detector {
    /// Triggers of one sentence (tokens `range`), in order.
    pub fn sentence_triggers(
        &self,
        text: &str,
        tokens: &[Token],
        range: std::ops::Range<usize>,
        pos: Option<&[&'static str]>,
        scratch: &mut Scratch,
        out: &mut Vec<Trigger>,
    ) {
        let toks = &tokens[range.clone()];
        let Scratch { infos, feats, ends, steps, rows } = scratch;
        infos.clear();
        let wc = self.model.as_ref().map(|m| &m.word_classes);
        let info = |k: usize, t: &Token| {
            let p = pos.and_then(|p| p.get(range.start + k).copied());
            (t.text(text), p)
        };
        // The bundled detector never changes, so its tokens' infos can be
        // cached per thread across sentences and documents.
        let cached = std::ptr::eq(self, Detector::bundled())
            && INFO_CACHE.with(|c| match c.try_borrow_mut() {
                Ok(mut cache) => {
                    for (k, t) in toks.iter().enumerate() {
                        let (w, p) = info(k, t);
                        infos.push(cache.get(w, p, || model::tok_info(w, p, &self.lexicon, wc)));
                    }
                    true
                }
                Err(_) => false,
            });
        if !cached {
            for (k, t) in toks.iter().enumerate() {
                let (w, p) = info(k, t);
                infos.push(model::tok_info(w, p, &self.lexicon, wc));
            }
        }
        // Pass 1: lexicon phrases and the words the classifier decides, in order.
        steps.clear();
        let mut i = 0;
        while i < toks.len() {
            // Multi-word triggers from the lexicon ("press conference", "car bombing").
            if let Some((n, ty)) = self.phrase_at(text, toks, i) {
                steps.push(Step::Phrase { i, n, ty });
                i += n;
                continue;
            }
            let t = &toks[i];
            if t.kind == TokenKind::Word && !eq_any(t.text(text), NOT_TRIGGERS) {
                steps.push(Step::Word { i });
            }
            i += 1;
        }
        // Pass 2: the features of every word of the sentence, looked up together.
        feats.clear();
        ends.clear();
        if let Some(m) = &self.model {
            for st in steps.iter() {
                if let Step::Word { i } = *st {
                    model::features(infos, i, feats);
                    ends.push(feats.len());
                }
            }
            m.rows(feats, rows);
        }
        // Pass 3: decisions, in sentence order.
        let mut word: usize = 0;
        for st in steps.iter() {
            let i = match *st {
                Step::Phrase { i, n, ty } => {
                    out.push(Trigger {
                        start: range.start + i,
                        end: range.start + i + n,
                        class: 1,
                        event_type: self.lexicon.type_name(ty).to_string(),
                    });
                    continue;
                }
                Step::Word { i } => i,
            };
            let mut class = match &self.model {
                Some(m) => {
                    let from = word.checked_sub(1).and_then(|p| ends.get(p)).copied().unwrap_or(0);
                    let to = ends.get(word).copied().unwrap_or(from);
                    word += 1;
                    m.decide(&m.sum(rows.get(from..to).unwrap_or(&[])))
                }
                // Without a model, lexicon words are triggers.
                None => usize::from(infos[i].lex != 0),
            };
            // Violence, disaster and justice words are events in news even where
            // the (mostly financial) training text never showed them.
            if class == 0 && infos[i].lex != 0 && !(infos[i].cap && i > 0) {
                let ty = self.lexicon.type_name(infos[i].lex as usize - 1);
                if STRONG_TYPES.contains(&ty) {
                    class = 1;
                }
            }
            if class != 0 {
                out.push(Trigger {
                    start: range.start + i,
                    end: range.start + i + 1,
                    class,
                    event_type: self.type_of(toks[i].text(text), class).to_string(),
                });
            }
        }
    }

    /// The lexicon phrase starting at token `i`: (length in tokens, type id).
    fn phrase_at(&self, text: &str, toks: &[Token], i: usize) -> Option<(usize, usize)> {
        let first = toks[i].text(text);
        for (words, ty) in &self.lexicon.phrases {
            if !ascii_eq(&words[0], first) || i + words.len() > toks.len() {
                continue;
            }
            if words.iter().zip(&toks[i..]).all(|(w, t)| ascii_eq(w, t.text(text))) {
                return Some((words.len(), *ty));
            }
        }
        None
    }

    /// The event type of a single-word trigger: the lexicon's, else from the TimeML class.
    pub fn type_of(&self, word: &str, class: usize) -> &str {
        if let Some((_, t)) = self.lexicon.lemma_of(word) {
            return self.lexicon.type_name(t);
        }
        match model::CLASSES.get(class).copied() {
            Some("REPORTING") => "Contact.Statement",
            Some("STATE") | Some("I_STATE") => "State",
            _ => "Occurrence",
        }
    }

    /// All triggers of the content sentences of a document.
    pub fn document_triggers(&self, text: &str, analysis: &Analysis, pos: Option<&[&'static str]>) -> Vec<Trigger> {
        let mut out = Vec::new();
        let mut scratch = Scratch::default();
        for (_, s) in analysis.content_sentences() {
            self.sentence_triggers(text, &analysis.tokens, s.tokens.clone(), pos, &mut scratch, &mut out);
        }
        out
    }
}

// ------------------------------------------------------------ participants

const BE: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "get", "got", "gets", "getting", "'s"];
const SKIPPABLE: &[&str] = &[
    "not", "also", "reportedly", "allegedly", "apparently", "later", "then", "already", "still", "just", "never",
    "recently", "previously", "initially", "eventually", "finally", "fatally", "seriously", "critically", "badly",
    "has", "have", "had", "will", "would", "may", "might", "could", "can", "should", "must", "did", "does", "do",
];
const PREPS: &[&str] = &[
    "in", "at", "on", "of", "for", "from", "by", "with", "to", "into", "near", "outside", "inside", "during",
    "after", "before", "since", "over", "under", "against", "about", "across", "through", "toward", "towards",
    "among", "between", "amid", "without", "within",
];
const DETS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my", "your", "another",
    "two", "three", "several", "many", "some", "any", "no", "each", "every",
];
const BOUNDARY: &[&str] = &[
    "that", "which", "who", "whom", "whose", "because", "although", "though", "while", "when", "where", "if",
    "but", "and", "or", ";", ":", "—", "–", "\"", "“", "”", "(", ")",
];
const LOC_PREPS: &[&str] = &["in", "at", "near", "outside", "inside", "across", "throughout", "around"];

/// Types whose possessor and "of"-phrase name who it happened to.
fn patient_oriented(ty: &str) -> bool {
    ty.starts_with("Life.")
        || ty.starts_with("Justice.")
        || ty == "Conflict.Attack"
        || ty == "Personnel.Elect"
        || ty == "Personnel.Start-Position"
        || ty == "Personnel.End-Position"
}

struct Sent<'a> {
    text: &'a str,
    toks: &'a [Token],
    /// First document token index of the sentence.

    /// (entity index, first token, end token) — sentence-relative.
    ents: Vec<(usize, usize, usize)>,
    /// (time index, first token, end token) — sentence-relative.
    times: Vec<(usize, usize, usize)>,
    /// Per sentence token: is it part of a trigger?
    trig: Vec<bool>,
}

impl<'a> Sent<'a> {
    fn w(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.text(self.text))
    }
    fn is(&self, i: usize, set: &[&str]) -> bool {
        i < self.toks.len() && eq_any(self.w(i), set)
    }
    fn entity_ending_at(&self, end: usize) -> Option<(usize, usize, usize)> {
        self.ents.iter().copied().find(|e| e.2 == end)
    }
    fn entity_starting_at(&self, start: usize) -> Option<(usize, usize, usize)> {
        self.ents.iter().copied().find(|e| e.1 == start)
    }
    fn span(&self, a: usize, b: usize) -> ByteSpan {
        ByteSpan::new(self.toks[a].start, self.toks[b.max(a + 1) - 1].end)
    }
    /// The (exclusive) end of a possessor right before token `k`: "Kirillov's killing",
    /// with the possessive as one clitic token or as an apostrophe and an "s".
    fn possessor_end(&self, k: usize) -> Option<usize> {
        if k >= 2
            && matches!(self.w(k - 1), "'s" | "’s" | "'" | "’")
            && self.toks[k - 1].start == self.toks[k - 2].end
        {
            return Some(k - 1);
        }
        (k >= 3 && ascii_eq(self.w(k - 1), "s") && self.possessive_s_at(k - 2)).then(|| k - 2)
    }
    /// Is token `i` an apostrophe followed by a separate "s"?
    fn possessive_s_at(&self, i: usize) -> bool {
        i + 1 < self.toks.len()
            && matches!(self.w(i), "'" | "’")
            && ascii_eq(self.w(i + 1), "s")
            && self.toks[i].start == self.toks[i.saturating_sub(1)].end
    }
}

/// Per-trigger facts the role rules need (sentence-relative token indices).
struct TrigInfo {
    s: usize,
    e: usize,
    noun: bool,
    passive: bool,
}

fn looks_like_noun(sent: &Sent, s: usize, e: usize, pos: Option<&str>) -> bool {
    if e - s > 1 {
        return true;
    }
    if let Some(p) = pos {
        return p.starts_with("NN");
    }
    let w = sent.w(s);
    let lw = w.to_ascii_lowercase();
    if s > 0 {
        let p = sent.w(s - 1);
        if eq_any(p, DETS) || sent.possessor_end(s).is_some() {
            return true;
        }
    }
    // The word's usual class in a treebank ("acquired" is a verb, "bombing" a noun).
    match majority_class(w) {
        Some("VERB") => return false,
        Some("NOUN") => return true,
        _ => {}
    }
    if s > 0 && (sent.entity_ending_at(s).is_some() || sent.times.iter().any(|t| t.2 == s)) {
        return !lw.ends_with("ed");
    }
    if sent.is(e, &["of"]) {
        return true;
    }
    ["tion", "sion", "ment", "ure", "ance", "ence", "ism", "ity", "sis", "ery"].iter().any(|x| lw.ends_with(x))
}

/// The most frequent UPOS tag of a word in the model's word-class lexicon.
fn majority_class(w: &str) -> Option<&'static str> {
    let m = Detector::bundled().model.as_ref()?;
    let &(_, maj) = m.word_classes.get(&model::lower_hash(w))?;
    model::UPOS.get((maj as usize).checked_sub(1)?).copied()
}

fn is_participle(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    l.ends_with("ed")
        || l.ends_with("en")
        || eq_any(&l, &["shot", "hit", "hurt", "slain", "struck", "held", "caught", "born", "sent", "set", "put", "cut", "left", "sold", "bought", "paid", "told", "found", "led", "met", "fought"])
}

fn is_passive(sent: &Sent, s: usize, e: usize) -> bool {
    if !is_participle(sent.w(e - 1)) {
        return false;
    }
    let mut j = s;
    while j > 0 && s - j < 4 {
        j -= 1;
        if sent.is(j, BE) {
            return true;
        }
        if !sent.is(j, SKIPPABLE) && !sent.w(j).to_ascii_lowercase().ends_with("ly") {
            break;
        }
    }
    // Reduced relative: "the general killed by a bomb".
    sent.is(e, &["by"])
}

/// The entity that is the subject of the trigger at `s`: the nearest entity to
/// the left in the same clause that is not inside a prepositional phrase.
/// `verb_tok[j]`: token j belongs to a verb trigger (the trigger at `s` itself is never reached).
fn left_subject(sent: &Sent, s: usize, verb_tok: &[bool]) -> Option<(usize, usize, usize)> {
    let mut j = s;
    let mut steps = 0;
    while j > 0 && steps < 10 {
        if let Some(ent) = sent.entity_ending_at(j) {
            // "residents of the Feijenoord district": a preposition's object,
            // also past a determiner, is not the subject.
            let before = ent.1.checked_sub(1);
            let det = before.filter(|&b| sent.is(b, &["the", "a", "an"]));
            // Past a determiner, not the conjunctions "after", "before",
            // "since", "until" ("after the Court of Appeal backed").
            let of_det = det.and_then(|b| b.checked_sub(1)).is_some_and(|p| {
                sent.is(p, PREPS) && !sent.is(p, &["after", "before", "since", "until"])
            });
            if before.is_some_and(|b| sent.is(b, PREPS)) || of_det {
                j = ent.1;
                steps += 1;
                continue;
            }
            return Some(ent);
        }
        j -= 1;
        steps += 1;
        if sent.is(j, &[","]) {
            // "Igor Kirillov, the head of the unit, was killed": an apposition
            // or relative clause between subject and verb; the subject is the
            // entity right before the opening comma.
            let mut c = j;
            while c > 0 && j - c < 25 {
                c -= 1;
                if sent.is(c, &[","]) {
                    return sent.entity_ending_at(c);
                }
                if sent.is(c, &[";", ":", "\"", "“", "”"]) {
                    return None;
                }
            }
            return None;
        }
        // "The lawsuit - filed by X in 2029 - was rejected", "Acme (owned by
        // X) was sold": the subject is before the aside, not inside it.
        if sent.is(j, &["-", "–", "—", ")"]) {
            let open: &[&str] = if sent.is(j, &[")"]) { &["("] } else { &["-", "–", "—"] };
            let mut c = j;
            while c > 0 && j - c < 25 {
                c -= 1;
                if sent.is(c, open) {
                    return sent.entity_ending_at(c);
                }
            }
            return None;
        }
        if sent.is(j, BOUNDARY) || verb_tok.get(j).copied().unwrap_or(false) {
            return None;
        }
    }
    None
}

/// The entity right after the trigger (direct object), skipping determiners,
/// adjectives and titles, stopping at prepositions and punctuation.
fn right_object(sent: &Sent, e: usize) -> Option<(usize, usize, usize)> {
    let mut j = e;
    while j < sent.toks.len() && j < e + 5 {
        if let Some(ent) = sent.entity_starting_at(j) {
            return Some(ent);
        }
        // "fails as storm hits Rotterdam": a new clause, whose object is not this verb's.
        let links_clause = sent.is(j, CLAUSE_LINKS) && !(j > 0 && sent.is(j - 1, &["such"]));
        if sent.is(j, PREPS) || sent.is(j, BOUNDARY) || links_clause || sent.toks[j].kind != TokenKind::Word {
            return None;
        }
        j += 1;
    }
    None
}

/// What a reporting trigger "call(s)/called/calling" at token `k` is.
enum CallSense {
    /// "called for an inquiry", "called on X to", "called the plan a fantasy"
    Statement,
    /// "phone calls", "make calls to landlines"
    Phone,
    /// "called off", "called up", "called into the squad": cancelled, picked, summoned
    Other,
    /// "a system called Spotlight", "what are called zones", "so called": a name, no event
    Name,
}

/// Words before a noun "call" that make it a telephone call.
const PHONE_CALL_WORDS: &[&str] = &[
    "phone", "telephone", "mobile", "make", "made", "making", "take", "took", "takes", "receive", "received",
    "answer", "answered", "emergency", "voice", "video", "live", "cold", "nuisance", "conference", "internet",
    "free", "cheap", "international", "local",
];

fn call_sense(sent: &Sent, k: usize, tag: impl Fn(usize) -> &'static str) -> CallSense {
    let w = sent.w(k);
    let next = sent.w(k + 1);
    let prev = if k > 0 { sent.w(k - 1) } else { "" };
    if eq_any(next, &["for", "on", "upon"]) {
        return CallSense::Statement;
    }
    if eq_any(w, &["call", "calls"]) {
        let noun = matches!(tag(k), "NN" | "NNS");
        // "calls to go head-to-head", "the IAAF call to sit": a demand.
        let demand = eq_any(next, &["to"]) && tag(k + 2) == "VB";
        let phone = !demand && (eq_any(prev, PHONE_CALL_WORDS) || eq_any(next, &["to", "from"]) && noun);
        return if phone { CallSense::Phone } else { CallSense::Statement };
    }
    if !eq_any(w, &["called", "calling"]) {
        return CallSense::Statement;
    }
    if eq_any(next, &["off", "up", "in", "out", "into"]) {
        return CallSense::Other;
    }
    if w.eq_ignore_ascii_case("calling") {
        // "a statement calling Davis an icon"
        return CallSense::Statement;
    }
    // A name after a noun, at the start, or after "be"/"so": "a report
    // called Rags", "Called GSM, it …", "what are called", "so called"
    // (but "the union called a strike").
    let name_follows = next.starts_with(|c: char| c.is_uppercase() || matches!(c, '"' | '“' | '\''));
    // "services called Kirillov a "legitimate target"": a name and then what he was called.
    let mut after = k + 1;
    while after < sent.toks.len() && after <= k + 4 && sent.w(after).starts_with(char::is_uppercase) {
        after += 1;
    }
    if after > k + 1 && eq_any(sent.w(after), &["a", "an", "the", "\"", "“", "'"]) {
        return CallSense::Statement;
    }
    let naming = k == 0 || matches!(tag(k - 1), "NN" | "NNS") && name_follows || eq_any(prev, &["be", "been", "being", "is", "are", "was", "were", "so", "-"]);
    if naming { CallSense::Name } else { CallSense::Statement }
}

/// Conjunctions that start another clause, beyond [`BOUNDARY`] (which also
/// ends subjects and phrases, where "as" is often a preposition); "such
/// as" goes on to its examples.
const CLAUSE_LINKS: &[&str] = &["as", "until", "unless", "whether", "once", "so"];

/// `prep` (det)? ENTITY after the trigger: (entity, span of the phrase).
fn prep_entity(sent: &Sent, e: usize, preps: &[&str], window: usize, loc_only: bool, ents: &[EntityMention]) -> Option<(usize, ByteSpan)> {
    let mut j = e;
    while j < sent.toks.len() && j < e + window {
        if sent.is(j, preps) {
            let mut k = j + 1;
            while k < sent.toks.len() && k < j + 3 && sent.entity_starting_at(k).is_none() && sent.is(k, DETS) {
                k += 1;
            }
            // Title or description words before a name: "of nationalist Darya
            // Dugina", "on senior general Igor Kirillov" (lowercase only, so
            // no other name is skipped).
            let mut skipped = 0;
            while !loc_only
                && skipped < 3
                && k < sent.toks.len()
                && sent.entity_starting_at(k).is_none()
                && sent.toks[k].kind == TokenKind::Word
                && sent.w(k).starts_with(|c: char| c.is_lowercase())
                && !sent.is(k, PREPS)
                && !sent.is(k, BOUNDARY)
                && !sent.trig.get(k).copied().unwrap_or(false)
            {
                k += 1;
                skipped += 1;
            }
            if let Some(ent) = sent.entity_starting_at(k) {
                if !loc_only || ents[ent.0].etype == EntityType::Location {
                    return Some((ent.0, sent.span(j, ent.2)));
                }
            }
        }
        // The phrase belongs to a later event ("... since a bombing in X").
        if sent.is(j, &[";", "\"", "“", "”", "since", "after", "before", "when", "while", "than", "which", "who"])
            || (j > e && sent.trig.get(j).copied().unwrap_or(false))
        {
            break;
        }
        j += 1;
    }
    None
}

/// "with/by/using (det) (adj)* NOUN" where NOUN names a weapon or means:
/// token range of the noun phrase (without the determiner) and the phrase's evidence.
fn instrument_after(sent: &Sent, e: usize, lex: &Lexicon) -> Option<(usize, usize, ByteSpan)> {
    let mut j = e;
    while j < sent.toks.len() && j < e + 8 {
        if sent.is(j, &["with", "by", "using"]) {
            let mut k = j + 1;
            while sent.is(k, DETS) {
                k += 1;
            }
            let np_start = k;
            let mut m = k;
            while m < sent.toks.len() && m < np_start + 4 && sent.toks[m].kind == TokenKind::Word && !sent.is(m, PREPS) {
                if sent.entity_starting_at(m).is_some() {
                    return None;
                }
                let lw = sent.w(m).to_ascii_lowercase();
                if lex.is_instrument(&lw) && !sent.is(m + 1, &["bombing", "bomb"]) {
                    return Some((np_start, m + 1, sent.span(j, m + 1)));
                }
                m += 1;
            }
            return None;
        }
        if sent.is(j, BOUNDARY) || sent.is(j, &[","]) {
            return None;
        }
        j += 1;
    }
    None
}

// ---------------------------------------------------------------- modality

const NEG: &[&str] = &["not", "n't", "never", "no", "neither", "nor", "without", "failed"];
const POSSIBLE: &[&str] = &["may", "might", "could", "can", "possibly", "perhaps", "probably", "likely", "possible", "potential", "suspected", "feared"];
const PLANNED: &[&str] = &["will", "shall", "'ll", "would", "planned", "upcoming", "proposed", "scheduled", "future", "next", "forthcoming", "impending"];
const PLAN_VERBS: &[&str] = &[
    "plan", "plans", "planned", "planning", "intend", "intends", "intended", "expected", "expects", "set", "scheduled",
    "aim", "aims", "aimed", "threaten", "threatens", "threatened", "vow", "vows", "vowed", "promise", "promises",
    "promised", "want", "wants", "wanted", "seek", "seeks", "sought", "hope", "hopes", "hoped", "prepare",
    "prepares", "preparing", "going", "agreed", "decided", "ready", "due", "poised", "likely",
];
const DENY: &[&str] = &["deny", "denied", "denies", "denying", "rejected", "dismissed", "refuted"];
const HEARSAY: &[&str] = &["reportedly", "allegedly", "alleged", "purported", "purportedly", "claimed", "rumoured", "rumored"];

fn modality_cues(sent: &Sent, s: usize, noun: bool) -> Option<Modality> {
    // Look back through auxiliaries, adverbs and "to" within the verb group.
    let mut j = s;
    let mut steps = 0;
    let mut result: Option<Modality> = None;
    while j > 0 && steps < 5 {
        j -= 1;
        steps += 1;
        let w = sent.w(j);
        if eq_any(w, NEG) || (ascii_eq(w, "t") && j > 0 && matches!(sent.w(j - 1), "'" | "’")) {
            return Some(Modality::Negated);
        }
        if eq_any(w, DENY) {
            return Some(Modality::Negated);
        }
        if eq_any(w, POSSIBLE) {
            result = result.or(Some(Modality::Possible));
        } else if eq_any(w, PLANNED) {
            result = result.or(Some(Modality::Planned));
        } else if ascii_eq(w, "to") && j > 0 {
            // "plans to attack", "is expected to meet", "is set to visit"
            let mut k = j;
            while k > 0 && j - k < 3 {
                k -= 1;
                if eq_any(sent.w(k), PLAN_VERBS) {
                    result = result.or(Some(Modality::Planned));
                    break;
                }
            }
            if !noun {
                continue;
            }
            break;
        } else if eq_any(w, HEARSAY) {
            result = result.or(Some(Modality::Claimed));
        } else if eq_any(w, BE) || eq_any(w, SKIPPABLE) || w.to_ascii_lowercase().ends_with("ly") || (noun && (eq_any(w, DETS) || sent.toks[j].kind == TokenKind::Word && sent.entity_ending_at(j + 1).is_none() && steps <= 2)) {
            continue;
        } else {
            break;
        }
    }
    result
}

// ---------------------------------------------------------------- recognize

/// Finds the events of a document: sets `ex.events`, and adds an `Other`
/// entity (subtype `instrument`) for each instrument noun phrase ("a bomb").
pub fn recognize(doc: &Document, analysis: &Analysis, models: &crate::nlp::Models, ex: &mut Extraction) {
    let pos = models.tag_pos(&doc.text, analysis);
    recognize_with(doc, analysis, pos.as_deref(), None, ex);
}

/// [`recognize`] with the document's POS tags (`Models::tag_pos`) already
/// computed, so that extractors share one tagging pass, and with a dependency
/// parse when there is one: verbs' subjects and objects then come from it;
/// the word-window rules fill the rest.
pub fn recognize_with(doc: &Document, analysis: &Analysis, pos: Option<&[&'static str]>, parse: Option<&DocParse>, ex: &mut Extraction) {
    let det = Detector::bundled();
    let text = doc.text.as_str();
    let tokens = &analysis.tokens;
    let tok_first = |b: usize| tokens.partition_point(|t| t.end <= b);
    let tok_end = |b: usize| tokens.partition_point(|t| t.start < b);
    let mut triggers = Vec::new();
    let mut scratch = Scratch::default();
    let mut events: Vec<EventMention> = Vec::new();
    let mut ent_order: Vec<usize> = (0..ex.entities.len()).collect();
    ent_order.sort_by_key(|&i| (ex.entities[i].span.start, i));
    let mut time_order: Vec<usize> = (0..ex.times.len()).collect();
    time_order.sort_by_key(|&i| (ex.times[i].span.start, i));
    let mut new_mention: Vec<bool> = Vec::new();
    let mut plural: Vec<bool> = Vec::new();
    for (si, s) in analysis.content_sentences() {
        triggers.clear();
        det.sentence_triggers(text, tokens, s.tokens.clone(), pos, &mut scratch, &mut triggers);
        if triggers.is_empty() {
            continue;
        }
        let base = s.tokens.start;
        let toks = &tokens[s.tokens.clone()];
        let rel = |a: usize, b: usize| -> Option<(usize, usize)> {
            let (a, b) = (a.max(base) - base, b.min(s.tokens.end).saturating_sub(base));
            (a < b).then_some((a, b))
        };
        let in_sentence = |sp: ByteSpan| sp.start >= s.start && sp.end <= s.end;
        // Mentions of this sentence, found by binary search (no scan per sentence).
        let ent_range = ent_order.partition_point(|&i| ex.entities[i].span.start < s.start)
            ..ent_order.partition_point(|&i| ex.entities[i].span.start < s.end);
        let time_range = time_order.partition_point(|&i| ex.times[i].span.start < s.start)
            ..time_order.partition_point(|&i| ex.times[i].span.start < s.end);
        let times: Vec<(usize, usize, usize)> = time_order[time_range]
            .iter()
            .map(|&i| (i, &ex.times[i]))
            .filter(|(_, m)| in_sentence(m.span))
            .filter_map(|(i, m)| rel(tok_first(m.span.start), tok_end(m.span.end)).map(|(a, b)| (i, a, b)))
            .collect();
        let ents: Vec<(usize, usize, usize)> = ent_order[ent_range]
            .iter()
            .map(|&i| (i, &ex.entities[i]))
            .filter(|(_, m)| in_sentence(m.span) && !times.iter().any(|t| ex.times[t.0].span.overlaps(&m.span)))
            .filter_map(|(i, m)| rel(tok_first(m.span.start), tok_end(m.span.end)).map(|(a, b)| (i, a, b)))
            .collect();
        let mut sent = Sent { text, toks, ents, times, trig: Vec::new() };
        // A "sentence" this long is a list or junk: triggers only, no participants,
        // so the work stays linear in its length.
        let long = toks.len() > MAX_SENTENCE_TOKENS;
        if long {
            sent.ents.clear();
            sent.times.clear();
        }
        // "by a bomb", "with a knife": the means of another event, not an event.
        triggers.retain(|t| {
            let (s0, e0) = (t.start - base, t.end - base);
            let lw = sent.w(e0 - 1).to_ascii_lowercase();
            let after_means = (1..=3).any(|k| s0 >= k && sent.is(s0 - k, &["by", "with", "using"]) && (s0 - k + 1..s0).all(|j| sent.is(j, DETS) || sent.toks[j].kind == TokenKind::Word && !sent.is(j, PREPS)));
            !(e0 - s0 == 1 && det.lexicon.is_instrument(&lw) && after_means)
        });
        // "call" says something only in "called for", "called X a Y": not in
        // "phone calls", "a system called Spotlight" or "called off".
        triggers.retain_mut(|t| {
            if t.event_type != "Contact.Statement" || t.end - t.start != 1 {
                return true;
            }
            let tag = |k: usize| pos.and_then(|p| p.get(base + k).copied()).unwrap_or("");
            match call_sense(&sent, t.start - base, tag) {
                CallSense::Statement => true,
                CallSense::Phone => {
                    t.event_type = "Contact.Phone-Write".to_string();
                    true
                }
                CallSense::Other => {
                    t.event_type = "Occurrence".to_string();
                    true
                }
                CallSense::Name => false,
            }
        });
        sent.trig = vec![false; toks.len()];
        for t in &triggers {
            for k in t.start - base..t.end - base {
                sent.trig[k] = true;
            }
        }
        let sent = sent;
        let tinfo: Vec<TrigInfo> = triggers
            .iter()
            .map(|t| {
                let (s0, e0) = (t.start - base, t.end - base);
                let p = pos.and_then(|p| p.get(t.start).copied());
                let noun = looks_like_noun(&sent, s0, e0, p);
                TrigInfo { s: s0, e: e0, noun, passive: !noun && is_passive(&sent, s0, e0) }
            })
            .collect();
        let mut verb_tok = vec![false; toks.len()];
        for t in tinfo.iter().filter(|t| !t.noun) {
            for k in t.s..t.e {
                verb_tok[k] = true;
            }
        }
        let first_event = events.len();
        for (t, ti) in triggers.iter().zip(&tinfo) {
            let mut args: Vec<EventArg> = Vec::new();
            let add = |role: Role, target: Ref, evidence: ByteSpan, args: &mut Vec<EventArg>| {
                if !args.iter().any(|a| a.role == role) {
                    args.push(EventArg { role, target, evidence });
                }
            };
            let ty = t.event_type.as_str();
            // The parse, when there is one, first: a verb's subject and object
            // from it beat the word-window rules below ("The mayor of Valencia,
            // Jorge Ruiz, was attacked": the mayor, not Valencia).
            if let (false, Some(p)) = (ti.noun, parse) {
                parsed_args(p, &sent, s.tokens.clone(), ti, &mut |role, e, ev| add(role, Ref::Entity(e), ev, &mut args));
            }
            if ti.noun {
                // "Kirillov's killing", "Putin's press conference"
                if ti.s >= 2 {
                    let mut k = ti.s;
                    // allow one adjective: "Kirillov's brazen killing"
                    for _ in 0..2 {
                        if let Some(end) = sent.possessor_end(k) {
                            if let Some(ent) = sent.entity_ending_at(end) {
                                let role = if patient_oriented(ty) { Role::Patient } else { Role::Agent };
                                add(role, Ref::Entity(ent.0), sent.span(ent.1, ti.e), &mut args);
                            }
                            break;
                        }
                        k -= 1;
                        if k < 2 || sent.toks[k].kind != TokenKind::Word {
                            break;
                        }
                    }
                }
                // "Putin said at his press conference": the pronoun is the clause's
                // subject, the first entity of the sentence outside a prepositional phrase.
                if let Some(p) = (1..=3).map(|k| ti.s.wrapping_sub(k)).take_while(|&k| k < ti.s).find(|&k| sent.is(k, &["his", "her", "their", "its"])) {
                    let between_ok = (p + 1..ti.s).all(|k| sent.toks[k].kind == TokenKind::Word && !sent.is(k, PREPS) && !sent.trig[k]);
                    let subject = sent.ents.iter().copied().find(|e| {
                        e.2 <= p
                            && !e.1.checked_sub(1).is_some_and(|b| sent.is(b, PREPS))
                            && matches!(ex.entities[e.0].etype, EntityType::Person | EntityType::Organization)
                    });
                    // Only for agents: "claimed responsibility for his killing" names no patient here.
                    if let (true, false, Some(ent)) = (between_ok, patient_oriented(ty), subject) {
                        add(Role::Agent, Ref::Entity(ent.0), sent.span(ent.1, ti.e), &mut args);
                    }
                }
                // "the killing of Kirillov", "an attack on the embassy"
                if let Some((ent, ev)) = prep_entity(&sent, ti.e, &["of"], 1, false, &ex.entities) {
                    let role = if patient_oriented(ty) { Role::Patient } else { Role::Agent };
                    add(role, Ref::Entity(ent), ev, &mut args);
                }
                if ty == "Conflict.Attack" {
                    if let Some((ent, ev)) = prep_entity(&sent, ti.e, &["on", "against"], 1, false, &ex.entities) {
                        if ex.entities[ent].etype != EntityType::Location || args.iter().all(|a| a.role != Role::Patient) {
                            add(Role::Patient, Ref::Entity(ent), ev, &mut args);
                        }
                    }
                }
                if let Some((ent, ev)) = prep_entity(&sent, ti.e, &["by"], 4, false, &ex.entities) {
                    add(Role::Agent, Ref::Entity(ent), ev, &mut args);
                }
                // "the Moscow bombing", "a Saint Petersburg cafe explosion"
                for back in 1..=2 {
                    if ti.s >= back {
                        if let Some(ent) = sent.entity_ending_at(ti.s + 1 - back) {
                            if ex.entities[ent.0].etype == EntityType::Location {
                                add(Role::Location, Ref::Entity(ent.0), sent.span(ent.1, ti.e), &mut args);
                                break;
                            }
                        }
                    }
                }
            } else if ti.passive {
                if let Some(ent) = left_subject(&sent, ti.s, &verb_tok) {
                    add(Role::Patient, Ref::Entity(ent.0), sent.span(ent.1, ti.e), &mut args);
                }
                if let Some((ent, ev)) = prep_entity(&sent, ti.e, &["by"], 2, false, &ex.entities) {
                    add(Role::Agent, Ref::Entity(ent), ev, &mut args);
                }
            } else {
                if let Some(ent) = left_subject(&sent, ti.s, &verb_tok) {
                    add(Role::Agent, Ref::Entity(ent.0), sent.span(ent.1, ti.e), &mut args);
                }
                if let Some(ent) = right_object(&sent, ti.e) {
                    // For verbs like "meet", "visit", "attack" the object is the other participant.
                    add(Role::Patient, Ref::Entity(ent.0), sent.span(ti.s, ent.2), &mut args);
                }
            }
            if let Some((ent, ev)) = prep_entity(&sent, ti.e, LOC_PREPS, 14, true, &ex.entities) {
                add(Role::Location, Ref::Entity(ent), ev, &mut args);
            }
            if !args.iter().any(|a| a.role == Role::Location) {
                // "In Moscow, police detained ..." — a fronted place phrase.
                if sent.is(0, LOC_PREPS) {
                    if let Some((ent, ev)) = prep_entity(&sent, 0, LOC_PREPS, 1, true, &ex.entities) {
                        if sent.ents.iter().any(|e| e.0 == ent && e.2 <= ti.s) {
                            add(Role::Location, Ref::Entity(ent), ev, &mut args);
                        }
                    }
                }
            }
            if let Some((a, b, ev)) = instrument_after(&sent, ti.e, &det.lexicon) {
                let span = sent.span(a, b);
                let canonical = span.text(text).to_lowercase();
                let idx = ex.entities.len();
                ex.entities.push(EntityMention {
                    span,
                    etype: EntityType::Other,
                    subtype: Some("instrument".to_string()),
                    canonical: Some(canonical),
                    external_id: None,
                    sentence: si,
                    confidence: 0.5,
                    kind: crate::extract::MentionKind::Name,
                });
                add(Role::Instrument, Ref::Entity(idx), ev, &mut args);
            }
            let modality = modality_cues(&sent, ti.s, ti.noun).unwrap_or(Modality::Asserted);
            // "a blast", "another attack", "attacks": a new or generic incident.
            let last = sent.w(ti.e - 1);
            let is_plural = ti.noun && last.len() > 3 && last.ends_with('s') && !last.ends_with("ss");
            let indefinite = ti.noun
                && (1..=2).any(|k| ti.s >= k && sent.is(ti.s - k, &["a", "an", "another", "previous", "earlier", "other", "several", "many", "two", "three"]));
            new_mention.push(indefinite || is_plural);
            plural.push(is_plural);
            events.push(EventMention {
                trigger: ByteSpan::new(tokens[t.start].start, tokens[t.end - 1].end),
                event_type: t.event_type.clone(),
                modality,
                sentence: si,
                args,
                coref: None,
            });
        }
        attach_times(&sent, &tinfo, &ex.times, &mut events[first_event..]);
        if !long {
            mark_claimed(&sent, &tinfo, &mut events[first_event..]);
        }
    }
    carry_agent_days(text, &ex.entities, &ex.times, &mut events);
    corefer(text, &ex.entities, &ex.times, &mut events, &new_mention, &plural);
    ex.events = events;
}

/// A verb trigger's subject, object and passive "by" agent from the parse,
/// when they are (or name, through flat/compound/appos words) an entity:
/// `nsubj` is the agent, `nsubj:pass` and `obj` the patient.
fn parsed_args(p: &DocParse, sent: &Sent, sentence: std::ops::Range<usize>, ti: &TrigInfo, add: &mut dyn FnMut(Role, usize, ByteSpan)) {
    let base = sentence.start;
    let ca = p.core_args(base + ti.s..base + ti.e, sentence.clone());
    let ent_of = |t: usize| -> Option<(usize, usize, usize)> {
        p.name_words(t, sentence.clone()).find_map(|k| k.checked_sub(base).and_then(|r| sent.ents.iter().copied().find(|e| e.1 <= r && r < e.2)))
    };
    let ev = |e: (usize, usize, usize)| sent.span(e.1.min(ti.s), e.2.max(ti.e));
    if let Some(e) = ca.subject.and_then(ent_of) {
        add(if ca.passive { Role::Patient } else { Role::Agent }, e.0, ev(e));
    }
    if let Some(e) = ca.object.and_then(ent_of) {
        add(Role::Patient, e.0, ev(e));
    }
    if let Some(e) = ca.by_agent.and_then(ent_of) {
        add(Role::Agent, e.0, ev(e));
    }
}

/// Each date or clock time goes to the nearest trigger of its sentence; specific
/// event types win over generic ones at similar distance. Durations and sets
/// say how long or how often, not when ("48 hours after the blast"), so they
/// are no event's time.
fn attach_times(sent: &Sent, tinfo: &[TrigInfo], times: &[super::TimeMention], events: &mut [EventMention]) {
    for &(ti, a, b) in &sent.times {
        if !times.get(ti).is_some_and(|m| matches!(m.timex_type, TimexType::Date | TimexType::Time)) {
            continue;
        }
        let mut best: Option<(usize, usize)> = None;
        for (k, t) in tinfo.iter().enumerate() {
            let dist = if b <= t.s { t.s - b } else if t.e <= a { a - t.e } else { 0 };
            let generic = matches!(events[k].event_type.as_str(), "Occurrence" | "State");
            // Time phrases follow their event ("a bombing in Tolm in 2029"),
            // except a premodifier right before a noun ("the August 2022 bombing").
            let before = b <= t.s && dist > 0;
            let crossed = tinfo.iter().filter(|o| (o.s >= b && o.e <= t.s) || (o.s >= t.e && o.e <= a)).count();
            // "killed in Lyon on Monday, police said": a reporting verb across a
            // comma reports the clause; the time belongs to the clause's event.
            let (lo, hi) = if b <= t.s { (b, t.s) } else { (t.e, a) };
            let reporting_across_comma = events[k].event_type == "Contact.Statement" && (lo..hi).any(|j| sent.is(j, &[","]));
            // "filed by X in 1999 - was rejected": a dash or bracket between them
            // closes a parenthetical, and the time belongs to the event inside it.
            let across_parenthetical = (lo..hi).any(|j| sent.is(j, &["-", "–", "—", "(", ")"]));
            let cost = dist * 2
                + if across_parenthetical { 10 } else { 0 }
                + if generic { 6 } else { 0 }
                + if before { 5 } else { 0 }
                + crossed * 4
                + if reporting_across_comma { 12 } else { 0 };
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, k));
            }
        }
        if let Some((_, k)) = best {
            let e = &mut events[k];
            if !e.args.iter().any(|x| x.role == Role::Time) {
                let (s0, e0) = (a.min(tinfo[k].s), b.max(tinfo[k].e));
                e.args.push(EventArg { role: Role::Time, target: Ref::Time(ti), evidence: sent.span(s0, e0) });
            }
        }
    }
}

/// Events in the complement of a reporting verb ("X said Y attacked",
/// "Y attacked, police said") or of "according to" are claimed.
fn mark_claimed(sent: &Sent, tinfo: &[TrigInfo], events: &mut [EventMention]) {
    let n = sent.toks.len();
    let according = (0..n.saturating_sub(1)).any(|i| sent.is(i, &["according"]) && sent.is(i + 1, &["to"]));
    let reporting: Vec<usize> = (0..tinfo.len())
        .filter(|&k| events[k].event_type == "Contact.Statement" && !tinfo[k].noun && !tinfo[k].passive)
        .collect();
    for k in 0..tinfo.len() {
        if events[k].modality != Modality::Asserted || events[k].event_type == "Contact.Statement" {
            continue;
        }
        let t = &tinfo[k];
        let mut claimed = according;
        for &r in &reporting {
            let rt = &tinfo[r];
            if rt.e <= t.s {
                // "said [that] ..." — unless the event is the reporting verb's own
                // setting: "said at a press conference".
                let between = rt.e..t.s;
                let has_comp = between.clone().any(|j| sent.is(j, &["that", "\"", "“", ":", ","]));
                let setting = !has_comp && between.clone().any(|j| sent.is(j, &["at", "during", "in", "on", "after", "before", "to", "with"]));
                if !setting {
                    claimed = true;
                }
            } else if t.e <= rt.s {
                // "... attacked, police said" / quoted content before the cue.
                let between = t.e..rt.s;
                if between.clone().any(|j| sent.is(j, &[",", "\"", "”", "“"])) && !between.clone().any(|j| sent.is(j, &["after", "before", "when", "as", "because"])) {
                    claimed = true;
                }
            }
        }
        if claimed {
            events[k].modality = Modality::Claimed;
        }
    }
}

// ------------------------------------------------------------- coreference

fn coref_group(ty: &str) -> Option<&str> {
    match ty {
        "Conflict.Attack" | "Life.Die" | "Life.Injure" => Some("attack"),
        "Occurrence" | "State" | "Contact.Statement" => None,
        t => Some(t),
    }
}

/// Comparable name of an entity: canonical or surface, lowercase; its last word too
/// (a surname refers to the full name).
fn entity_keys(text: &str, m: &EntityMention) -> (String, String) {
    let k = m.key(text).trim().to_lowercase();
    let last = k.split_whitespace().last().unwrap_or("").to_string();
    (k, last)
}

fn same_entity(text: &str, ents: &[EntityMention], a: usize, b: usize) -> bool {
    let (Some(x), Some(y)) = (ents.get(a), ents.get(b)) else { return false };
    let (ka, la) = entity_keys(text, x);
    let (kb, lb) = entity_keys(text, y);
    // A surname refers to the full name ("Kirillov" / "Igor Kirillov").
    let person_like = |t: EntityType| matches!(t, EntityType::Person | EntityType::Other);
    ka == kb || (person_like(x.etype) && person_like(y.etype) && !la.is_empty() && (ka == lb || kb == la))
}

fn is_dated(v: &str) -> bool {
    v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}

fn is_dated_ref(times: &[super::TimeMention], r: Ref) -> bool {
    matches!(r, Ref::Time(t) if times.get(t).is_some_and(|m| is_dated(&m.value)))
}

/// News narrates one actor's day: an event whose agent did something dated
/// to a day a few sentences earlier ("Putin on Thursday made ... Putin said
/// at his press conference") happened then too, unless its own time says
/// otherwise. A coarser own time that contains that day ("end-of-year" →
/// 2024) gives way to it.
fn carry_agent_days(text: &str, ents: &[EntityMention], times: &[super::TimeMention], events: &mut [EventMention]) {
    const WINDOW_SENTENCES: usize = 6;
    let day = |e: &EventMention| -> Option<(usize, ByteSpan)> {
        e.args.iter().find_map(|a| match a.target {
            Ref::Time(t) if a.role == Role::Time => times.get(t).filter(|m| m.value.len() == 10 && is_dated(&m.value)).map(|_| (t, a.evidence)),
            _ => None,
        })
    };
    for i in 0..events.len() {
        if day(&events[i]).is_some() {
            continue;
        }
        let Some(agent) = events[i].args.iter().find_map(|a| match a.target {
            Ref::Entity(x) if a.role == Role::Agent => Some(x),
            _ => None,
        }) else {
            continue;
        };
        let own = events[i].args.iter().position(|a| a.role == Role::Time);
        let mut found = None;
        for j in (0..i).rev() {
            if events[i].sentence.saturating_sub(events[j].sentence) > WINDOW_SENTENCES {
                break;
            }
            let same_agent = events[j].args.iter().any(|a| a.role == Role::Agent && matches!(a.target, Ref::Entity(x) if same_entity(text, ents, x, agent)));
            if let (true, Some(d)) = (same_agent, day(&events[j])) {
                found = Some(d);
                break;
            }
        }
        let Some((t, evidence)) = found else { continue };
        let value = times.get(t).map_or("", |m| m.value.as_str());
        match own {
            None => events[i].args.push(EventArg { role: Role::Time, target: Ref::Time(t), evidence }),
            Some(k) => {
                let coarse = match events[i].args[k].target {
                    Ref::Time(o) => times.get(o).is_some_and(|m| is_dated(&m.value) && m.value.len() < 10 && value.starts_with(m.value.as_str())),
                    _ => false,
                };
                if coarse {
                    events[i].args[k] = EventArg { role: Role::Time, target: Ref::Time(t), evidence };
                }
            }
        }
    }
}

fn time_compatible(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a) || !a.starts_with(|c: char| c.is_ascii_digit()) || !b.starts_with(|c: char| c.is_ascii_digit())
}

/// Links each event to an earlier one of the same kind with compatible
/// participants, time and place. A mention that shares a participant, place
/// or time joins the nearest such chain; otherwise a mention that is not
/// indefinite or plural ("a blast", "attacks") joins the nearest compatible
/// chain: news articles keep returning to their incident ("the blast",
/// "the attack", "it detonated, killing them").
/// Longest sentence (tokens) whose participants are looked for.
const MAX_SENTENCE_TOKENS: usize = 300;

/// How many earlier event mentions a mention is compared with.
const COREF_WINDOW: usize = 400;

fn corefer(
    text: &str,
    ents: &[EntityMention],
    times: &[super::TimeMention],
    events: &mut [EventMention],
    new_mention: &[bool],
    plural: &[bool],
) {
    let mut size = vec![1usize; events.len()];
    let mut chain_args: Vec<Vec<EventArg>> = events.iter().map(|e| e.args.clone()).collect();
    for i in 0..events.len() {
        let Some(g) = coref_group(&events[i].event_type) else { continue };
        if events[i].modality == Modality::Negated {
            continue;
        }
        let fresh = new_mention.get(i).copied().unwrap_or(false);
        let mut shared_hit = None;
        let mut compatible_hit = None;
        // Bounded look-back keeps huge documents linear.
        for j in (i.saturating_sub(COREF_WINDOW)..i).rev() {
            if events[j].coref.is_some() || coref_group(&events[j].event_type) != Some(g) {
                continue;
            }
            if events[j].modality == Modality::Negated {
                continue;
            }
            let (mut conflict, mut shared) = (false, false);
            for role in [Role::Patient, Role::Agent, Role::Location, Role::Time] {
                // Only dated times anchor an incident: "48 hours", "now" say nothing of which one.
                let anchor = |a: &&EventArg| a.role == role && (role != Role::Time || is_dated_ref(times, a.target));
                let mine: Vec<Ref> = events[i].args.iter().filter(anchor).map(|a| a.target).collect();
                let theirs: Vec<Ref> = chain_args[j].iter().filter(anchor).map(|a| a.target).collect();
                if mine.is_empty() || theirs.is_empty() {
                    continue;
                }
                let same = |a: Ref, b: Ref| match (a, b) {
                    (Ref::Entity(x), Ref::Entity(y)) => same_entity(text, ents, x, y),
                    (Ref::Time(x), Ref::Time(y)) => match (times.get(x), times.get(y)) {
                        (Some(p), Some(q)) => time_compatible(&p.value, &q.value),
                        _ => false,
                    },
                    _ => false,
                };
                if mine.iter().any(|&a| theirs.iter().any(|&b| same(a, b))) {
                    shared = true;
                } else {
                    conflict = true;
                }
            }
            if conflict {
                continue;
            }
            if shared {
                shared_hit = Some(j);
                break;
            }
            // A plural or generic mention ("attacks") is no antecedent of a specific one.
            if plural.get(j).copied().unwrap_or(false) {
                continue;
            }
            // "an explosion ... that killed X": one incident told in one sentence.
            if events[j].sentence == events[i].sentence && !fresh {
                shared_hit = Some(j);
                break;
            }
            // The most mentioned chain is the article's incident; ties go to the nearest.
            if compatible_hit.is_none_or(|c| size[j] > size[c]) {
                compatible_hit = Some(j);
            }
        }
        if let Some(j) = shared_hit.or(if fresh { None } else { compatible_hit }) {
            events[i].coref = Some(j);
            size[j] += 1;
            let extra: Vec<EventArg> = events[i].args.clone();
            chain_args[j].extend(extra);
        }
    }
}

/// Events told inside an attributed statement's content ("Kyiv said its
/// drones hit the depot") are claimed: the article reports them, it does not
/// assert them. Runs after attribution; reporting events themselves stay as they are.
pub fn mark_attributed(ex: &mut Extraction) {
    let contents: Vec<ByteSpan> = ex.statements.iter().map(|s| s.content).collect();
    for e in &mut ex.events {
        if e.modality == Modality::Asserted
            && e.event_type != "Contact.Statement"
            && contents.iter().any(|c| c.start <= e.trigger.start && e.trigger.end <= c.end)
        {
            e.modality = Modality::Claimed;
        }
    }
}

/// A reporting event ("saying", "according to", "called for") whose
/// statement knows its speaker gets that speaker as its agent when its own
/// argument rules found none: the cue's subject is often out of their
/// reach (a participle clause, a coordinated verb, a headline's "minister
/// says"), and without it the event answers "what happened" with nobody
/// doing it. A patient that is the speaker ("…," said Ana Ruiz: the name
/// after the verb read as its object) becomes the agent instead. Runs after
/// attribution. Evidence: the source words and the cue.
pub fn speakers_as_agents(text: &str, ex: &mut Extraction) {
    let Extraction { events, statements, entities, .. } = ex;
    // Statements with a known speaker by cue start, with the running
    // maximum of their cue ends, so each trigger looks only at the cues
    // that can overlap it (a document of thousands of statements stays linear).
    let mut cues: Vec<(ByteSpan, usize)> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s.speaker, Some(Ref::Entity(_))))
        .map(|(i, s)| (s.cue, i))
        .collect();
    cues.sort_by_key(|&(c, i)| (c.start, i));
    let reach: Vec<usize> = cues.iter().scan(0, |m, (c, _)| { *m = (*m).max(c.end); Some(*m) }).collect();
    for e in events.iter_mut().filter(|e| e.event_type == "Contact.Statement") {
        if e.args.iter().any(|a| a.role == Role::Agent) {
            continue;
        }
        // The first statement (in the statements' order) whose cue overlaps the trigger.
        let before = cues.partition_point(|(c, _)| c.start < e.trigger.end);
        let first = (0..before).rev().take_while(|&j| reach[j] > e.trigger.start).filter(|&j| cues[j].0.overlaps(&e.trigger)).map(|j| cues[j].1).min();
        let Some(st) = first.map(|i| &statements[i]) else { continue };
        let (Some(Ref::Entity(k)), source) = (st.speaker, st.source) else { continue };
        let is_speaker = |a: &EventArg| a.role == Role::Patient && matches!(a.target, Ref::Entity(p) if same_entity(text, entities, p, k));
        if let Some(arg) = e.args.iter_mut().find(|a| is_speaker(a)) {
            arg.role = Role::Agent;
        } else {
            let evidence = source.map_or(e.trigger, |src| ByteSpan::new(src.start.min(e.trigger.start), src.end.max(e.trigger.end)));
            e.args.push(EventArg { role: Role::Agent, target: Ref::Entity(k), evidence });
        }
    }
}

/// A key that names the same real-world event in every document, for merging
/// graphs across documents: type family + day (or month) + the patient (else
/// the place), e.g. `attack:2024-12-17:person:igor-kirillov`. Computed over
/// the whole coreference chain of event `root`; None when the chain lacks a
/// dated time or a patient/place (then the event stays document-local).
pub fn cross_document_key(text: &str, ex: &Extraction, root: usize) -> Option<String> {
    let e = ex.events.get(root)?;
    let group = coref_group(&e.event_type)?;
    let chain = ex.events.iter().enumerate().filter(|(i, m)| *i == root || m.coref == Some(root));
    let mut time: Option<&str> = None;
    let mut patient: Option<String> = None;
    let mut place: Option<String> = None;
    let name = |i: usize| -> Option<String> {
        let m = ex.entities.get(i)?;
        Some(crate::graph::ids::entity_id(m.etype.as_str(), m.key(text), m.external_id.as_deref()))
    };
    for (_, m) in chain {
        for a in &m.args {
            match (a.role, a.target) {
                (Role::Time, Ref::Time(t)) => {
                    let v = ex.times.get(t).map(|t| t.value.as_str()).unwrap_or("");
                    // The most precise dated value: 2024-12-17 over 2024-12.
                    let dated = v.len() >= 7 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit);
                    if dated && time.is_none_or(|old| v.len() > old.len() && v.starts_with(old)) {
                        time = Some(v);
                    }
                }
                (Role::Patient, Ref::Entity(i)) => {
                    // The longest name: "Igor Kirillov" over "Kirillov".
                    if let Some(n) = name(i) {
                        if patient.as_ref().is_none_or(|p| n.len() > p.len()) {
                            patient = Some(n);
                        }
                    }
                }
                (Role::Location, Ref::Entity(i)) => {
                    if place.is_none() {
                        place = name(i);
                    }
                }
                _ => {}
            }
        }
    }
    let time = time?.get(..10).unwrap_or(time?);
    Some(format!("{group}:{time}:{}", patient.or(place)?))
}

#[cfg(test)]
mod tests;
