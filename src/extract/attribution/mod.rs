//! Attribution: who said what. Direct quotes, reported speech and claims
//! become [`StatementMention`]s with cue, content and source spans, the
//! speaker resolved to an entity mention (pronouns by salience, anonymous
//! sources as their own "anonymous" mentions), `about` references to the
//! entities and events the content mentions, and nesting (`embedded_in`).
//!
//! Cues come from a lexicon learned from PolNeAR (`newsgraph train cues`):
//! a word (or word pair) starts a cue when its precision — how often it is
//! part of an annotated cue when it appears in news text — reaches the
//! threshold. Sources and contents are then read off the sentence around
//! the cue: the noun phrase before it (or after it, in "…," said Smith),
//! and the clause or quote after it (or before it, in "…, Smith said.").
//!
//! Split quotes ("A," he said, "B.") are one direct Statement whose content
//! runs from the first quote's opening mark to the second's closing mark —
//! the extent a discontinuous brat span has, and one claim in the graph.

pub mod brat;
pub mod classifier;
pub mod content;
pub mod content_start;
pub mod eval;
mod extent;
pub mod lexicon;
pub mod quotes;
mod source;
pub mod tagger;

use super::coref;
use super::{
    is_one_of, ByteSpan, EntityMention, EntityType, Extraction, Modality, Ref, RelationMention, StatementKind,
    StatementMention,
};
use crate::nlp::parser::doc::DocParse;
use crate::text::{Analysis, Document, Token, TokenKind};
use lexicon::{crude_lemma, Lexicon};
use quotes::QuoteRegion;

/// Tunable thresholds (tuned on PolNeAR train; see `eval attribution`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// A word starts a cue when its learned precision is at least this.
    pub min_precision: f32,
    /// ... and it was seen in at least this many training cues.
    pub min_count: u32,
    /// A word pair is one cue ("according to") at this precision.
    pub min_pair_precision: f32,
    /// With the cue classifier: a candidate is a cue when its score exceeds
    /// this (None: decide by the lexicon precision alone).
    pub model_threshold: Option<f32>,
    /// Words at least this precise are cues whatever the classifier says.
    pub sure_precision: f32,
    /// With the cue tagger (and POS tags): a candidate is a cue when its
    /// margin exceeds this (-17: best for the tagger's second pass on a
    /// held-out sixth of PolNeAR train; its recall is below its precision).
    pub tagger_threshold: f32,
    /// A tagger cue the statement reader cannot place is still read as
    /// "subject, cue, clause" when its margin exceeds this.
    pub generic_threshold: f32,
    /// With the tagger: words at least `sure_precision` precise are cues too.
    pub tagger_sure: bool,
    /// With POS tags: a content stops before "and"/"but" and a past or
    /// present verb ("…, but still lost the election"). Off: it lowers exact
    /// content F1 on a held-out sixth of PolNeAR train.
    pub cut_vp: bool,
    /// Cue extents (`extent.rs`): auxiliaries and negation on the left,
    /// a colon on the right, and a next word whose pair with the cue's last
    /// word is in at least this share of that word's cues (1 or more: off).
    pub cue_aux: bool,
    pub cue_colon: bool,
    pub cue_pair_ratio: f32,
    /// With the tagger: added to `tagger_threshold` for a noun (resp.
    /// adjective) cue candidate (tuning knobs; default 0).
    pub tagger_noun_offset: f32,
    pub tagger_adj_offset: f32,
    /// With the tagger: a cue whose statement was read with a source (resp.
    /// without one) is kept only above this margin (joint decision; default:
    /// no extra condition).
    pub tagger_threshold_sourced: f32,
    pub tagger_threshold_unsourced: f32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_precision: 0.3,
            min_count: 3,
            min_pair_precision: 0.4,
            model_threshold: Some(0.0),
            sure_precision: 0.7,
            tagger_threshold: -17.0,
            generic_threshold: 0.0,
            tagger_sure: false,
            cut_vp: false,
            cue_aux: true,
            cue_colon: true,
            cue_pair_ratio: 0.3,
            tagger_noun_offset: 0.0,
            tagger_adj_offset: 0.0,
            tagger_threshold_sourced: f32::NEG_INFINITY,
            tagger_threshold_unsourced: f32::NEG_INFINITY,
        }
    }
}

/// Finds the statements of a document with the bundled lexicon and appends
/// them (and any anonymous-source mentions and their relations) to `ex`.
/// Without POS tags: cues come from the lexicon classifier.
pub fn extract(doc: &Document, analysis: &Analysis, ex: &mut Extraction) {
    extract_pos(doc, analysis, None, ex);
}

/// [`extract`] with the document's Penn POS tags (one per token, as
/// `Models::tag_pos` gives them): cues then come from the cue tagger.
pub fn extract_pos(
    doc: &Document,
    analysis: &Analysis,
    pos: Option<&[&'static str]>,
    ex: &mut Extraction,
) {
    extract_parsed(doc, analysis, pos, None, ex);
}

/// [`extract_pos`] with the document's dependency parse, when one was
/// computed (`build --parse`): a cue verb's parsed subject is then its
/// source where the word-window rules found none.
pub fn extract_parsed(
    doc: &Document,
    analysis: &Analysis,
    pos: Option<&[&'static str]>,
    parse: Option<&DocParse>,
    ex: &mut Extraction,
) {
    extract_full(
        doc,
        analysis,
        pos,
        parse,
        ex,
        Lexicon::bundled(),
        classifier::CueModel::bundled(),
        tagger::CueTagger::bundled(),
        &Config::default(),
    );
}

/// Words that end a source noun phrase on its left: clause openers,
/// auxiliaries and reporting words that belong to another clause.
const STOP_LEFT: &[&str] = &[
    "that",
    "and",
    "but",
    "or",
    "nor",
    "as",
    "when",
    "while",
    "which",
    "whom",
    "because",
    "if",
    "after",
    "before",
    "since",
    "although",
    "though",
    "where",
    "so",
    "than",
    "then",
    "however",
    "meanwhile",
    "not",
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "do",
    "does",
    "did",
    "to",
    "said",
    "says",
    "say",
    "told",
    "according",
    "what",
    "how",
    "why",
    "there",
    "here",
    "also",
    "even",
    "still",
    "just",
    "now",
    "once",
    "until",
    "unless",
    "whether",
    "yet",
    "instead",
    "thus",
    "therefore",
    "indeed",
    "later",
    "earlier",
    "then",
    "about",
    "into",
    "against",
    "over",
    "under",
    "during",
    "through",
    "without",
    "between",
    "among",
    "amid",
    "despite",
];

/// Pronouns that can be a whole source.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "you", "who", "which", "both", "others", "many", "some",
];

/// Quantifiers that can be a whole source ("All cheer", "a third said").
const QUANTIFIERS: &[&str] = &[
    "all", "few", "most", "none", "half", "several", "each", "third", "thirds", "quarter",
    "majority", "minority", "percent", "another",
];

/// Adverbs that open sentences; capitalised, they are still no name.
const SENTENCE_ADVERBS: &[&str] = &[
    "however", "still", "instead", "then", "now", "also", "later", "meanwhile", "yet", "so",
    "here", "there", "thus", "indeed", "even", "just", "only", "never", "often", "perhaps",
    "again", "finally", "rather", "already", "soon", "once", "first", "earlier", "today",
    "yesterday", "tonight", "recently", "separately", "similarly", "likewise", "moreover",
    "nonetheless", "nevertheless", "otherwise", "therefore", "hence", "not", "always", "simply",
];

/// Determiners: a source noun phrase starts at one.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "these", "those", "his", "her", "its", "their", "our", "my", "your",
    "several", "two", "three", "one", "most", "another", "every", "each", "no",
];

/// Adverbs and time words allowed between a source and its cue ("Smith on Monday said").
const BETWEEN: &[&str] = &[
    "also",
    "here",
    "previously",
    "repeatedly",
    "publicly",
    "later",
    "earlier",
    "again",
    "then",
    "once",
    "often",
    "first",
    "recently",
    "yesterday",
    "today",
    "tonight",
    "already",
    "since",
    "now",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "privately",
    "initially",
    "finally",
    "quickly",
    "openly",
    "flatly",
    "however",
    "have",
    "has",
    "had",
    "never",
];

/// Reporting verbs that are cues whenever a quote is next to them.
const QUOTE_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "called",
    "calls",
    "calling",
    "described",
    "describes",
    "dubbed",
    "labeled",
    "labelled",
    "branded",
    "claimed",
    "claims",
    "accused",
    "warned",
    "denied",
    "announced",
    "added",
    "wrote",
    "writes",
    "tweeted",
    "declared",
    "insisted",
    "stated",
];


/// How many tokens a cue's source and content may reach either side.
const MAX_REACH: usize = 250;

/// Words that never start a cue.
pub(crate) const FUNCTION_WORDS: &[&str] = &[
    "about", "has", "have", "had", "was", "were", "is", "are", "am", "be", "been", "being", "also",
    "a", "an", "the", "to", "of", "for", "in", "on", "at", "by", "with", "as", "that", "this",
    "not", "did", "do", "does", "recently", "his", "her", "its", "their", "and", "but", "or",
    "from", "into", "over", "again", "still", "just", "even", "would", "will", "could", "should",
    "can", "may", "might", "must", "it", "he", "she", "they", "we", "i", "you", "so", "up", "out",
];

/// Auxiliaries between a source and its cue ("which has denied", "is promoting").
const AUX: &[&str] = &[
    "is", "was", "are", "were", "has", "have", "had", "will", "would", "did", "does", "do", "can",
    "could", "should", "may", "might", "must", "not", "t", "n't", "n’t", "been", "be", "also", "still", "even",
    "didn", "doesn", "don", "wasn", "isn", "won", "couldn", "wouldn", "hasn", "haven", "hadn",
    "aren", "weren", "shouldn", "never",
];

/// Nouns of a time phrase after "this"/"last" ("this week").
const TIME_NOUNS: &[&str] = &[
    "week", "month", "year", "weekend", "morning", "afternoon", "evening", "night", "spring",
    "summer", "fall", "autumn", "winter",
];

const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Prepositions that may sit inside a source phrase but never begin one.
const PREPS: &[&str] = &[
    "of", "for", "in", "at", "from", "with", "on", "by", "to", "near",
];

/// Heads of descriptions that name a person without naming them.
const PERSON_HEADS: &[&str] = &[
    "source",
    "sources",
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "aide",
    "aides",
    "adviser",
    "advisers",
    "advisor",
    "advisors",
    "person",
    "people",
    "man",
    "woman",
    "witness",
    "witnesses",
    "diplomat",
    "diplomats",
    "officer",
    "officers",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "insider",
    "insiders",
    "member",
    "members",
    "staffer",
    "staffers",
    "lawyer",
    "lawyers",
    "resident",
    "residents",
    "investigator",
    "investigators",
    "prosecutor",
    "prosecutors",
    "representative",
    "representatives",
    "employee",
    "employees",
    "agent",
    "agents",
    "observer",
    "observers",
    "activist",
    "activists",
    "critic",
    "critics",
    "suspect",
    "suspects",
    "citizen",
    "citizens",
    "victim",
    "victims",
    "student",
    "students",
    "soldier",
    "soldiers",
    "voter",
    "voters",
];

/// Role nouns that name a speaker after "the" ("the senator … and said").
const ROLE_HEADS: &[&str] = &[
    "senator", "candidate", "candidates", "president", "governor", "nominee", "campaign", "mayor",
    "leader", "leaders", "chairman", "chairwoman", "secretary", "minister", "congressman",
    "congresswoman", "lawmaker", "lawmakers", "businessman", "billionaire", "frontrunner",
];

/// Heads of a description that names an institution ("the Rotterdam fire
/// service", "the city's police department"): an organization, not an
/// anonymous person.
const ORG_HEADS: &[&str] = &[
    "service", "agency", "ministry", "department", "police", "council", "committee", "commission", "government",
    "administration", "authority", "court", "army", "military", "company", "firm", "office", "regulator",
    "embassy", "parliament", "board",
];

/// Heads of a description that stands for the company last named ("the firm said").
const COMPANY_HEADS: &[&str] = &[
    "company", "firm", "group", "bank", "carmaker", "retailer", "airline", "insurer", "lender", "chain",
    "manufacturer", "broadcaster", "publisher", "conglomerate", "operator", "supermarket", "maker",
];

/// Words that make an organization's name a public body's, not a company's.
const PUBLIC_BODY_WORDS: &[&str] = &[
    "commission", "committee", "ministry", "department", "agency", "court", "council", "authority", "office",
    "parliament", "government", "senate", "congress", "police", "news", "union", "party", "association", "federation",
];

/// Heads whose entity is one they belong to ("an official at X" → member_of X).
const MEMBER_HEADS: &[&str] = &[
    "source",
    "sources",
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "aide",
    "aides",
    "officer",
    "officers",
    "member",
    "members",
    "staffer",
    "staffers",
    "employee",
    "employees",
    "agent",
    "agents",
    "representative",
    "representatives",
];

/// Cue lemmas that take an addressee before their content ("told reporters that").
const ADDRESSEE: &[&str] = &[
    "tell", "inform", "assur", "remind", "warn", "promis", "convinc", "persuad", "notifi", "ask",
    "urg",
];

/// Nouns after "in a" / "on" that name the channel of a statement.
const CHANNELS: &[&str] = &[
    "statement",
    "interview",
    "tweet",
    "post",
    "speech",
    "letter",
    "email",
    "release",
    "op-ed",
    "column",
    "memo",
    "video",
    "twitter",
    "facebook",
    "television",
    "radio",
    "press",
    "briefing",
    "conference",
    "call",
    "message",
    "report",
    "filing",
    "essay",
    "blog",
];

/// A statement found in a sentence, in token indices until it becomes a mention.
#[derive(Debug, Clone)]
struct Found {
    cue: (usize, usize),
    source: Option<(usize, usize)>,
    content: ByteSpan,
    kind: StatementKind,
    modality: Modality,
    sentence: usize,
}

struct Ctx<'a> {
    text: &'a str,
    analysis: &'a Analysis,
    toks: &'a [Token],
    quotes: Vec<QuoteRegion>,
    /// Token → 1 + index of the quote region it is in, or 0.
    tok_quote: Vec<u32>,
    /// Penn POS tags of the tokens, when the caller has them.
    pos: Option<&'a [&'static str]>,
    /// The document's dependency parse, when the caller computed one.
    parse: Option<&'a DocParse>,
    /// Cut a content before a coordinated verb phrase (see `right_content`).
    cut_vp: bool,
    /// Training only: where right contents start (see `extract_traced`).
    trace: Option<&'a std::cell::RefCell<content::Trace>>,
    /// The first token of the cue being read (the content-end model's
    /// feature), or usize::MAX.
    cue_at: std::cell::Cell<usize>,
}

impl<'a> Ctx<'a> {
    fn new(
        text: &'a str,
        analysis: &'a Analysis,
        pos: Option<&'a [&'static str]>,
        cut_vp: bool,
    ) -> Ctx<'a> {
        let toks = analysis.tokens.as_slice();
        let quotes = quotes::find(text, &analysis.paragraphs);
        let mut tok_quote = vec![0u32; toks.len()];
        let mut qi = 0;
        for (i, t) in toks.iter().enumerate() {
            while qi < quotes.len() && quotes[qi].end <= t.start {
                qi += 1;
            }
            if qi < quotes.len() && quotes[qi].start <= t.start && t.end <= quotes[qi].end {
                tok_quote[i] = qi as u32 + 1;
            }
        }
        Ctx {
            text,
            analysis,
            toks,
            quotes,
            tok_quote,
            pos: pos.filter(|p| p.len() == toks.len()),
            parse: None,
            cut_vp,
            trace: None,
            cue_at: std::cell::Cell::new(usize::MAX),
        }
    }
    fn word(&self, i: usize) -> &'a str {
        self.toks[i].text(self.text)
    }
    fn is(&self, i: usize, w: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.text(self.text).eq_ignore_ascii_case(w))
    }
    fn in_list(&self, i: usize, list: &[&str]) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| is_one_of(t.text(self.text), list))
    }
    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }
    fn punct(&self, i: usize, p: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind != TokenKind::Word && t.text(self.text) == p)
    }
    /// No whitespace between tokens i and i+1.
    fn glued(&self, i: usize) -> bool {
        i + 1 < self.toks.len() && self.toks[i].end == self.toks[i + 1].start
    }
    fn quote_of(&self, i: usize) -> Option<&QuoteRegion> {
        match self.tok_quote.get(i) {
            Some(&q) if q > 0 => self.quotes.get(q as usize - 1),
            _ => None,
        }
    }
    /// Token i opens a quote region.
    fn opens_quote(&self, i: usize) -> Option<QuoteRegion> {
        self.quote_of(i)
            .filter(|q| q.start == self.toks[i].start)
            .copied()
    }
    /// Token i closes a quote region.
    fn closes_quote(&self, i: usize) -> Option<QuoteRegion> {
        self.quote_of(i)
            .filter(|q| q.closed && q.end == self.toks[i].end)
            .copied()
    }
    /// A possessive clitic ("'s", "’s", or the bare "'" of "analysts'").
    fn is_possessive(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Clitic)
            && matches!(self.word(i), "'s" | "’s" | "'S" | "’S" | "'" | "’")
    }
    /// A line break stands between token `i - 1` and token `i` (or `i` opens the text).
    fn line_break_before(&self, i: usize) -> bool {
        i == 0 || self.text[self.toks[i - 1].end..self.toks[i].start].contains('\n')
    }
    /// An "-ly" adverb ("repeatedly", "Separately"), not a noun or name in
    /// "-ly" ("family", "ally", "Kelly", "Italy"): with POS tags the tag
    /// decides, without them only lower-case words count.
    fn ly_adverb(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
            && self.word(i).len() > 4
            && self.word(i).ends_with("ly")
            && match self.pos {
                Some(p) => p.get(i).is_some_and(|t| t.starts_with("RB")),
                None => self.word(i).starts_with(|c: char| c.is_lowercase()),
            }
    }
    fn is_apostrophe(&self, i: usize) -> bool {
        // A quote token between letters ("don't", "Trump's") is an apostrophe.
        self.kind(i) == Some(TokenKind::Quote)
            && i > 0
            && self.glued(i - 1)
            && self.glued(i)
            && self.kind(i - 1) == Some(TokenKind::Word)
            && self.kind(i + 1) == Some(TokenKind::Word)
    }
}

/// [`extract`] with an explicit lexicon and thresholds (for tuning and tests).
pub fn extract_with(
    doc: &Document,
    analysis: &Analysis,
    ex: &mut Extraction,
    lex: &Lexicon,
    model: Option<&classifier::CueModel>,
    cfg: &Config,
) {
    extract_full(doc, analysis, None, None, ex, lex, model, None, cfg);
}

/// [`extract_pos`] with explicit models and thresholds. The cue tagger is
/// used when both it and POS tags (one per token) are given.
#[allow(clippy::too_many_arguments)]
pub fn extract_full(
    doc: &Document,
    analysis: &Analysis,
    pos: Option<&[&'static str]>,
    parse: Option<&DocParse>,
    ex: &mut Extraction,
    lex: &Lexicon,
    model: Option<&classifier::CueModel>,
    cue_tagger: Option<&tagger::CueTagger>,
    cfg: &Config,
) {
    extract_traced(doc, analysis, pos, parse, ex, lex, model, cue_tagger, cfg, None);
}

/// [`extract_full`], recording in `trace` where every content read after
/// a cue starts and the unit it may run to (the content-end model's
/// training instances come from the reader's own starts).
#[allow(clippy::too_many_arguments)]
pub(crate) fn extract_traced(
    doc: &Document,
    analysis: &Analysis,
    pos: Option<&[&'static str]>,
    parse: Option<&DocParse>,
    ex: &mut Extraction,
    lex: &Lexicon,
    model: Option<&classifier::CueModel>,
    cue_tagger: Option<&tagger::CueTagger>,
    cfg: &Config,
    trace: Option<&std::cell::RefCell<content::Trace>>,
) {
    let text = doc.text.as_str();
    let toks = analysis.tokens.as_slice();
    if toks.is_empty() {
        return;
    }
    let pos = pos.filter(|p| p.len() == toks.len());
    let cue_tagger = cue_tagger.filter(|_| pos.is_some());
    let mut cx = Ctx::new(text, analysis, pos, cfg.cut_vp);
    cx.trace = trace;
    cx.parse = parse;

    let mut found: Vec<Found> = Vec::new();
    let mut lower = String::new();
    let mut pair = String::new();
    let mut feats = classifier::Features::default();
    let unit_list = units(text, analysis);
    // The cue tagger's margins, for the whole document at once: its second
    // pass reads the margins of the other candidates.
    let mut tag_scores: Vec<f32> = Vec::new();
    if let (Some(tg), Some(pos)) = (cue_tagger, pos) {
        let inp = tagger::Input { text, toks, pos, in_quote: &cx.tok_quote, lex };
        tg.score_document(&inp, &unit_list, &mut tag_scores);
    }
    let tag_at = |k: usize| tag_scores.get(k).copied().unwrap_or(f32::NEG_INFINITY);
    for &(si, (a, b)) in &unit_list {
        cx.cue_at.set(usize::MAX);
        if let Some(f) = transcript_label(&cx, si, a, b) {
            found.push(f);
        } else if let Some(f) = headline_colon(&cx, si, a, b) {
            found.push(f);
        }
        dash_signed(&cx, si, a, b, &mut found);
        let mut i = a;
        while i < b {
            let t = &toks[i];
            if t.kind != TokenKind::Word
                || cx.tok_quote[i] != 0
                || cx.is_apostrophe(i.saturating_sub(1)) && i > a && cx.glued(i - 1)
            {
                i += 1;
                continue;
            }
            lower.clear();
            lower.extend(t.text(text).chars().flat_map(char::to_lowercase));
            let tag_in = match (cue_tagger, pos) {
                (Some(_), Some(pos)) => Some(tagger::Input {
                    text,
                    toks,
                    pos,
                    in_quote: &cx.tok_quote,
                    lex,
                }),
                _ => None,
            };
            if tag_in.as_ref().is_some_and(|ti| !ti.is_candidate(i, &lower)) {
                i += 1;
                continue;
            }
            // Function words are inside many multi-word cues ("talked about",
            // "has said", "in a statement") but never head one.
            let uni = lex
                .get(&lower)
                .filter(|_| !is_one_of(&lower, FUNCTION_WORDS))
                .copied();
            if uni.is_none() && tag_in.is_none() {
                i += 1;
                continue;
            }
            // "known as", "referred to as": naming, not reporting.
            if is_one_of(&lower, &["known", "referred", "nicknamed"])
                && (cx.is(i + 1, "as") || cx.is(i + 1, "to") && cx.is(i + 2, "as"))
            {
                i += 1;
                continue;
            }
            let mut cue_end = None;
            if i + 1 < b && toks[i + 1].kind == TokenKind::Word {
                pair.clear();
                pair.push_str(&lower);
                pair.push(' ');
                pair.extend(toks[i + 1].text(text).chars().flat_map(char::to_lowercase));
                let locative = is_one_of(
                    toks[i + 1].text(text),
                    &["in", "at", "with", "by", "during"],
                );
                if let Some(p) = lex.get(&pair).filter(|_| !locative) {
                    if p.precision >= cfg.min_pair_precision && p.n_cue >= cfg.min_count {
                        cue_end = Some(i + 2);
                    }
                }
            }
            let mut tag_score = None;
            // End of a name right after a tagger cue, which the scan skips.
            let mut name_after = 0;
            if cue_end.is_none() {
                let is_cue = match (&tag_in, cue_tagger, uni, model, cfg.model_threshold) {
                    (Some(_), Some(_), ..) => {
                        let sc = tag_at(i);
                        tag_score = Some(sc);
                        let th = match pos.and_then(|p| p.get(i)).map_or("", |t| &t[..t.len().min(2)]) {
                            "NN" => cfg.tagger_threshold + cfg.tagger_noun_offset,
                            "JJ" => cfg.tagger_threshold + cfg.tagger_adj_offset,
                            _ => cfg.tagger_threshold,
                        };
                        // A preposition says something only as a stance after "be"
                        // ("are against"), not "fell against the euro".
                        let bare_preposition = pos.and_then(|p| p.get(i)).is_some_and(|t| *t == "IN")
                            && !(i > a && cx.in_list(i - 1, source::PASSIVE_BE));
                        sc > th && !bare_preposition
                            || cfg.tagger_sure
                                && uni.is_some_and(|u| {
                                    u.precision >= cfg.sure_precision && u.n_cue >= 5
                                })
                    }
                    (_, _, None, ..) => false,
                    (_, _, Some(uni), Some(m), Some(th)) => {
                        uni.n_cue >= classifier::MIN_CANDIDATE_COUNT
                            && uni.precision >= classifier::MIN_CANDIDATE_PRECISION
                            && m.score(&mut feats, text, toks, (a, b), i, lex) > th
                            || uni.precision >= cfg.sure_precision && uni.n_cue >= 5
                    }
                    (_, _, Some(uni), ..) => {
                        uni.precision >= cfg.min_precision && uni.n_cue >= cfg.min_count
                    }
                };
                // "called Kirillov a “legitimate target”": a reporting verb next
                // to a quote is a cue whatever the classifier says.
                let by_quote = || {
                    is_one_of(&lower, QUOTE_VERBS)
                        && ((i + 1..b.min(i + 8)).any(|k| cx.opens_quote(k).is_some())
                            || (i.saturating_sub(3).max(a)..i)
                                .any(|k| cx.closes_quote(k).is_some()))
                };
                if is_cue || by_quote() {
                    cue_end = Some(i + 1);
                }
                // "is doubling down on", "has been a staunch supporter of":
                // tagger cues a few modifiers apart are one cue, so that the
                // later words do not become cues with the earlier as source.
                if let (true, Some(_), Some(pos)) = (is_cue && tag_score.is_some(), &tag_in, pos) {
                    let (mut j, mut gap) = (i + 1, 0);
                    while j < b && j < i + 8 && gap <= 3 {
                        if toks[j].kind != TokenKind::Word || cx.tok_quote[j] != 0 || cx.is(j, "that")
                        {
                            break;
                        }
                        if tag_at(j) > cfg.tagger_threshold {
                            // '…," said Reuters', "urged Congress to", "told Fox News":
                            // a name right after the cue word is its source or
                            // addressee, in no cue ("said Wednesday" stays, as
                            // PolNeAR's cues often take the day).
                            let is_name = |k: usize| k < b && matches!(pos[k], "NNP" | "NNPS") && !cx.in_list(k, WEEKDAYS) && !cx.in_list(k, MONTHS);
                            // Not in a title-case headline ("Quotes Bible to Encourage").
                            let lower_cue = toks[i].text(text).chars().next().is_some_and(char::is_lowercase);
                            if j == i + 1 && lower_cue && is_name(j) {
                                name_after = j + 1;
                                while is_name(name_after) {
                                    name_after += 1;
                                }
                                break;
                            }
                            cue_end = Some(j + 1);
                            gap = 0;
                            j += 1;
                            continue;
                        }
                        if matches!(pos[j], "RB" | "RP" | "IN" | "TO" | "DT" | "JJ" | "PRP$" | "RBR")
                            && !cx.in_list(j, &["that", "as", "while", "because", "if"])
                        {
                            gap += 1;
                            j += 1;
                            continue;
                        }
                        break;
                    }
                }
            }
            let Some(ce) = cue_end.filter(|_| !in_anonymity_request(&cx, i) && !no_cue_sense(&cx, i, b)) else {
                i += 1;
                continue;
            };
            cx.cue_at.set(i);
            let read = read_statement(&cx, si, (a, b), (i, ce), &lower).or_else(|| {
                // A cue the tagger is sure of, in a shape the reader does not
                // know: the subject before it and the clause after it.
                tag_score
                    .filter(|&sc| sc > cfg.generic_threshold)
                    .and_then(|_| generic_statement(&cx, si, (a, b), (i, ce), &lower))
            });
            if let Some(mut f) = read {
                if f.source.is_none() {
                    f.source = shared_subject(&cx, a, f.cue.0, &found);
                }
                if f.source.is_none() {
                    // "Clinton spoke in Ohio, promising …", "McConnell met her
                    // and came away convinced …": a participle after a comma or
                    // a verb after "and"/"but" shares the clause's subject.
                    let k = skip_modifiers_left(&cx, a, f.cue.0);
                    // The comma may close a quote: '… “a bad earpiece,” claiming …'.
                    let comma = k > a
                        && (cx.punct(k - 1, ",")
                            || k > a + 1 && cx.closes_quote(k - 1).is_some() && cx.punct(k - 2, ","));
                    let participle = lower.ends_with("ing") && comma;
                    let coordinated = k > a
                        && cx.in_list(k - 1, &["and", "but"])
                        && !cx.in_list(f.cue.0.saturating_sub(1), source::PASSIVE_BE);
                    if participle && cx.pos.is_some() {
                        // With POS tags: the subject of the clause the comma closes.
                        f.source = source::participle_subject(&cx, a, k - 1);
                    }
                    if f.source.is_none() && (participle || coordinated) {
                        f.source = clause_subject(&cx, a, k - 1).filter(|&(ss, se)| {
                            // A speaker: a name, a personal pronoun or a person's role.
                            let h = se - 1;
                            participle
                                || cx.pos.and_then(|p| p.get(h)).is_some_and(|p| p.starts_with("NNP"))
                                || cx.in_list(h, &["he", "she", "they", "we", "i"])
                                || cx.in_list(h, PERSON_HEADS)
                                || cx.in_list(h, ROLE_HEADS)
                                || cx.punct(h, ",") && h > ss
                        });
                        if f.source.is_none() && participle {
                            f.source = sentence_subject(&cx, a, f.cue.0);
                        }
                    }
                }
                // A source found after the cue ("first reported by the Times",
                // "drew criticism from GOP leaders") lies where the content was
                // read: the content is then the clause subject before the cue,
                // and without one the source is not taken.
                let after = if f.source.is_none() || source::passive_cue(&cx, a, f.cue) {
                    source::by_agent(&cx, f.cue, b)
                } else {
                    None
                };
                if let Some(src) = after.or_else(|| source::after_noun(&cx, f.cue, b)) {
                    let src_span = ByteSpan::new(cx.toks[src.0].start, cx.toks[src.1 - 1].end);
                    if !src_span.overlaps(&f.content) {
                        f.source = Some(src);
                    } else if let Some((ss, se)) =
                        clause_subject(&cx, a, f.cue.0).or_else(|| left_np(&cx, a, f.cue.0)).filter(|&(_, se)| se <= f.cue.0)
                    {
                        f.content = ByteSpan::new(cx.toks[ss].start, cx.toks[se - 1].end);
                        f.source = Some(src);
                    }
                }
                if f.source.is_none() && lower != "according" && !source::passive_cue(&cx, a, f.cue) {
                    f.source = source::gerund_subject(&cx, a, b, f.cue.0)
                        .or_else(|| source::opening_participle_subject(&cx, a, b, f.cue.0))
                        .or_else(|| source::relative_that(&cx, a, f.cue.0))
                        .or_else(|| source::verb_subject(&cx, a, f.cue.0));
                }
                if f.source.is_none() && lower != "according" {
                    f.source = source::parsed_subject(&cx, (a, b), f.cue, f.content);
                }
                // "the election, which is widely expected next May": the
                // subject of an agentless passive is what is said, not who says it.
                if after.is_none() && source::agentless_passive(&cx, a, f.cue) {
                    if let Some((ss, se)) = f.source.filter(|&(_, se)| se <= f.cue.0) {
                        f.source = None;
                        // PolNeAR's discontinuous content, first to last fragment:
                        // "Pence was also dubbed the debate winner".
                        if f.content.start >= cx.toks[f.cue.1 - 1].end && se > ss {
                            f.content = ByteSpan::new(cx.toks[ss].start, f.content.end);
                        }
                    }
                }
                // "Clinton's aggressive attack on": the possessor of a noun cue.
                if let Some(src) = source::possessor(&cx, a, f.cue.0) {
                    f.source = Some(src);
                }
                // "That rattled Rubio": the experiencer of a feeling is its source.
                if let Some(src) = source::experiencer(&cx, f.cue, b, f.source) {
                    f.source = Some(src);
                }
                // "The plan seems unlikely", "It is unclear whether": no one's statement.
                if source::sourceless_raising(&cx, f.cue)
                    || f.source.is_some_and(|s| source::expletive_it(&cx, f.cue, s))
                {
                    f.source = None;
                }
                // "pay less attention to": a verb phrase the reader took for a subject names no one.
                if f.source.is_some_and(|s| !source::names_someone(&cx, s)) {
                    f.source = None;
                }
                // Joint decision: a cue the reader found no speaker for is
                // less often one (see `Config::tagger_threshold_unsourced`).
                if let Some(sc) = tag_score {
                    let th = if f.source.is_some() {
                        cfg.tagger_threshold_sourced
                    } else {
                        cfg.tagger_threshold_unsourced
                    };
                    if sc <= th {
                        i += 1;
                        continue;
                    }
                }
                extent::widen(&cx, lex, cfg, (a, b), &mut f);
                let next = f.cue.1.max(ce).max(name_after);
                found.push(f);
                i = next;
            } else {
                i += 1;
            }
        }
    }
    finish(doc, &cx, found, ex);
}

/// Abbreviations whose period does not end a sentence ("Mr. Smith said").
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gov", "sen", "rep", "gen", "lt", "col", "sgt", "st", "jr", "sr",
    "prof", "rev", "capt", "cmdr", "adm", "maj", "gov", "pres", "atty", "supt", "no", "vs",
];

/// Content sentences as (first sentence index, token range), with sentences
/// the splitter cut after an abbreviation or an initial ("Mr.", "J.") or
/// before a lower-case word joined back: a cue and its source must be in
/// one unit.
pub(crate) fn units(text: &str, analysis: &Analysis) -> Vec<(usize, (usize, usize))> {
    let toks = &analysis.tokens;
    let mut out: Vec<(usize, (usize, usize))> = Vec::new();
    let mut prev_para = usize::MAX;
    for (si, s) in analysis.content_sentences() {
        let (a, b) = (s.tokens.start, s.tokens.end);
        if let Some(last) = out.last_mut() {
            let (_, (la, lb)) = *last;
            let joined = prev_para == s.paragraph && lb == a && lb >= la + 2 && {
                let dot = &toks[lb - 1];
                let w = toks[lb - 2].text(text);
                let abbrev = dot.text(text) == "."
                    && toks[lb - 2].end == dot.start
                    && (is_one_of(w, ABBREVIATIONS)
                        || w.chars().count() == 1 && w.chars().all(char::is_uppercase));
                let lower_next = toks[a].kind == TokenKind::Word
                    && toks[a]
                        .text(text)
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase);
                abbrev || lower_next
            };
            if joined {
                last.1 .1 = b;
                continue;
            }
        }
        prev_para = s.paragraph;
        out.push((si, (a, b)));
    }
    out
}

/// "Putin: West is to blame" — a short name, a colon and a claim, the
/// headline convention for a quote: the colon is the cue.
fn headline_colon(cx: &Ctx, si: usize, a: usize, b: usize) -> Option<Found> {
    let c = (a + 1..b.min(a + 6)).find(|&k| cx.punct(k, ":"))?;
    let name_like = (a..c).all(|k| {
        cx.kind(k) == Some(TokenKind::Word)
            && (cx.word(k).chars().next().is_some_and(char::is_uppercase)
                || is_one_of(
                    cx.word(k),
                    &[
                        "camp",
                        "campaign",
                        "aide",
                        "aides",
                        "officials",
                        "source",
                        "sources",
                    ],
                ))
            || cx.is_apostrophe(k)
            || cx.punct(k, ".") && k > a && cx.glued(k - 1)
    });
    // "Q:" and "A:" mark an interview's turns, not a named speaker (on
    // PolNeAR train, three in four such turns are no attribution).
    let one_letter = c == a + 1 && cx.word(a).chars().count() == 1;
    if !name_like
        || one_letter
        || cx.tok_quote[c] != 0
        || c + 1 >= b
        || is_one_of(
            cx.word(a),
            &[
                "update", "updated", "watch", "read", "photos", "video", "note", "editor", "by",
                "posted", "share",
                // Section labels and a match report's lists ("Subs: …", "Booked: …").
                "analysis", "preview", "obituary", "profile", "interview", "review", "timeline",
                "factfile", "q&a", "subs", "substitutes", "replacements", "reserves", "booked", "goals",
                "scorers", "att", "referee", "ref", "venue", "tags",
            ],
        )
    {
        return None;
    }
    // Inside a paragraph, "Joshua Reynolds: The Creation of Celebrity will
    // feature …" is a title and its subtitle; a speaker's label there opens
    // a quote ("Said Mr Fogg: "It's …"").
    if !cx.line_break_before(a) && !(c + 1..b.min(c + 3)).any(|k| cx.opens_quote(k).is_some()) {
        return None;
    }
    // "Leeds: Balshaw; Rees, Christophers, …", "Goals: Rooney 68, Dunne 75":
    // a list with no verb is a line-up or a tally, not something said.
    if let Some(pos) = cx.pos {
        let verbless = !(c + 1..b).any(|k| pos.get(k).is_some_and(|t| t.starts_with("VB") || *t == "MD"));
        let listed = (c + 1..b).any(|k| cx.punct(k, ",") || cx.punct(k, ";"));
        if verbless && listed {
            return None;
        }
    }
    let (content, kind) = right_content(cx, c + 1, b, si)?;
    // A bare list ("Tags: …") is not a claim: a few words at least.
    if (c + 1..b)
        .filter(|&k| cx.kind(k) == Some(TokenKind::Word))
        .count()
        < 3
    {
        return None;
    }
    Some(Found {
        cue: (c, c + 1),
        source: Some((a, c)),
        content,
        kind,
        modality: Modality::Asserted,
        sentence: si,
    })
}

/// "WALLACE: Let's start with …" — a transcript turn: a speaker label in
/// capitals and a colon opening a paragraph (possibly after a quote mark);
/// the turn runs to the end of the paragraph.
fn transcript_label(cx: &Ctx, si: usize, a: usize, b: usize) -> Option<Found> {
    let n = cx.toks.len();
    if !cx.line_break_before(a) {
        return None;
    }
    let s = if cx.kind(a) == Some(TokenKind::Quote) { a + 1 } else { a };
    let mut c = s;
    while c < b.min(s + 3)
        && cx.kind(c) == Some(TokenKind::Word)
        && cx.word(c).chars().count() >= 2
        && cx.word(c).chars().all(|ch| ch.is_uppercase() || ch == '.' || ch == '\'')
    {
        c += 1;
    }
    if c == s || c + 1 >= b || !cx.punct(c, ":") {
        return None;
    }
    // The turn: to the last token before a line break, at most 400 tokens.
    let mut e = c + 1;
    while e + 1 < n
        && e < c + 400
        && !cx.line_break_before(e + 1)
    {
        e += 1;
    }
    // An unmatched closing mark at the end belongs to the layout, not the turn.
    if e > c + 1 && cx.kind(e) == Some(TokenKind::Quote) && s > a {
        e -= 1;
    }
    // PolNeAR leaves a turn's final full stop out, as it does a clause's.
    if e > c + 1 && cx.punct(e, ".") && cx.kind(e - 1) == Some(TokenKind::Word) {
        e -= 1;
    }
    if !(c + 1..=e).any(|k| cx.kind(k) == Some(TokenKind::Word)) {
        return None;
    }
    Some(Found {
        cue: (c, c + 1),
        source: Some((s, c)),
        content: ByteSpan::new(cx.toks[c + 1].start, cx.toks[e].end),
        kind: StatementKind::Direct,
        modality: Modality::Asserted,
        sentence: si,
    })
}

/// The first word from `a` past punctuation and sentence connectives ("But",
/// "Meanwhile"); none when a quote comes first.
fn first_word_past_connectives(cx: &Ctx, a: usize, limit: usize) -> Option<usize> {
    let mut s = a;
    while s < limit
        && (cx.kind(s) != Some(TokenKind::Word)
            || cx.in_list(s, &["but", "and", "so", "yet", "still", "meanwhile", "however", "then"]))
    {
        if cx.tok_quote[s] != 0 {
            return None;
        }
        s += 1;
    }
    Some(s)
}

/// The name or pronoun that opens a sentence and is followed by a lower-case
/// word (its verb): "Mrs. Clinton spoke …", "But she said …".
fn sentence_subject(cx: &Ctx, a: usize, limit: usize) -> Option<(usize, usize)> {
    let mut s = first_word_past_connectives(cx, a, limit)?;
    // "On Monday night, Clinton …": an opening phrase before a comma is not the subject.
    if cx.in_list(
        s,
        &["on", "in", "at", "during", "after", "before", "since", "earlier", "later", "last", "this"],
    ) {
        if let Some(c) = (s..limit.min(s + 8)).find(|&k| cx.punct(k, ",")) {
            s = c + 1;
        }
    }
    if s >= limit || cx.tok_quote[s] != 0 {
        return None;
    }
    if cx.in_list(s, &["he", "she", "they", "it"]) {
        return Some((s, s + 1));
    }
    let mut e = s;
    while e < limit
        && e - s < 6
        && (cx.kind(e) == Some(TokenKind::Word)
            && cx.word(e).chars().next().is_some_and(char::is_uppercase)
            || cx.punct(e, ".") && e > s && cx.glued(e - 1)
            || cx.is_possessive(e))
    {
        e += 1;
    }
    let verb_next = e < limit
        && cx.kind(e) == Some(TokenKind::Word)
        && cx.word(e).chars().next().is_some_and(char::is_lowercase);
    (e > s && verb_next && !cx.is_possessive(e - 1)).then_some((s, e))
}

/// Tokens a..ns are only a connective and quantifiers ("But", "Even",
/// "And some"): the phrase at ns opens its sentence.
fn lead_in(cx: &Ctx, a: usize, ns: usize) -> bool {
    ns > a
        && ns <= a + 3
        && (a..ns).all(|k| {
            cx.in_list(k, DETERMINERS)
                || cx.in_list(k, PRONOUNS)
                || cx.in_list(k, &["but", "and", "so", "yet", "even", "still", "meanwhile", "however", "also", "now", "then"])
        })
}

/// Steps left over adverbs and auxiliaries before a cue ("and has
/// repeatedly said"): where the cue's own clause begins.
fn skip_modifiers_left(cx: &Ctx, a: usize, cs: usize) -> usize {
    let mut k = cs;
    while k > a
        && k + 4 > cs
        && (cx.in_list(k - 1, &["has", "have", "had", "will", "would", "could", "also", "then", "later", "not", "never", "again", "still", "even", "already", "now", "often", "did", "does", "do", "can", "may", "might", "should", "must", "cannot", "n't", "n’t", "been"])
            || cx.ly_adverb(k - 1))
    {
        k -= 1;
    }
    k
}

/// The subject of the clause that ends before `limit`: with POS tags, the
/// words from the sentence start (past connectives and an opening phrase) to
/// its first verb, when they end in a noun or pronoun ("The Republican
/// nominee", "Dean, a former party chairman,"); without, [`sentence_subject`].
fn clause_subject(cx: &Ctx, a: usize, limit: usize) -> Option<(usize, usize)> {
    let Some(pos) = cx.pos else {
        return sentence_subject(cx, a, limit);
    };
    let mut s = first_word_past_connectives(cx, a, limit)?;
    if s >= limit || cx.tok_quote[s] != 0 {
        return None;
    }
    // An opening phrase ("On Monday, …", "While he respects her, …") holds no subject.
    if matches!(pos.get(s).copied(), Some("IN" | "TO" | "RB" | "WRB" | "VBN" | "VBG")) {
        let c = (s + 1..limit.min(s + 20)).find(|&k| cx.punct(k, ","))?;
        s = c + 1;
        if s >= limit || cx.tok_quote[s] != 0 {
            return None;
        }
    }
    let e = (s..limit).find(|&k| pos.get(k).is_some_and(|p| p.starts_with("VB") || *p == "MD"))?;
    if e == s || e - s > 14 || matches!(pos.get(s).copied(), Some("WDT" | "WP")) {
        return None;
    }
    if (s..e).any(|k| cx.tok_quote[k] != 0) {
        return None;
    }
    let mut end = e;
    // An adverb between subject and verb is not the subject's ("Trump openly admires").
    while end > s && pos.get(end - 1).is_some_and(|p| p.starts_with("RB")) {
        end -= 1;
    }
    let last = end.checked_sub(1).filter(|&l| l >= s)?;
    let nounish = pos.get(last).is_some_and(|p| p.starts_with("NN") || *p == "PRP" || *p == "CD")
        || cx.punct(last, ",") && last > s;
    nounish.then_some((s, end))
}

/// "“We need jobs.” ― Maria Lopez": a quote signed with a dash and a name
/// (vox pops, epigraphs): the dash is the cue.
fn dash_signed(cx: &Ctx, si: usize, a: usize, b: usize, found: &mut Vec<Found>) {
    // The signature may fall in the next "sentence" after the quote's full stop.
    let n = cx.toks.len();
    for k in a..b {
        let Some(q) = cx.closes_quote(k) else { continue };
        let d = k + 1;
        if d + 1 >= n
            || cx.text[cx.toks[k].end..cx.toks[d + 1].start].contains('\n')
            || cx.kind(d) == Some(TokenKind::Word)
            || !matches!(cx.word(d), "―" | "—" | "–" | "--")
            || cx.tok_quote[d] != 0
        {
            continue;
        }
        let mut e = d + 1;
        while e < n.min(d + 6)
            && cx.kind(e) == Some(TokenKind::Word)
            && cx.tok_quote[e] == 0
            && cx.word(e).chars().next().is_some_and(char::is_uppercase)
        {
            e += 1;
        }
        // A name, then the end of the sentence or another quote.
        let ends = e >= n
            || is_final_punct(cx, e)
            || cx.opens_quote(e).is_some()
            || cx.punct(e, ",")
            || cx.line_break_before(e);
        if e > d + 1 && ends {
            found.push(Found {
                cue: (d, d + 1),
                source: Some((d + 1, e)),
                content: ByteSpan::new(q.start, q.end),
                kind: StatementKind::Direct,
                modality: Modality::Asserted,
                sentence: si,
            });
        }
    }
}

/// "Graham urged …, and criticized …", "Trump said …, adding …": a cue
/// after "and"/"but" or a comma shares the source of the statement before
/// it in the same sentence.
fn shared_subject(cx: &Ctx, a: usize, cs: usize, found: &[Found]) -> Option<(usize, usize)> {
    let prev = found.last().filter(|f| f.cue.0 >= a && f.cue.1 <= cs)?;
    let mut k = cs;
    while k > a
        && (cx.in_list(k - 1, &["and", "but", "or", "then", "also", "later"])
            || cx.punct(k - 1, ","))
    {
        k -= 1;
    }
    (k < cs).then_some(prev.source).flatten()
}

/// Reads source and content around the cue tokens `cue` in sentence `si`.
fn read_statement(
    cx: &Ctx,
    si: usize,
    (a, b): (usize, usize),
    cue: (usize, usize),
    lower: &str,
) -> Option<Found> {
    let (mut cs, ce) = cue;
    // A bounded reach keeps the work per cue constant in endless sentences.
    let clamped = b > ce + MAX_REACH;
    let (a, b) = (a.max(cs.saturating_sub(MAX_REACH)), b.min(ce + MAX_REACH));
    let lemma = crude_lemma(lower);
    let according = lower == "according";
    // Perfect auxiliaries and "also" belong to the cue ("has also said").
    while cs > a && cx.in_list(cs - 1, &["has", "have", "had", "also"]) {
        cs -= 1;
    }
    let modality = modality_of(cx, a, cs, lemma);
    // "Questions have been asked about …", "he was told to leave": the
    // subject of a passive is what was said or whom it was said to, not the
    // speaker. Without a "by" agent only a "that" clause or quote makes it a
    // report, and then with no source.
    let passive = cue.0 > a
        && cx.in_list(cue.0 - 1, source::PASSIVE_BE)
        && (lower.ends_with("ed") || is_one_of(lower, &["told", "said", "known", "shown", "seen", "heard", "given", "thought"]))
        && !cx.is(ce, "by");
    if passive {
        let r = skip_adjuncts(cx, ce, b);
        if !(cx.is(r, "that") || cx.opens_quote(r).is_some()) {
            return None;
        }
        let (content, kind) = right_content(cx, r, b, si)?;
        return Some(Found {
            cue: (cs, ce),
            source: None,
            content,
            kind,
            modality,
            sentence: si,
        });
    }

    if according {
        // "according to X": the source follows; the content is the other clause.
        let src = right_np(cx, ce, b, true)?;
        let content = left_clause(cx, a, cs).or_else(|| {
            let mut r = src.1;
            while r < b && (cx.punct(r, ",") || cx.punct(r, ":")) {
                r += 1;
            }
            right_content(cx, r, b, si).map(|(c, _)| c)
        })?;
        let kind = kind_of(cx, content);
        return Some(Found {
            cue: (cs, ce),
            source: Some(src),
            content,
            kind,
            modality,
            sentence: si,
        });
    }

    let mut left_src = source::reduced_relative_subject(cx, a, cs).or_else(|| left_np(cx, a, cs));
    // "Trump, in particular, has sharply criticized": the aside's
    // comma may stand before auxiliaries and adverbs.
    let mut cs2 = cs;
    while cs2 > a + 1
        && cs2 + 4 > cs
        && (cx.in_list(cs2 - 1, AUX)
            || cx.in_list(cs2 - 1, BETWEEN)
            || cx.ly_adverb(cs2 - 1))
    {
        cs2 -= 1;
    }
    if left_src.is_none() && cs2 > a + 2 && cx.punct(cs2 - 1, ",") {
        // Appositive: "Dianne Feinstein, Democrat of California, said …",
        // "Jo Smith, of Springfield, Va., said …", "Trump, speaking in Ohio,
        // said …". The phrase before a comma must open the sentence (after an
        // optional opener ending in a comma); the nearest such comma wins.
        let lo = cs2.saturating_sub(30).max(a);
        // A phrase that opens the sentence is preferred over one after a comma
        // ("Cory James, 22, of Flint, said" is not "22, of Flint,").
        let mut best: Option<(usize, bool, usize)> = None;
        for c1 in (lo..cs2 - 1).rev().filter(|&k| cx.punct(k, ",")) {
            let Some((ns, _)) = left_np(cx, a, c1) else { continue };
            let opens = ns == a
                || cx.punct(ns - 1, ",")
                || cx.closes_quote(ns - 1).is_some()
                || cx.punct(ns - 1, "—")
                // "Some Democrats, however, question …", "But Jo Smith, …, said"
                || lead_in(cx, a, ns);
            // '"…," Jo Smith, a writer for X, said.': a quote just before
            // the phrase is the content, so nothing need follow the cue.
            let quote_left = ns > a
                && (cx.closes_quote(ns - 1).is_some()
                    || ns > a + 1 && cx.punct(ns - 1, ",") && cx.closes_quote(ns - 2).is_some());
            let after_ok = quote_left || {
                let r = skip_adjuncts(cx, ce, b);
                r < b
                    && !is_final_punct(cx, r)
                    && (!cx.punct(r, ",") || cx.opens_quote(r + 1).is_some())
            };
            if opens && after_ok && c1 > ns && cs2 - 1 > c1 + 1 {
                // PolNeAR's source spans keep the apposition's closing comma,
                // but not a discourse aside ("Acme, however, said": 53 train
                // sources stop before one, none takes it in).
                let end = if is_discourse_aside(cx, c1 + 1, cs2 - 1) { c1 } else { cs2 };
                let at_start = ns == a || lead_in(cx, a, ns);
                let ns = if (a..ns).all(|k| cx.in_list(k, DETERMINERS) || cx.in_list(k, PRONOUNS)) { a } else { ns };
                if best.is_none_or(|(_, s0, _)| at_start && !s0) {
                    best = Some((ns, at_start, end));
                }
                if at_start {
                    break;
                }
            }
        }
        if let Some((ns, _, end)) = best {
            left_src = Some((ns, end));
        }
    }
    if left_src.is_none() {
        left_src = source::dash_appositive(cx, a, cs2);
    }
    if left_src.is_none() {
        left_src = source::appositive_subject(cx, (a, b), cs2, ce);
    }

    // Passive: "the assassination claimed by Kyiv" — the agent is the source,
    // the phrase before the cue the content.
    if let (Some(ls), true) = (left_src, cx.is(ce, "by") && lower.ends_with("ed")) {
        if let Some(src) = right_np(cx, ce + 1, b, false) {
            let left = ByteSpan::new(cx.toks[ls.0].start, cx.toks[ls.1 - 1].end);
            // "FBI officials were angered by the deal": the subject feels, and
            // what angered them is the content (PolNeAR's reading).
            let (source, content) = if source::feeling_verb(lower) {
                (ls, ByteSpan::new(cx.toks[src.0].start, cx.toks[src.1 - 1].end))
            } else {
                (src, left)
            };
            return Some(Found {
                cue: (cs, ce + 1),
                source: Some(source),
                content,
                kind: StatementKind::Indirect,
                modality,
                sentence: si,
            });
        }
    }
    let mut right_src = None;
    let mut after = ce;
    if left_src.is_none() {
        // Inverted: "…," said Smith. Only after a comma, a quote or the sentence start.
        // A quote mark the quote finder did not pair ("…,'' said Smith") is a boundary too.
        let boundary = (cs == a
            || cx.punct(cs - 1, ",")
            || cx.closes_quote(cs - 1).is_some()
            || cs > a + 1 && cx.kind(cs - 1) == Some(TokenKind::Quote) && cx.kind(cs - 2) == Some(TokenKind::Quote))
            && !lower.ends_with("ing")
            // ", declined to criticize the leader": an infinitive's object is
            // no inverted speaker.
            && !(cs..ce).any(|k| cx.is(k, "to"));
        if boundary {
            if let Some(mut r) = right_np(cx, ce, b, false) {
                // "said one source on the panel." — a trailing phrase up to the
                // sentence end belongs to the source.
                let mut k = r.1;
                while k < b
                    && k < r.1 + 8
                    && cx.kind(k) == Some(TokenKind::Word)
                    && cx.tok_quote[k] == 0
                    && !cx.in_list(k, WEEKDAYS)
                {
                    k += 1;
                }
                if k > r.1 && (k >= b || is_final_punct(cx, k)) && cx.in_list(r.1, PREPS) && !channel_phrase(cx, r.1) {
                    r.1 = k;
                }
                right_src = Some(r);
                after = r.1;
            }
        }
    }
    let source = left_src.or(right_src);

    // What follows the cue (and an inverted source): skip time words and channels.
    let mut r = skip_adjuncts(cx, after, b);
    if ADDRESSEE.iter().any(|p| lemma.starts_with(p)) && right_src.is_none() {
        // "told reporters on Monday that …": content starts at "that" or a quote.
        let mut k = r;
        while k < b && k < r + 8 && cx.kind(k) == Some(TokenKind::Word) && !cx.is(k, "that") {
            k += 1;
        }
        if k < b
            && (cx.is(k, "that")
                || cx.opens_quote(k).is_some()
                || cx.punct(k, ",")
                || cx.punct(k, ":"))
        {
            r = skip_adjuncts(cx, k, b);
        }
    }
    if ADDRESSEE.iter().any(|p| lemma.starts_with(p)) && right_src.is_none() && r < b {
        // "…,” she told reporters." — a short addressee before the sentence end.
        let mut k = r;
        while k < b && k < r + 4 && cx.kind(k) == Some(TokenKind::Word) && !cx.is(k, "that") {
            k += 1;
        }
        if k > r && (k >= b || is_final_punct(cx, k)) {
            r = k;
        }
    }
    if lemma.starts_with("accus") && right_src.is_none() {
        // "accused her of lying": the content is what she is accused of.
        if let Some(k) = (r..b.min(r + 8)).find(|&k| cx.is(k, "of")) {
            if k + 1 < b {
                r = k + 1;
            }
        }
    }
    let comma_after = r < b && (cx.punct(r, ",") || cx.punct(r, "—") || cx.punct(r, "-"));
    let ends_here = r >= b || is_final_punct(cx, r) || comma_after;

    // Left content: "“…,” he said." / "The plan failed, he said."
    let lb = source.map_or(cs, |s| if s.0 < cs { s.0 } else { cs });
    // A quote just before the source or cue ("“…,” he said at a rally.") is the
    // content whatever adjuncts follow, unless "that" or a quote follows the cue.
    let quote_before = lb > a && {
        let mut p = lb - 1;
        if (cx.punct(p, ",") || cx.punct(p, ":") || cx.punct(p, "—")) && p > a {
            p -= 1;
        }
        // '“… ongoing.” He said …': a quote closed by a full stop before a
        // capital is the previous sentence's, not this cue's content.
        let new_sentence = p + 1 == lb
            && p > a
            && cx.punct(p - 1, ".")
            && cx.word(lb).chars().next().is_some_and(char::is_uppercase);
        cx.closes_quote(p).is_some() && !new_sentence
    };
    let right_claims = r < b && (cx.is(r, "that") || cx.opens_quote(r).is_some());
    // "Trump said, “If we …”": a quote after the cue's comma is the content,
    // not the clause before the speaker (unless a quote before makes it a
    // split quote).
    let quote_after_comma = comma_after && right_src.is_none() && !quote_before && {
        let mut k = r;
        while k < b && (cx.punct(k, ",") || cx.punct(k, ":")) {
            k += 1;
        }
        cx.opens_quote(k).is_some()
    };
    // "which he has not introduced, …", "whom even other senators hate": the
    // relative pronoun before the speaker is what the cue is about.
    if let Some((ns, _)) = left_src {
        let object_gap = r >= b || ends_here || cx.pos.and_then(|ps| ps.get(r)).is_some_and(|t| matches!(*t, "IN" | "TO"));
        if ns > a && ns + 4 >= cs && cx.in_list(ns - 1, &["which", "whom", "who", "what"]) && object_gap && !quote_before {
            let w = ns - 1;
            // "which Beijing has vowed to ignore": an infinitive after the cue
            // completes it (the gold's discontinuous content, first to last).
            let mut end = cx.toks[w].end;
            if cx.is(r, "to") {
                if let Some((rest, _)) = right_content(cx, r, b, si) {
                    end = end.max(rest.end);
                }
            }
            return Some(Found {
                cue: (cs, ce),
                source,
                content: ByteSpan::new(cx.toks[w].start, end),
                kind: StatementKind::Indirect,
                modality,
                sentence: si,
            });
        }
    }
    if (ends_here && !quote_after_comma || quote_before && !right_claims) && lb > a {
        let mut p = lb - 1;
        if (cx.punct(p, ",") || cx.punct(p, ":") || cx.punct(p, "—")) && p > a {
            p -= 1;
        }
        if let Some(q) = cx.closes_quote(p) {
            let mut content = ByteSpan::new(q.start, q.end);
            // The next quote in the sentence, with nothing quoted in between.
            let next_q = (r..b).find(|&k| cx.tok_quote[k] != 0);
            if let Some(q2) = next_q.and_then(|k| cx.opens_quote(k)) {
                // Split quote: "A," he said, "B." — one statement over both parts.
                content.end = q2.end;
            } else if !clamped && b < cx.toks.len() && (r..b).all(|x| cx.tok_quote[x] == 0) {
                // "A," he said. "B." — the quote goes on in the next sentence of
                // the same paragraph: still the same statement.
                if let Some(q2) = cx.opens_quote(b) {
                    if !cx.line_break_before(b) {
                        content.end = q2.end;
                    }
                }
            }
            // 'The country "has made changes," he said': words of the sentence
            // before the quote are part of the claim (a mixed statement).
            let mut w0 = a;
            while w0 < p && cx.kind(w0) != Some(TokenKind::Word) {
                w0 += 1;
            }
            let lead_words = cx.toks[w0].start < q.start
                && (w0..p).take_while(|&k| cx.toks[k].start < q.start).all(|k| {
                    cx.tok_quote[k] == 0 && !cx.punct(k, ":") && !cx.in_list(k, QUOTE_VERBS)
                });
            let kind = if lead_words {
                content.start = cx.toks[w0].start;
                StatementKind::Mixed
            } else {
                StatementKind::Direct
            };
            return Some(Found {
                cue: (cs, ce),
                source,
                content,
                kind,
                modality,
                sentence: si,
            });
        }
        if let Some(mut content) = left_clause(cx, a, lb) {
            // "The museum, Mr. Obama said, would make visitors …": a cue set
            // into the clause; the content runs on after it (brat's
            // discontinuous span covers both parts).
            if r + 1 < b && cx.punct(r, ",") && cx.tok_quote[r + 1] == 0 && !clamped {
                let w = cx.word(r + 1);
                let reporter_clause = cx.kind(r + 1) != Some(TokenKind::Word)
                    || w.len() > 4 && w.ends_with("ing")
                    || is_one_of(w, &["according", "who", "which", "citing", "noting", "adding"]);
                if !reporter_clause {
                    if let Some((rest, _)) = right_content(cx, r + 1, b, si) {
                        content.end = rest.end;
                    }
                }
            }
            let kind = kind_of(cx, content);
            return Some(Found {
                cue: (cs, ce),
                source,
                content,
                kind,
                modality,
                sentence: si,
            });
        }
    }
    // "He said:" at a sentence or paragraph end: the quote that follows.
    if r < cx.toks.len() && cx.punct(r, ":") && (r + 1 >= b) {
        if let Some(q) = cx.opens_quote(r + 1) {
            let content = ByteSpan::new(q.start, q.end);
            return Some(Found {
                cue: (cs, ce),
                source,
                content,
                kind: StatementKind::Direct,
                modality,
                sentence: si,
            });
        }
    }
    if r < b && (!ends_here || comma_after) && right_src.is_none() {
        let (content, kind) = right_content(cx, r, b, si)?;
        return Some(Found {
            cue: (cs, ce),
            source,
            content,
            kind,
            modality,
            sentence: si,
        });
    }
    // Last resort for a confident cue with a source: whatever follows it.
    if source.is_some() && right_src.is_none() && r < b {
        if let Some((content, kind)) = right_content(cx, r, b, si) {
            return Some(Found {
                cue: (cs, ce),
                source,
                content,
                kind,
                modality,
                sentence: si,
            });
        }
    }
    // "The coalition, which is made up of investors, said many of the
    // examples …": what looked like an inverted source is the content, and
    // the source is the phrase before the relative clause.
    if right_src.is_some() && cs > a + 2 && cx.punct(cs - 1, ",") && !lower.ends_with("ing") {
        let rel = (cs.saturating_sub(30).max(a)..cs - 1)
            .find(|&k| cx.punct(k, ",") && cx.in_list(k + 1, &["which", "who", "whose"]));
        if let Some(c1) = rel {
            if let Some(src) = left_np(cx, a, c1) {
                let r = skip_adjuncts(cx, ce, b);
                if let Some((content, kind)) = right_content(cx, r, b, si) {
                    return Some(Found {
                        cue: (cs, ce),
                        source: Some(src),
                        content,
                        kind,
                        modality,
                        sentence: si,
                    });
                }
            }
        }
    }
    None
}

/// Whether token `i` lies in a request for anonymity ("who asked not to be
/// named", "declined to be identified", "requested anonymity"): such a phrase
/// describes the source of another cue and reports nothing itself.
fn in_anonymity_request(cx: &Ctx, i: usize) -> bool {
    const VERBS: &[&str] = &["asked", "asking", "requested", "requesting", "declined", "declining", "refused", "insisted", "insisting"];
    (i.saturating_sub(4)..=i).any(|k| {
        if !cx.in_list(k, VERBS) {
            return false;
        }
        let r = if cx.is(k + 1, "not") { k + 2 } else { k + 1 };
        let end = if cx.is(r, "to") && cx.is(r + 1, "be") && cx.in_list(r + 2, &["named", "identified", "quoted"])
            || cx.is(r, "to") && cx.is(r + 1, "remain") && cx.is(r + 2, "anonymous")
        {
            r + 3
        } else if cx.is(r, "anonymity") {
            r + 1
        } else {
            return false;
        };
        i < end
    })
}

/// The plainest reading of a cue: the noun phrase before it is the source,
/// the rest of the clause after it the content ("Rubio wants to emerge as
/// …", "the senator is demanding an inquiry").
fn generic_statement(
    cx: &Ctx,
    si: usize,
    (a, b): (usize, usize),
    (cs, ce): (usize, usize),
    lower: &str,
) -> Option<Found> {
    let (a, b) = (a.max(cs.saturating_sub(MAX_REACH)), b.min(ce + MAX_REACH));
    // "Questions have been asked about …": the subject of a passive is not
    // the speaker (the reader already took the passives whose agent it finds).
    // The cue may start with an adverb ("is widely expected"): any
    // participle in it makes the passive.
    let passive = cs > a
        && cx.in_list(cs - 1, source::PASSIVE_BE)
        && (cs..ce).any(|k| match cx.pos.and_then(|p| p.get(k).copied()) {
            Some(p) => p == "VBN",
            None => k + 1 == ce && lower.ends_with("ed"),
        });
    let source = if passive { None } else { left_np(cx, a, cs) };
    let r = skip_adjuncts(cx, ce, b);
    if passive && !(cx.is(r, "that") || cx.opens_quote(r).is_some()) {
        // "The plan was negotiated between …", "Mr. Manafort's role was
        // disclosed after …": without an agent, the passive's subject is
        // what was said.
        let mut k = cs;
        while k > a && cx.in_list(k - 1, AUX) {
            k -= 1;
        }
        if let Some((s, e)) = left_np(cx, a, k) {
            // "The White House is expected to sign the measure", "He was
            // criticized for trading …": the complement goes with the subject
            // (PolNeAR's discontinuous content, first to last fragment).
            let mut end = cx.toks[e - 1].end;
            if cx.in_list(r, &["to", "for", "as"]) {
                if let Some((rest, _)) = right_content(cx, r, b, si) {
                    end = end.max(rest.end);
                }
            }
            return Some(Found {
                cue: (cs, ce),
                source: None,
                content: ByteSpan::new(cx.toks[s].start, end),
                kind: StatementKind::Indirect,
                modality: modality_of(cx, a, cs, crude_lemma(lower)),
                sentence: si,
            });
        }
    }
    let (content, kind) = if r < b && !is_final_punct(cx, r) {
        right_content(cx, r, b, si)?
    } else {
        let c = left_clause(cx, a, source.map_or(cs, |s| s.0.min(cs)))?;
        (c, kind_of(cx, c))
    };
    Some(Found {
        cue: (cs, ce),
        source,
        content,
        kind,
        modality: modality_of(cx, a, cs, crude_lemma(lower)),
        sentence: si,
    })
}

fn is_final_punct(cx: &Ctx, i: usize) -> bool {
    cx.kind(i) == Some(TokenKind::Punct) && matches!(cx.word(i), "." | "!" | "?" | ";")
}

fn modality_of(cx: &Ctx, a: usize, cs: usize, lemma: &str) -> Modality {
    let before = |w: &[&str]| (cs.saturating_sub(3).max(a)..cs).any(|k| cx.in_list(k, w));
    if before(&["not", "never", "t", "n't", "n’t"]) {
        return Modality::Negated;
    }
    if before(&["may", "might", "could", "reportedly", "allegedly"]) {
        return Modality::Possible;
    }
    match lemma {
        "claim" | "alleg" | "allege" | "assert" | "contend" | "insist" | "maintain" | "accus"
        | "accuse" => Modality::Claimed,
        "deny" | "reject" | "disput" | "dismiss" | "refut" | "rebut" => Modality::Negated,
        "promis" | "promise" | "pledg" | "pledge" | "vow" | "plan" | "intend" => Modality::Planned,
        "predict" | "speculat" | "suggest" | "guess" | "wonder" | "warn" => Modality::Possible,
        _ => Modality::Asserted,
    }
}

/// The source noun phrase ending just before token `end` (skipping time words).
fn left_np(cx: &Ctx, a: usize, end: usize) -> Option<(usize, usize)> {
    let mut j = end;
    // Skip adverbs and "on Monday" between source and cue.
    let mut guard = 0;
    while j > a && guard < 5 {
        guard += 1;
        if cx.in_list(j - 1, WEEKDAYS) && j >= a + 2 && cx.is(j - 2, "on") {
            j -= 2;
        } else if j >= a + 2 && cx.is(j - 2, "in") && is_year(cx.word(j - 1)) {
            // "who in 2010 said"
            j -= 2;
        } else if j >= a + 3
            && cx.is(j - 3, "in")
            && cx.in_list(j - 2, &["the", "recent"])
            && cx.in_list(j - 1, &["past", "days", "weeks", "months", "years"])
        {
            // "friends have in the past said", "who in recent weeks warned"
            j -= 3;
        } else if j == end && j > a + 1 && cx.is(j - 1, "there") {
            // "Polls there show", not the "there" of "there is concern".
            j -= 1;
        } else if j >= a + 3
            && cx.in_list(j - 1, TIME_NOUNS)
            && cx.in_list(j - 2, &["this", "last", "next", "that"])
            && {
                // "officials this week detailed", "spent the last week trying" —
                // but "a poll out this week shows" keeps its time phrase.
                let h = if cx.is(j - 3, "the") { j.saturating_sub(4) } else { j - 3 };
                h >= a
                    && cx.pos.and_then(|p| p.get(h)).is_some_and(|p| {
                        p.starts_with("NN") || *p == "PRP" || p.starts_with("VB") && !cx.in_list(h, &["is", "was", "are", "were", "be", "been"])
                    })
            }
        {
            j -= 2;
            if j > a + 1 && cx.is(j - 1, "the") {
                j -= 1;
            }
        } else if j > a + 1
            && cx.kind(j - 1) == Some(TokenKind::Clitic)
            && (!cx.is_possessive(j - 1)
                // "He’s claiming", "it's denouncing": "is"/"has", not a possessive.
                || cx.in_list(j - 2, &["he", "she", "it", "who", "that", "there"]))
        {
            // "I've suggested", "he'd said", "didn't expect" (one clitic token)
            j -= 1;
        } else if j >= a + 2
            && cx.is_apostrophe(j - 2)
            && cx.in_list(j - 1, &["ve", "re", "ll", "d", "m", "t"])
        {
            // "I've suggested", "he'd said", "didn't expect"
            j -= 2;
        } else if (cx.in_list(j - 1, BETWEEN)
            || cx.in_list(j - 1, AUX)
            || cx.ly_adverb(j - 1))
            && j - 1 > a
        {
            j -= 1;
        } else {
            break;
        }
    }
    if j <= a || cx.tok_quote[j - 1] != 0 && cx.kind(j - 1) != Some(TokenKind::Word) {
        return None;
    }
    let mut k = j;
    // "Rep. Elijah Cummings (D-Md.) said": a short parenthesis after the name.
    if cx.punct(j - 1, ")") {
        if let Some(o) = (j.saturating_sub(10).max(a)..j - 1).rev().find(|&x| cx.punct(x, "(")) {
            if o > a && cx.kind(o - 1) == Some(TokenKind::Word) {
                k = o;
            }
        }
    }
    let k0 = k;
    while k > a && k0 - k < 12 {
        let t = k - 1;
        if cx.tok_quote[t] != 0
            && cx.quote_of(t).is_some_and(|q| q.start < cx.toks[t].start)
            && cx.kind(t) == Some(TokenKind::Quote)
        {
            break;
        }
        match cx.kind(t) {
            Some(TokenKind::Word) | Some(TokenKind::Number) => {
                let w = cx.word(t);
                if is_one_of(w, PRONOUNS) {
                    if k == k0 {
                        k = t;
                    }
                    break;
                }
                if is_one_of(w, STOP_LEFT) {
                    break;
                }
                if t == a || !is_one_of(w, DETERMINERS) {
                    k = t;
                    continue;
                }
                k = t;
                // "a spokesman for the Kremlin": a determiner after a
                // preposition inside the phrase does not end it.
                if t >= a + 2
                    && (cx.in_list(t - 1, PREPS)
                        // "the inquiry into the death", "the brothers behind
                        // the firm" (a noun's phrase), not "appealed against a".
                        || cx.in_list(t - 1, &["into", "over", "about", "against", "behind", "under"])
                            && cx.pos.is_some_and(|p| p.get(t - 2).is_some_and(|x| x.starts_with("NN"))))
                    && !cx.in_list(t - 1, &["to", "by", "on"])
                    && cx.kind(t - 2) == Some(TokenKind::Word)
                    && !is_one_of(cx.word(t - 2), STOP_LEFT)
                    && !is_one_of(cx.word(t - 2), PRONOUNS)
                {
                    k = t - 1;
                    continue;
                }
                break;
            }
            Some(TokenKind::Quote)
                if cx.is_apostrophe(t) || (cx.is(t + 1, "s") && t > a && cx.glued(t - 1)) =>
            {
                k = t
            }
            // "Ukraine's SBU", "analysts' view": a possessive inside the phrase.
            Some(TokenKind::Clitic) if cx.is_possessive(t) && t > a => k = t,
            Some(TokenKind::Punct) | Some(TokenKind::Symbol) => {
                let w = cx.word(t);
                let abbrev = w == "."
                    && t > a
                    && cx.glued(t - 1)
                    && cx.word(t - 1).len() <= 3
                    && cx
                        .word(t - 1)
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase);
                let hyphen = (w == "-" || w == "&") && t > a && cx.glued(t - 1) && cx.glued(t);
                // "42% preferring": a percentage.
                let percent = w == "%" && t > a && cx.glued(t - 1) && cx.kind(t - 1) == Some(TokenKind::Number);
                if abbrev || hyphen || percent {
                    k = t;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    if k == k0 && k0 < j {
        // Only the parenthesis: no name before it.
        return None;
    }
    // A phrase never begins with a preposition, punctuation or a possessive mark.
    while k < j
        && (cx.in_list(k, PREPS)
            || cx.kind(k) != Some(TokenKind::Word) && cx.kind(k) != Some(TokenKind::Number)
            || cx.is(k, "s") && k > a && cx.kind(k - 1) == Some(TokenKind::Quote))
    {
        k += 1;
    }
    if k >= j {
        return None;
    }
    // With POS tags: a subject ends in a noun, pronoun or number, never in a
    // preposition, adverb, adjective or verb ("using the example by", "this month").
    if let Some(p) = cx.pos.and_then(|p| p.get(j - 1)) {
        // Quantifiers stand for people ("Some accused", "Both want", "a third
        // said"), and a capitalised word is a name or a party whatever its
        // tag ("Will described", "Republican criticism"), at the sentence
        // start too ("Sanders said", which the tagger may call a verb).
        let verb_next = cx.pos.and_then(|p| p.get(j)).is_some_and(|p| p.starts_with("VB") || *p == "MD");
        let quantifier = (cx.in_list(j - 1, PRONOUNS) || cx.in_list(j - 1, QUANTIFIERS)) && verb_next;
        // "56 percent of voters polled said": the people a survey asked.
        let polled = verb_next && k + 1 < j && cx.in_list(j - 1, &["polled", "surveyed", "questioned", "interviewed", "asked"]);
        let upper = cx.word(j - 1).chars().next().is_some_and(char::is_uppercase);
        // The tagger calls some names adverbs ("Valastro praised"): a
        // capitalised "adverb" right before a verb cue is a name unless it
        // is a common sentence adverb.
        let capitalised = upper
            && (!matches!(*p, "IN" | "DT" | "CC" | "TO" | "RB")
                || *p == "RB" && verb_next && !cx.in_list(j - 1, SENTENCE_ADVERBS));
        // "The official said", "A city ally suggested", "those surveyed
        // say": the last word of a phrase that a determiner opens, right
        // before a verb cue, is its head noun whatever its tag.
        let determined = k + 1 < j
            && verb_next
            && j == end
            && cx.in_list(k, DETERMINERS)
            && matches!(*p, "JJ" | "RB" | "VBN")
            && !cx.in_list(j - 1, &["only", "final", "last", "first", "next", "ago", "same", "other", "new", "most", "more", "less", "whole", "entire", "very"])
            && (k + 1..j).all(|x| cx.kind(x) == Some(TokenKind::Word) && !cx.in_list(x, DETERMINERS));
        // "Apple's chief executive, Tim Cook, said": the tagger calls some
        // role nouns adjectives; a person's role ends a phrase whatever its tag.
        // Only before a comma or a finite verb: "national attention" is an
        // adjective, and "any foreign national suspected of" the suspect.
        let role = || {
            let w = cx.word(j - 1).to_lowercase();
            (cx.punct(j, ",") || cx.pos.and_then(|p| p.get(j)).is_some_and(|p| matches!(*p, "VBD" | "VBZ" | "VBP" | "MD")))
                && (super::entities::is_person_role(&w) || is_person_noun(&w))
        };
        if cx.kind(j - 1) == Some(TokenKind::Word)
            && !quantifier
            && !polled
            && !capitalised
            && !determined
            && matches!(
                *p,
                "IN" | "TO" | "DT" | "RB" | "RBR" | "JJ" | "VB" | "VBD" | "VBG" | "VBN" | "VBZ"
                    | "VBP" | "CC" | "MD"
            )
            && (*p != "JJ" || !role())
        {
            return None;
        }
    }
    // "Sanders started a petition calling for …": a phrase after a verb and
    // before a participle cue is the verb's object; the source is the
    // verb's subject (see `source::verb_subject`).
    if let Some(pos) = cx.pos {
        let participle_cue = pos.get(end).is_some_and(|p| *p == "VBG");
        let after_verb = k > a
            && matches!(pos.get(k - 1).copied(), Some("VB" | "VBD" | "VBZ" | "VBP" | "VBN"))
            // "were super PACs supporting …": a copula's complement may be the source.
            && !cx.in_list(k - 1, &["is", "was", "are", "were", "be", "been", "being", "'s", "’s", "'re", "’re"]);
        if participle_cue && after_verb && cx.kind(k - 1) == Some(TokenKind::Word) {
            return None;
        }
    }
    // A lone lower-case word that is not a pronoun is rarely a source ("polls show" is, though).
    Some((k, j))
}

/// A year written as four digits from 1800 to 2099.
fn is_year(w: &str) -> bool {
    w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) && (w.starts_with("18") || w.starts_with("19") || w.starts_with("20"))
}

/// A source noun phrase starting at token `start` ("said Smith, a …", "according to X").
fn right_np(cx: &Ctx, start: usize, b: usize, allow_preps: bool) -> Option<(usize, usize)> {
    let mut k = start;
    if k < b && cx.in_list(k, &["to"]) && allow_preps {
        k += 1;
    }
    let s = k;
    while k < b && k - s < 12 {
        match cx.kind(k) {
            Some(TokenKind::Word) | Some(TokenKind::Number) => {
                let w = cx.word(k);
                if is_one_of(w, PRONOUNS) {
                    if k == s {
                        k += 1;
                    }
                    break;
                }
                // "the papers filed in a court" keeps its phrase.
                let channel = k > s && channel_phrase(cx, k) && !cx.pos.and_then(|p| p.get(k - 1)).is_some_and(|p| p.starts_with("VB"));
                if is_one_of(w, STOP_LEFT)
                    || is_one_of(w, &["in", "on", "at", "during", "who"]) && !allow_preps
                    || channel
                {
                    break;
                }
                // Time words end the phrase: "claimed by X this year", "said X on Monday".
                if is_one_of(w, WEEKDAYS)
                    || is_one_of(w, &["this", "last", "next"])
                        && cx.in_list(
                            k + 1,
                            &[
                                "week", "month", "year", "weekend", "morning", "night", "spring",
                                "summer", "fall", "autumn", "winter",
                            ],
                        )
                {
                    break;
                }
                if cx.tok_quote[k] != 0 {
                    break;
                }
                k += 1;
            }
            Some(TokenKind::Quote) if cx.is_apostrophe(k) => k += 1,
            Some(TokenKind::Clitic) if cx.is_possessive(k) && k > s => k += 1,
            Some(TokenKind::Punct) => {
                let w = cx.word(k);
                let abbrev = w == "."
                    && k > s
                    && cx.glued(k - 1)
                    && cx.word(k - 1).len() <= 3
                    && k + 1 < b
                    && cx.kind(k + 1) == Some(TokenKind::Word)
                    && cx.glued(k);
                let hyphen = (w == "-" || w == "&") && k > s && cx.glued(k - 1) && cx.glued(k);
                if abbrev || hyphen {
                    k += 1;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    while k > s && (cx.in_list(k - 1, PREPS) || cx.in_list(k - 1, DETERMINERS)) {
        k -= 1;
    }
    (k > s).then_some((s, k))
}

/// "in a memo", "on a call": an indefinite phrase after these prepositions
/// is where something was said, not part of who said it ("wrote Smith in a
/// memo"; but "an analyst at a bank" is who).
fn channel_phrase(cx: &Ctx, k: usize) -> bool {
    cx.in_list(k, &["in", "on", "during"]) && cx.in_list(k + 1, &["a", "an"])
}

/// Skips commas, colons, time words and channels ("in a statement") after a cue.
fn skip_adjuncts(cx: &Ctx, mut r: usize, b: usize) -> usize {
    let mut guard = 0;
    while r < b && guard < 6 {
        guard += 1;
        if cx.in_list(r, WEEKDAYS)
            || cx.in_list(
                r,
                &[
                    "yesterday",
                    "today",
                    "tonight",
                    "earlier",
                    "later",
                    "recently",
                    "previously",
                    "also",
                    "repeatedly",
                    "publicly",
                    "privately",
                    "again",
                ],
            )
        {
            r += 1;
        } else if cx.in_list(r, &["on", "in", "at", "during", "via"]) && r + 1 < b {
            // "on Monday", "in a statement", "on Twitter", "in an interview with CNN"
            let mut k = r + 1;
            if cx.in_list(k, DETERMINERS) {
                k += 1;
            }
            if cx.in_list(k, WEEKDAYS) || cx.in_list(k, CHANNELS) {
                k += 1;
                // "in an interview with CNN", "on Fox News Sunday"
                if cx.in_list(k, &["with", "to", "on"]) {
                    if let Some((_, e)) = right_np(cx, k + 1, b, false) {
                        k = e;
                    }
                }
                r = k;
            } else {
                break;
            }
        } else if cx.in_list(r, &["last", "this"])
            && cx.in_list(
                r + 1,
                &["week", "month", "year", "night", "weekend", "morning"],
            )
        {
            r += 2;
        } else {
            break;
        }
    }
    r
}

/// The clause before a cue: from the sentence start to the comma before `lb`.
fn left_clause(cx: &Ctx, a: usize, lb: usize) -> Option<ByteSpan> {
    let mut e = lb;
    while e > a && cx.kind(e - 1) == Some(TokenKind::Punct) {
        e -= 1;
    }
    let mut s = a;
    // A sentence that starts inside an earlier quote: take the whole quote.
    while s < e && cx.kind(s) == Some(TokenKind::Punct) {
        s += 1;
    }
    // "But the goal is …, according to X": the connective is the reporter's.
    while s + 1 < e
        && cx.in_list(
            s,
            &["but", "and", "so", "yet", "or", "still", "however", "now"],
        )
    {
        s += 1;
        while s < e && cx.punct(s, ",") {
            s += 1;
        }
    }
    let words = (s..e)
        .filter(|&k| cx.kind(k) == Some(TokenKind::Word))
        .count();
    if words < 2
        || e == lb
            && !cx.punct(lb.saturating_sub(1), ",")
            && e > a
            && cx.closes_quote(e - 1).is_none()
    {
        return None;
    }
    let mut start = cx.toks[s].start;
    if let Some(q) = cx.quote_of(s) {
        start = start.min(q.start);
    }
    Some(ByteSpan::new(start, cx.toks[e - 1].end))
}

/// The content after a cue: a quote, or the rest of the sentence without
/// its final punctuation (a quote that runs past the sentence is kept whole).
fn right_content(cx: &Ctx, r: usize, b: usize, _si: usize) -> Option<(ByteSpan, StatementKind)> {
    let mut r = r;
    while r < b && (cx.punct(r, ",") || cx.punct(r, ":")) {
        r += 1;
    }
    if r >= b {
        return None;
    }
    let r0 = r;
    // "pointed out that …": the particle is the cue's.
    if r + 1 < b
        && cx.in_list(r, &["out", "up", "back"])
        && (cx.is(r + 1, "that") || cx.opens_quote(r + 1).is_some())
    {
        r += 1;
    }
    if cx.tok_quote[r] == 0 && r + 1 < b {
        if cx.in_list(r, &["about", "of", "for", "on", "over"]) {
            // "talked about X", "warned of X": the preposition is the cue's
            // (PolNeAR leaves it out of the content about nine times in ten).
            r += 1;
        } else if cx.in_list(
            r,
            &["in", "at", "on", "during", "to", "from", "with", "after", "before", "late", "early", "earlier"],
        ) {
            // "said at a rally in Toledo, Ohio, that …": the content is the clause.
            if let Some(k) = (r + 1..b.min(r + 14)).find(|&k| cx.is(k, "that") && cx.tok_quote[k] == 0) {
                if k + 1 < b && !(r..k).any(|x| cx.tok_quote[x] != 0) {
                    r = k;
                }
            }
        }
    }
    // The start model may move the start over what the rules left (an
    // addressee, a time, a channel) or back to what they skipped.
    if let Some(t) = cx.trace {
        t.borrow_mut().starts.push((r0, r, b, cx.cue_at.get()));
    }
    let (end_model, start_model) = content::active();
    if let (Some(m), Some(_)) = (start_model, cx.pos) {
        r = content_start::choose_start(cx, m, r0, b, r);
    }
    if let Some(q) = cx.opens_quote(r) {
        // The rest of the sentence after the quote decides direct vs mixed.
        let mut k = r;
        while k < cx.toks.len() && cx.toks[k].end <= q.end {
            k += 1;
        }
        let more = (k..b).any(|x| cx.kind(x) == Some(TokenKind::Word));
        if !more {
            return Some((ByteSpan::new(q.start, q.end), StatementKind::Direct));
        }
    }
    if let Some(t) = cx.trace {
        t.borrow_mut().ends.push((r, b, cx.cue_at.get()));
    }
    let h = rule_end(cx, r, b);
    // The model was trained with POS tags; without them the rules decide.
    let e = match end_model {
        Some(m) if h > r && cx.pos.is_some() => content::choose_end(cx, m, r, b, h),
        _ => h,
    };
    if e <= r || !(r..e).any(|k| cx.kind(k) == Some(TokenKind::Word)) {
        return None;
    }
    let mut span = ByteSpan::new(cx.toks[r].start, cx.toks[e - 1].end);
    // A quote that opens in the content and runs past the sentence.
    if let Some(q) = cx.quote_of(e - 1).filter(|_| e == h) {
        if q.start >= span.start && q.end > span.end {
            span.end = q.end;
        }
    }
    let kind = kind_of(cx, span);
    Some((span, kind))
}

/// Where the rules end a content that starts at token `r` in a unit ending
/// at `b` (exclusive): the sentence end without its final punctuation,
/// before a trailing channel ("in a statement on Thursday") or a
/// reporter's participle clause (", adding that …").
fn rule_end(cx: &Ctx, r: usize, b: usize) -> usize {
    let mut e = b;
    while e > r && cx.kind(e - 1) == Some(TokenKind::Punct) {
        e -= 1;
    }
    if e > r && cx.kind(e - 1) == Some(TokenKind::Quote) {
        // Keep a closing quote whose opening mark is inside the content.
        if cx
            .quote_of(e - 1)
            .is_none_or(|q| q.start < cx.toks[r].start)
        {
            e -= 1;
            while e > r && cx.kind(e - 1) == Some(TokenKind::Punct) {
                e -= 1;
            }
        }
    }
    // "… more school investment in a statement on Thursday": a trailing channel
    // and time are the reporter's, not the content.
    if let Some(k) = (r + 2..e).find(|&k| {
        cx.in_list(k, &["in", "on", "during", "via"])
            && cx.tok_quote[k] == 0
            && (cx.in_list(k + 1, CHANNELS)
                || cx.in_list(k + 1, DETERMINERS) && cx.in_list(k + 2, CHANNELS))
            && e - k <= 10
            && !(k..e).any(|x| cx.tok_quote[x] != 0 || cx.is(x, "that"))
    }) {
        e = k;
    }
    // ", adding that …", ", comparing him to …": a new clause of the reporter's.
    if let Some(k) = (r + 2..e).find(|&k| {
        cx.punct(k - 1, ",") && cx.tok_quote[k] == 0 && cx.kind(k) == Some(TokenKind::Word) && {
            let w = cx.word(k);
            w.len() > 5
                && w.ends_with("ing")
                && !is_one_of(
                    w,
                    &[
                        "including",
                        "during",
                        "according",
                        "regarding",
                        "following",
                        "nothing",
                        "something",
                        "anything",
                        "everything",
                    ],
                )
        }
    }) {
        e = k - 1;
    }
    // "…, but still lost the election", "… and said she would …": a verb
    // phrase coordinated with the reporting clause is the reporter's, not
    // part of the content (with POS tags, so that the verb is known).
    if let Some(pos) = cx.pos.filter(|_| cx.cut_vp) {
        if let Some(k) = (r + 2..e).find(|&k| {
            cx.tok_quote[k] == 0 && cx.in_list(k, &["and", "but"]) && {
                let mut v = k + 1;
                while v < e && pos.get(v).is_some_and(|p| *p == "RB") {
                    v += 1;
                }
                v < e && pos.get(v).is_some_and(|p| matches!(*p, "VBD" | "VBZ"))
            }
        }) {
            e = k;
            while e > r && cx.kind(e - 1) == Some(TokenKind::Punct) {
                e -= 1;
            }
        }
    }
    e
}

fn kind_of(cx: &Ctx, span: ByteSpan) -> StatementKind {
    let mut has_quote = false;
    let lo = cx.quotes.partition_point(|q| q.start < span.start);
    for q in cx.quotes[lo..].iter().take_while(|q| q.start < span.end) {
        if q.start == span.start && q.end == span.end {
            return StatementKind::Direct;
        }
        if span.start <= q.start && q.end <= span.end {
            has_quote = true;
        }
    }
    if has_quote {
        StatementKind::Mixed
    } else {
        StatementKind::Indirect
    }
}

/// Turns found statements into mentions: coordination vs nesting, speakers,
/// anonymous sources, `about` references.
fn finish(doc: &Document, cx: &Ctx, mut found: Vec<Found>, ex: &mut Extraction) {
    let text = cx.text;
    found.sort_by_key(|f| (f.cue.0, f.content.start));
    // Coordinated statements ("A said X, while B said Y"): the first content
    // stops before the second's clause instead of containing it.
    // Only statements whose cue lies inside a content can be in it: a window
    // over the cue-sorted list keeps this linear on huge documents.
    let cue_starts: Vec<usize> = found.iter().map(|f| cx.toks[f.cue.0].start).collect();
    for i in 0..found.len() {
        let lo = cue_starts.partition_point(|&c| c < found[i].content.start);
        let hi = cue_starts.partition_point(|&c| c < found[i].content.end);
        for j in lo..hi {
            if i == j {
                continue;
            }
            let (outer, inner) = (&found[i], &found[j]);
            let cue = ByteSpan::new(cx.toks[inner.cue.0].start, cx.toks[inner.cue.1 - 1].end);
            if !outer.content.contains(&cue) {
                continue;
            }
            let mut first = inner.source.map_or(inner.cue.0, |s| s.0.min(inner.cue.0));
            if inner.source.is_some() && inner.source == outer.source {
                // Shared subject ("called X a Y and has accused him of Z"):
                // the clause starts at the second cue and its auxiliaries.
                first = inner.cue.0;
                while first > 0
                    && cx.in_list(first - 1, AUX)
                    && cx.toks[first - 1].start > outer.content.start
                {
                    first -= 1;
                }
            }
            if first == 0 || cx.toks[first].start <= outer.content.start {
                continue;
            }
            let mut k = first - 1;
            let mut coord = false;
            while cx.toks[k].start > outer.content.start
                && (cx.in_list(
                    k,
                    &["while", "but", "and", "whereas", "as", "although", "though"],
                ) || cx.punct(k, ",")
                    || cx.punct(k, ";"))
            {
                coord = true;
                k -= 1;
            }
            if coord && cx.toks[k].end > outer.content.start {
                let end = cx.toks[k].end;
                found[i].content.end = end;
                found[i].kind = kind_of(cx, found[i].content);
            }
        }
    }
    // One statement per content span (the graph identifies them by it).
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|f| {
        f.content.end > f.content.start && seen.insert((f.content.start, f.content.end))
    });

    let n_entities_before = ex.entities.len();
    let index = SpanIndex::new(ex.entities.iter().map(|m| m.span));
    let event_index = SpanIndex::new(ex.events.iter().map(|e| e.trigger));
    let base = ex.statements.len();
    let mut speakers: Vec<Option<usize>> = Vec::with_capacity(found.len());
    for f in &found {
        let speaker = f.source.and_then(|s| {
            resolve_source(
                doc,
                cx,
                s,
                f.sentence,
                f.content,
                &found,
                &speakers,
                ex,
                n_entities_before,
                &index,
            )
        });
        speakers.push(speaker);
        let cue = ByteSpan::new(cx.toks[f.cue.0].start, cx.toks[f.cue.1 - 1].end);
        let source = f
            .source
            .map(|(s, e)| ByteSpan::new(cx.toks[s].start, cx.toks[e - 1].end));
        let mut about: Vec<Ref> = index
            .starting_in(f.content)
            .iter()
            .copied()
            .filter(|&k| {
                let m = &ex.entities[k];
                f.content.contains(&m.span) && !source.is_some_and(|s| s.overlaps(&m.span))
            })
            .filter(|&k| Some(k) != speaker)
            .map(Ref::Entity)
            .collect();
        about.extend(
            event_index
                .starting_in(f.content)
                .iter()
                .filter(|&&k| f.content.contains(&ex.events[k].trigger))
                .map(|&k| Ref::Event(k)),
        );
        about.sort();
        about.dedup();
        ex.statements.push(StatementMention {
            kind: f.kind,
            cue,
            content: f.content,
            source,
            speaker: speaker.map(Ref::Entity),
            about,
            embedded_in: None,
            modality: f.modality,
            sentence: f.sentence,
        });
    }
    // Nesting: the smallest other content that contains a statement's cue.
    // Contents lie near their cues (bounded reach, bounded quotes), so only
    // statements whose cue is within NEST_WINDOW bytes can contain this cue.
    const NEST_WINDOW: usize = 12_000;
    let n = ex.statements.len();
    let starts: Vec<usize> = ex.statements[base..n].iter().map(|s| s.cue.start).collect();
    for i in base..n {
        let cue = ex.statements[i].cue;
        let mut best: Option<(usize, usize)> = None;
        let lo = base + starts.partition_point(|&c| c + NEST_WINDOW < cue.start);
        let hi = base + starts.partition_point(|&c| c <= cue.end + NEST_WINDOW);
        for j in lo..hi {
            let c = ex.statements[j].content;
            if j != i && c.contains(&cue) && !ex.statements[i].content.contains(&c) {
                let len = c.end - c.start;
                if best.is_none_or(|(_, l)| len < l) {
                    best = Some((j, len));
                }
            }
        }
        ex.statements[i].embedded_in = best.map(|(j, _)| j);
    }
    let _ = text;
}

/// Whether tokens `from..to` are a discourse adverbial set off by commas
/// ("however", "for its part"), not an apposition describing the source.
fn is_discourse_aside(cx: &Ctx, from: usize, to: usize) -> bool {
    const ASIDES: &[&[&str]] = &[
        &["however"], &["meanwhile"], &["though"], &["too"], &["also"], &["instead"], &["again"],
        &["nevertheless"], &["moreover"], &["likewise"], &["similarly"], &["therefore"], &["in", "turn"],
        &["in", "particular"], &["in", "response"], &["in", "contrast"], &["by", "contrast"], &["in", "fact"],
        &["of", "course"], &["for", "its", "part"], &["for", "his", "part"], &["for", "her", "part"],
        &["for", "their", "part"],
    ];
    if to <= from {
        return false;
    }
    // "at the end of last week", "on Tuesday", "in a statement": when or
    // where it was said.
    let when = to - from <= 8
        && cx.in_list(from, &["at", "on", "in", "during", "earlier", "later"])
        && (channel_phrase(cx, from) || (from..to).any(|k| cx.in_list(k, TIME_NOUNS) || cx.in_list(k, WEEKDAYS)));
    when || ASIDES.iter().any(|a| a.len() == to - from && a.iter().enumerate().all(|(j, w)| cx.is(from + j, w)))
}

/// The entity a source refers to: an entity mention inside it, a pronoun's
/// antecedent, an earlier full name for a short description ("the
/// Committee"), or a new anonymous-source mention.
#[allow(clippy::too_many_arguments)]
fn resolve_source(
    doc: &Document,
    cx: &Ctx,
    (s, e): (usize, usize),
    sentence: usize,
    content: ByteSpan,
    found: &[Found],
    speakers: &[Option<usize>],
    ex: &mut Extraction,
    n_named: usize,
    index: &SpanIndex,
) -> Option<usize> {
    let text = cx.text;
    let span = ByteSpan::new(cx.toks[s].start, cx.toks[e - 1].end);
    // A statement before its source ("… ," he said) is skipped when looking
    // back for the speaker: its first sentence is where the look-back starts.
    let content_sentence = (content.start < span.start)
        .then(|| cx.analysis.sentences.partition_point(|x| x.end <= content.start))
        .filter(|&c| c < sentence);
    let look_from = content_sentence.unwrap_or(sentence);
    let named = &ex.entities[..n_named];
    // Earlier mentions, nearest last, within a bounded look-back.
    let before = index.before(span.start);
    // Pronoun: the coreference model (agreement, recency, subjects, recent speakers).
    if e - s == 1 && is_one_of(cx.word(s), PRONOUNS) {
        let w = cx.word(s);
        // "Acme, which said": the organization just before.
        if is_one_of(w, &["which"]) {
            return before.iter().rev().copied().find(|&k| {
                let m = &named[k];
                m.sentence == sentence
                    && m.span.end <= span.start
                    && m.etype == EntityType::Organization
                    && matches!(text[m.span.end..span.start].trim(), "" | ",")
            });
        }
        // "who": the noun phrase before the comma.
        if is_one_of(w, &["who"]) {
            return before.iter().rev().copied().find(|&k| {
                let m = &named[k];
                m.span.end <= span.start
                    && m.sentence == sentence
                    && matches!(m.etype, EntityType::Person | EntityType::Other)
                    && m.subtype.as_deref() != Some("nationality")
                    && !is_one_of(m.span.text(text), PRONOUNS)
            });
        }
        // "I", "we", "you" outside a quote are the writer or the reader: no antecedent.
        coref::Pronoun::of(w)?;
        // Speakers of the statements just before, most recent last; they are
        // candidates too (anonymous sources are not in the named index).
        // `found` is in text order: walk back from the latest, at most a few sentences.
        let mut spoke_at: Vec<(usize, usize)> = found[..speakers.len().min(found.len())]
            .iter()
            .zip(speakers)
            .rev()
            .take_while(|(f, _)| f.sentence + 3 >= look_from)
            .filter(|(f, _)| f.sentence <= sentence)
            .filter_map(|(f, sp)| Some((sp.as_ref().copied()?, cx.toks[f.source?.0].start)))
            .take(16)
            .collect();
        spoke_at.reverse();
        let recent: Vec<usize> = spoke_at.iter().map(|&(k, _)| k).collect();
        let mut near: Vec<usize> = before.to_vec();
        // A titled description ("the French coach") stands for a person the
        // article names: with a named person in reach, "he" after it looks
        // for the name, not for it.
        let named_person_near = before.iter().any(|&k| k < n_named && named[k].etype == EntityType::Person && named[k].sentence + 3 >= sentence);
        near.extend(
            recent
                .iter()
                .copied()
                .filter(|&k| k >= n_named && !(named_person_near && is_titled_description(ex.entities[k].span.text(text)))),
        );
        near.sort_unstable();
        near.dedup();
        let hints = coref::SpeakerHints { speakers: &recent, spoke_at: &spoke_at, content_sentence, pos: cx.pos };
        return match coref::resolve(text, cx.analysis, &ex.entities, &near, s, &hints)? {
            coref::Antecedent::Entity(k) => Some(k),
            // "Many newspapers …. They are hoping": no one the graph names.
            coref::Antecedent::Group(_) => None,
            coref::Antecedent::Description(d) => {
                // An unnamed person ("an Uzbek citizen"): a mention of its own,
                // shared by every pronoun that refers to it.
                if let Some(k) = (n_named..ex.entities.len()).find(|&k| ex.entities[k].span == d) {
                    return Some(k);
                }
                let si = cx
                    .analysis
                    .sentences
                    .partition_point(|x| x.end <= d.start);
                ex.entities.push(EntityMention {
                    span: d,
                    etype: EntityType::Person,
                    subtype: Some("anonymous".to_string()),
                    canonical: None,
                    external_id: Some(format!("anonymous:{}:{}", doc.id, d.start)),
                    sentence: si,
                    confidence: 0.5,
                    kind: crate::extract::MentionKind::Name,
                });
                Some(ex.entities.len() - 1)
            }
        };
    }
    // A named entity inside the source: the last one that is not inside a
    // prepositional tail ("a spokesman for X" is not X).
    let inside: Vec<usize> = index
        .starting_in(span)
        .iter()
        .copied()
        .filter(|&k| k < n_named && span.contains(&named[k].span))
        .collect();
    // "Dave Prentis, general secretary of Unison," and "Yukos finance chief
    // Bruce Misamore - who moved to the US -": the name the apposition
    // describes. A person's name may follow its title, but not a preposition
    // or a possessive ("a spokesman for Tony Blair, who …" is the spokesman).
    if let Some(&k) = inside.first() {
        let m = &named[k];
        let mut leading = (s..e).take_while(|&t| cx.toks[t].start < m.span.start);
        let leads = match m.etype {
            EntityType::Person => leading.all(|t| !cx.in_list(t, PREPS) && !matches!(cx.word(t), "," | "'" | "’" | "'s" | "’s")),
            _ => m.span.start == span.start,
        };
        let rest = text[m.span.end..span.end].trim_start();
        if leads
            && matches!(m.etype, EntityType::Person | EntityType::Organization)
            && m.kind == crate::extract::MentionKind::Name
            && (rest.starts_with(',') || rest.starts_with(['-', '–', '—']))
        {
            return Some(k);
        }
    }
    // "The BBC's correspondent in Jakarta, Rachel Harvey,": a person named in
    // apposition at the end of a description.
    if let Some(&k) = inside.last() {
        let m = &named[k];
        let trailing = text[m.span.end..span.end].trim();
        let description = text[span.start..m.span.start].trim_end();
        if m.etype == EntityType::Person
            && m.kind == crate::extract::MentionKind::Name
            && matches!(trailing, "" | ",")
            && description.ends_with(',')
        {
            return Some(k);
        }
    }
    let first_word = cx.word(s);
    // The head: the last word before a preposition ("a spokesman for X" → spokesman).
    let head_end = (s + 1..e).find(|&k| cx.in_list(k, PREPS)).unwrap_or(e);
    let head_idx = (s..head_end)
        .rev()
        .find(|&k| cx.kind(k) == Some(TokenKind::Word) && !cx.is(k, "s"));
    let head = head_idx.map(|k| cx.word(k)).unwrap_or("");
    let head_is_name = head.chars().next().is_some_and(char::is_uppercase);
    let desc = !head_is_name || is_one_of(head, PERSON_HEADS);
    if !desc {
        // Named source: the entity that ends the phrase, or any earlier mention
        // with the same name or a longer name ending in it ("the Committee").
        let head_byte = head_idx.map_or(span.end, |h| cx.toks[h].end);
        let at_head = inside
            .iter()
            .rev()
            .find(|&&k| named[k].span.end == head_byte);
        if let Some(&k) = at_head.or_else(|| {
            inside
                .iter()
                .rev()
                .find(|&&k| named[k].span.end == span.end)
        }) {
            return Some(longer_name(text, named, k).unwrap_or(k));
        }
        // "Mr Sears": the name without its honorific
        let honorific = |k: usize| is_one_of(cx.word(k).trim_end_matches('.'), &["mr", "mrs", "ms", "dr", "miss"]) || cx.word(k) == ".";
        let name_start = (s..e)
            .find(|&k| {
                cx.word(k).chars().next().is_some_and(char::is_uppercase)
                    && !is_one_of(cx.word(k), DETERMINERS)
                    && !honorific(k)
            })
            .unwrap_or(s);
        let name = &text[cx.toks[name_start].start..span.end];
        if let Some(k) = before.iter().rev().copied().find(|&k| {
            let m = &named[k];
            m.key(text) == name
                || m.span.text(text).ends_with(name) && m.span.text(text).len() > name.len()
        }) {
            return Some(k);
        }
        // "Mr Sears said" with no recognised name: Mr Sears is a person.
        if inside.is_empty() && honorific(s) && name_start > s && (name_start..e).all(|k| cx.word(k).starts_with(char::is_uppercase)) {
            ex.entities.push(EntityMention {
                span: ByteSpan::new(cx.toks[name_start].start, span.end),
                etype: EntityType::Person,
                subtype: None,
                canonical: None,
                external_id: None,
                sentence,
                confidence: 0.6,
                kind: crate::extract::MentionKind::Name,
            });
            return Some(ex.entities.len() - 1);
        }
        return inside.last().copied();
    }
    // "…, minister says" in a headline, "the mayor said": the person the
    // article gives that title ("Infrastructure Minister Anna de Vries").
    let only_descriptions = inside.iter().all(|&k| named[k].kind == crate::extract::MentionKind::Description);
    // "the prime minister", "the foreign secretary": lower-case modifiers,
    // each of which the person's title must also have.
    let modifiers = (s + 1..e.saturating_sub(1)).filter(|_| is_one_of(first_word, &["the"]));
    let plain_modifiers = modifiers.clone().all(|k| cx.word(k).starts_with(|c: char| c.is_lowercase()));
    if only_descriptions && head_idx == Some(e - 1) && (e - s == 1 || is_one_of(first_word, &["the"]) && plain_modifiers && e - s <= 4) {
        if let Some(k) = titled_person(cx, named, head, span.start) {
            let person = cx.toks.partition_point(|t| t.start < named[k].span.start);
            let title_words = cx.toks[person.saturating_sub(5)..person].iter().map(|t| t.text(text)).collect::<Vec<_>>();
            // "the chancellor" is not the shadow or former chancellor
            let qualified = title_words.iter().rev().take(3).any(|w| {
                (is_one_of(w, &["shadow", "former", "deputy", "vice", "ex", "assistant", "junior", "acting"]) || w.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("ex-")))
                    && !(s..e).any(|k| cx.word(k).eq_ignore_ascii_case(w))
            });
            if !qualified && modifiers.clone().all(|m| title_words.iter().any(|w| w.eq_ignore_ascii_case(cx.word(m)))) {
                return Some(k);
            }
        }
    }
    // "the company said", "the firm added": the company the article has
    // named most so far (nearest on a tie) within a few sentences, one whose
    // name has the head word first ("the bank" → "Bank of England"); never a
    // public body ("the company" is not the Securities and Exchange Commission).
    if only_descriptions && head_idx == Some(e - 1) && e - s == 2 && is_one_of(first_word, &["the"]) && is_one_of(head, COMPANY_HEADS) {
        // the entity recognizer may already have linked it ("the company" after "Acme Company")
        if let Some(&k) = inside.iter().find(|&&k| named[k].etype == EntityType::Organization) {
            return Some(k);
        }
        let company = |k: usize| {
            let m = &named[k];
            m.etype == EntityType::Organization
                && m.kind == crate::extract::MentionKind::Name
                && m.subtype.is_none()
                && m.span.end <= span.start
                && !m.span.text(text).split_whitespace().any(|w| is_one_of(w, PUBLIC_BODY_WORDS))
        };
        let recent: Vec<usize> = before.iter().copied().filter(|&k| company(k) && named[k].sentence + 5 >= sentence).collect();
        // `get`: a name's byte at the head's length may sit inside a character ("Grüße")
        let has_head = |k: &usize| named[*k].span.text(text).split_whitespace().any(|w| w.get(..head.len()).is_some_and(|p| p.eq_ignore_ascii_case(head)));
        if let Some(&k) = recent.iter().rev().find(|k| has_head(k)) {
            return Some(k);
        }
        let mentions = |k: usize| before.iter().filter(|&&j| company(j) && named[j].key(text) == named[k].key(text)).count();
        return recent.iter().copied().max_by_key(|&k| mentions(k));
    }
    // A description without a name of its own: an anonymous source.
    // A title or role ("India's finance minister") is a person too, when the
    // description names what it belongs to: without that ("the prime
    // minister") it stands for someone the article names, not a new node.
    let etype = if is_person_noun(head) || !inside.is_empty() && is_role_or_title(head) {
        EntityType::Person
    } else {
        EntityType::Other
    };
    if etype == EntityType::Other && inside.is_empty() {
        // "polls", "the report": not a speaker we can name.
        return None;
    }
    // "the Rotterdam fire service": a named place or body inside and an
    // institution's head noun make an organization, named without its
    // determiner, so that every article naming it shares one node.
    let institution = etype == EntityType::Other && is_one_of(head, ORG_HEADS) && head_idx == Some(e - 1) && {
        let last_inside = inside.last().map_or(0, |&k| named[k].span.end);
        // the name qualifies the head ("the Rotterdam fire service"), it is not
        // a possessor of it ("Ukraine's security service" stays anonymous)
        !text[last_inside.min(span.end)..span.end].trim_start().starts_with(['\'', '’'])
    };
    let name_from = if is_one_of(first_word, &["the", "a", "an"]) { cx.toks.get(s + 1).map_or(span.start, |t| t.start) } else { span.start };
    let idx = ex.entities.len();
    ex.entities.push(if institution {
        EntityMention {
            span,
            etype: EntityType::Organization,
            subtype: None,
            canonical: Some(text[name_from..span.end].to_string()),
            external_id: None,
            sentence,
            confidence: 0.6,
            kind: crate::extract::MentionKind::Name,
        }
    } else {
        EntityMention {
            span,
            etype,
            subtype: Some("anonymous".to_string()),
            canonical: None,
            external_id: Some(format!("anonymous:{}:{}", doc.id, span.start)),
            sentence,
            confidence: 0.6,
            kind: crate::extract::MentionKind::Name,
        }
    });
    let relation = if is_one_of(head, MEMBER_HEADS) {
        "member_of"
    } else {
        "affiliated_with"
    };
    for &k in &inside {
        // "Ukraine's SBU": the possessor qualifies the organisation the source belongs to.
        let after = &text[ex.entities[k].span.end..span.end];
        if after.starts_with("'s") || after.starts_with("’s") {
            continue;
        }
        // "the Rotterdam fire service" is in Rotterdam.
        let relation = if institution && ex.entities[k].etype == EntityType::Location { "located_in" } else { relation };
        ex.relations.push(RelationMention {
            relation,
            from: Ref::Entity(idx),
            to: Ref::Entity(k),
            evidence: span,
            confidence: 0.7,
        });
    }
    Some(idx)
}

/// Whether a description names a title or role ("the French coach", "the
/// chairman of the committee") and no occupation ("a Harvard economist").
fn is_titled_description(description: &str) -> bool {
    let words = || description.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase);
    words().any(|w| is_role_or_title(&w)) && !words().any(|w| is_person_noun(&w))
}

/// Whether the lower-case `head` names people by what they are ("source",
/// "broker", "economists"): this module's list or the coreference heads.
fn is_person_noun(head: &str) -> bool {
    is_one_of(head, PERSON_HEADS) || super::coref::is_person_head(head)
}

/// Whether the lower-case `head` is a title ("minister", "chairman") or a role noun.
fn is_role_or_title(head: &str) -> bool {
    super::entities::is_title_head(&super::capitalized(head)) || is_one_of(head, ROLE_HEADS)
}

/// The person named right after a title with head word `head` ("Mayor
/// Pieter Jansen" for "mayor"): the nearest before byte `at`, else the first
/// after it (a headline's speaker is named in the body). Only a title or role
/// noun qualifies, and the search is bounded like the other look-backs.
fn titled_person(cx: &Ctx, named: &[EntityMention], head: &str, at: usize) -> Option<usize> {
    if !is_role_or_title(head) {
        return None;
    }
    let title = super::capitalized(head);
    let titled = |m: &EntityMention| {
        m.etype == EntityType::Person && m.subtype.is_none() && {
            let t = cx.toks.partition_point(|t| t.start < m.span.start);
            // the title right before the name, capitalised words between
            // ("Chancellor Gordon Brown", "London mayor Ken Livingstone"),
            // not "the chancellor said Mr Fallon"
            (t.saturating_sub(3)..t).any(|j| cx.word(j).eq_ignore_ascii_case(&title) && (j + 1..t).all(|i| cx.word(i).starts_with(char::is_uppercase)))
        }
    };
    let cut = named.partition_point(|m| m.span.start < at);
    let before = named[..cut].iter().enumerate().rev().take(LOOKBACK).find(|(_, m)| titled(m));
    before.or_else(|| named[cut..].iter().enumerate().take(LOOKBACK).find(|(_, m)| titled(m)).map(|(i, m)| (cut + i, m))).map(|(k, _)| k)
}

/// An earlier mention whose name is longer and ends with mention k's name
/// ("Investigative Committee" for "Committee").
fn longer_name(text: &str, named: &[EntityMention], k: usize) -> Option<usize> {
    let short = named[k].key(text);
    let from = k.saturating_sub(LOOKBACK);
    named[from..k]
        .iter()
        .rposition(|m| {
            let long = m.key(text);
            long.len() > short.len()
                && long.ends_with(short)
                && long[..long.len() - short.len()].ends_with(' ')
        })
        .map(|i| from + i)
}

/// How many earlier entity mentions pronoun and name resolution look at.
const LOOKBACK: usize = 400;

/// Entity mentions sorted by start, for range queries without scanning
/// every mention per statement.
/// Mentions (entities, or event triggers) sorted by where they start, so that
/// each statement finds those in its content without scanning them all.
struct SpanIndex {
    order: Vec<usize>,
    starts: Vec<usize>,
}

impl SpanIndex {
    fn new(spans: impl ExactSizeIterator<Item = ByteSpan>) -> SpanIndex {
        let mut keyed: Vec<(usize, usize)> = spans.enumerate().map(|(k, s)| (s.start, k)).collect();
        keyed.sort_unstable();
        let (starts, order) = keyed.into_iter().unzip();
        SpanIndex { order, starts }
    }
    /// Mentions that start inside `span`.
    fn starting_in(&self, span: ByteSpan) -> &[usize] {
        let lo = self.starts.partition_point(|&s| s < span.start);
        let hi = self.starts.partition_point(|&s| s < span.end);
        &self.order[lo..hi.max(lo)]
    }
    /// The last LOOKBACK mentions that start before `pos`, in text order.
    fn before(&self, pos: usize) -> &[usize] {
        let hi = self.starts.partition_point(|&s| s < pos);
        &self.order[hi.saturating_sub(LOOKBACK)..hi]
    }
}

/// Senses of cue words that say nothing: posted figures (below), "went on
/// to play", "went on sale" (but "…," he went on and "he went on:"), "was
/// ruled out of the match" (an injury; "ruled out a tax rise" is a stance),
/// "saw off the Scots" (a win). `b` ends the sentence.
fn no_cue_sense(cx: &Ctx, i: usize, b: usize) -> bool {
    let next = |w: &str| i + 1 < b && cx.is(i + 1, w);
    let went_on = cx.in_list(i, &["went", "go", "goes", "going", "gone"])
        && next("on")
        && i + 2 < b
        && cx.kind(i + 2) == Some(TokenKind::Word);
    let ruled_out_of = cx.in_list(i, &["ruled", "rule", "rules"]) && next("out") && i + 2 < b && cx.is(i + 2, "of");
    let see = |k: usize| cx.in_list(k, &["saw", "see", "sees", "seeing", "seen"]);
    let saw_off = see(i) && next("off") || cx.is(i, "off") && i > 0 && see(i - 1);
    went_on || ruled_out_of || saw_off || posts_figures(cx, i, b)
}

/// "Marsh posted a $676m loss", "a leaflet posted to homes", "he was posted
/// to Moscow": "post" that reports figures or sends something says nothing
/// (PolNeAR's "posted" cues are messages put online). `b` ends the sentence.
fn posts_figures(cx: &Ctx, i: usize, b: usize) -> bool {
    const FIGURES: &[&str] = &[
        "profit", "profits", "loss", "losses", "results", "gain", "gains", "revenue", "revenues", "sales",
        "earnings", "figures", "record", "rise", "fall", "growth", "deficit", "surplus", "turnover", "%",
    ];
    cx.in_list(i, &["post", "posts", "posted", "posting"])
        && (i + 1 < b && cx.is(i + 1, "to") || (i + 1..b.min(i + 10)).any(|k| cx.in_list(k, FIGURES)))
}

#[cfg(test)]
mod tests;
