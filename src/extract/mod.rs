//! Extraction: from an analysed document to mentions of entities, times,
//! events, statements and relations (byte offsets). The graph module turns
//! these into nodes and edges.

pub mod attribution;
pub mod coref;
pub mod entities;
pub mod entity_type;
pub mod events;
pub mod gazetteer;
pub mod relations;
pub mod time;
pub mod timeml;

use crate::text::{Analysis, Document};

/// Whether `word` is one of `list`, ignoring ASCII case.
fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// `word` with its first letter upper-cased ("mayor" → "Mayor"), as titles
/// and organization cues are listed.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A byte range of the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSpan {
    pub start: usize,
    pub end: usize,
}

impl ByteSpan {
    pub fn new(start: usize, end: usize) -> Self {
        ByteSpan { start, end }
    }
    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.start..self.end]
    }
    pub fn contains(&self, other: &ByteSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: &ByteSpan) -> bool {
        self.start < other.end && other.start < self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityType {
    Person,
    Organization,
    Location,
    Other,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "Person",
            EntityType::Organization => "Organization",
            EntityType::Location => "Location",
            EntityType::Other => "Other",
        }
    }
}

/// How a mention refers to its entity: by name, by a pronoun ("he", "its")
/// or by a definite description ("the general", "the Russian capital").
/// Only names give a node its label, aliases and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum MentionKind {
    #[default]
    Name,
    Pronoun,
    Description,
}

/// One mention of a named entity.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMention {
    pub span: ByteSpan,
    pub etype: EntityType,
    /// `country`, `city`, `region`, `nationality`, `agency`, ...
    pub subtype: Option<String>,
    /// The name of the entity this mention refers to, when it differs from
    /// the surface text (gazetteer name, the full name a surname refers to).
    /// Mentions with the same type and canonical name are one node.
    pub canonical: Option<String>,
    /// An external identifier, e.g. `geonames:524901`.
    pub external_id: Option<String>,
    pub sentence: usize,
    pub confidence: f32,
    /// Name, pronoun or description: pronouns and descriptions carry the
    /// canonical name of their antecedent and are never aliases.
    pub kind: MentionKind,
}

impl EntityMention {
    /// The name that identifies the entity: canonical name or surface text.
    pub fn key<'a>(&'a self, doc: &'a str) -> &'a str {
        self.canonical.as_deref().unwrap_or_else(|| self.span.text(doc))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A time expression with its TimeML TIMEX3 value.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMention {
    pub span: ByteSpan,
    pub value: String,
    pub timex_type: TimexType,
    pub sentence: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Modality {
    Asserted,
    Negated,
    Possible,
    Planned,
    Claimed,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Negated => "negated",
            Modality::Possible => "possible",
            Modality::Planned => "planned",
            Modality::Claimed => "claimed",
        }
    }
}

/// What an argument or edge points at: an index into one of [`Extraction`]'s lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ref {
    Entity(usize),
    Time(usize),
    Event(usize),
    Statement(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Agent,
    Patient,
    Location,
    Time,
    Instrument,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Patient => "patient",
            Role::Location => "location",
            Role::Time => "time",
            Role::Instrument => "instrument",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventArg {
    pub role: Role,
    pub target: Ref,
    pub evidence: ByteSpan,
}

/// One mention of an event: its trigger word(s) and participants.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMention {
    pub trigger: ByteSpan,
    /// e.g. `Conflict.Attack`, `Life.Die`, `Contact.Statement`.
    pub event_type: String,
    pub modality: Modality,
    pub sentence: usize,
    pub args: Vec<EventArg>,
    /// Index of an earlier event mention this one corefers with.
    pub coref: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatementKind {
    Direct,
    Indirect,
    Mixed,
}

impl StatementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Direct => "direct",
            StatementKind::Indirect => "indirect",
            StatementKind::Mixed => "mixed",
        }
    }
}

/// A quote or reported claim.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementMention {
    pub kind: StatementKind,
    pub cue: ByteSpan,
    pub content: ByteSpan,
    /// The words naming the speaker.
    pub source: Option<ByteSpan>,
    /// The entity the source refers to (after pronoun resolution).
    pub speaker: Option<Ref>,
    /// Entities and events the content mentions.
    pub about: Vec<Ref>,
    /// The statement that reports this one.
    pub embedded_in: Option<usize>,
    pub modality: Modality,
    pub sentence: usize,
}

/// A relation between two entities with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationMention {
    pub relation: &'static str,
    pub from: Ref,
    pub to: Ref,
    pub evidence: ByteSpan,
    pub confidence: f32,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub entities: Vec<EntityMention>,
    pub times: Vec<TimeMention>,
    pub events: Vec<EventMention>,
    pub statements: Vec<StatementMention>,
    pub relations: Vec<RelationMention>,
}

/// Runs every extractor over a document.
pub fn extract(doc: &Document, analysis: &Analysis, models: &crate::nlp::Models) -> Extraction {
    let mut ex = Extraction::default();
    ex.entities = entities::recognize(doc, analysis, models);
    relations::extract(doc, analysis, &mut ex);
    ex.times = time::recognize(doc, analysis);
    // One POS tagging pass, shared by the event recognizer, the parser and the cue tagger.
    let pos = models.tag_pos(&doc.text, analysis);
    // Only with a parser loaded (`build --parse`): parsing costs more than the rest.
    let parse = pos.as_deref().and_then(|pos| crate::nlp::parser::doc::DocParse::compute(models, &doc.text, analysis, pos));
    events::recognize_with(doc, analysis, pos.as_deref(), parse.as_ref(), &mut ex);
    // After events, so that statements can be `about` the events their content mentions.
    attribution::extract_parsed(doc, analysis, pos.as_deref(), parse.as_ref(), &mut ex);
    events::mark_attributed(&mut ex);
    events::speakers_as_agents(&doc.text, &mut ex);
    // Last: pronouns become mentions of what they refer to (appended, so no index moves).
    coref::link(&doc.text, analysis, &mut ex);
    ex
}
