//! Named entities.
//!
//! With a trained tagger (`Models::tag_entities`) its spans are the mentions
//! and the gazetteer types, sub-types and canonicalizes them (and adds the
//! places it missed). Without one, a fall-back chunker finds capitalized
//! sequences and types them from gazetteers, titles, organization cue words
//! and acronyms. Either way an in-document coreference pass then ties name
//! variants, acronyms and "known as" aliases to one canonical name.

use super::gazetteer::{gazetteer, Gazetteer, Place, PlaceKind};
use super::{ByteSpan, EntityMention, EntityType, MentionKind};
use crate::nlp::NerSpan;
use crate::text::{Analysis, Document, ParagraphKind, Token, TokenKind};
#[cfg(test)]
use crate::nlp::Models;
use std::collections::{BTreeMap, HashMap};

pub fn recognize(doc: &Document, analysis: &Analysis, models: &crate::nlp::Models) -> Vec<EntityMention> {
    let spans = models.tag_entities(&doc.text, analysis);
    recognize_with(&doc.text, analysis, spans.as_deref())
}

/// [`recognize`] with the tagger's spans given (None: no tagger).
pub fn recognize_with(text: &str, analysis: &Analysis, spans: Option<&[NerSpan]>) -> Vec<EntityMention> {
    let g = gazetteer();
    let mut out = Vec::new();
    match spans {
        Some(spans) => from_tagger(text, analysis, spans, g, &mut out),
        None => {
            for (si, _) in analysis.content_sentences() {
                let ctx = SentCtx::new(text, analysis, si, g);
                chunk_sentence(&ctx, &mut out);
            }
        }
    }
    out.sort_by_key(|m| (m.span.start, m.span.end));
    out.dedup_by(|b, a| a.span.overlaps(&b.span));
    capitals(text, g, &mut out);
    disambiguate_places(text, g, &mut out);
    corefer(text, analysis, &mut out);
    // one-word companies the tagger called people or places
    super::entity_type::retype(text, analysis, g, &mut out);
    let descs = descriptions(text, analysis, &out);
    if !descs.is_empty() {
        out.extend(descs);
        out.sort_by_key(|m| (m.span.start, m.span.end));
    }
    out
}

// ---------------------------------------------------------------------------
// Word lists: features for the chunker and the relation finder.

const MONTHS: &[&str] = &[
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];
const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/// Holidays and named days: time expressions, not entities.
const HOLIDAYS: &[&str] = &["Christmas", "Easter", "Eve", "Day", "Ramadan", "Eid", "Hanukkah", "Thanksgiving", "Halloween", "Passover", "Diwali", "Lent"];
/// Months that are also given names ("Theresa May"): they may continue a name.
const NAME_MONTHS: &[&str] = &["April", "May", "June", "August"];

/// Words that end or head a person's title ("Prime Minister", "Gen.").
pub const TITLE_HEADS: &[&str] = &[
    "President", "Minister", "Secretary", "Chancellor", "Premier", "King", "Queen", "Prince", "Princess", "Pope",
    "Senator", "Sen", "Governor", "Gov", "Mayor", "Judge", "General", "Gen", "Colonel", "Col", "Lieutenant", "Lt",
    "Major", "Maj", "Captain", "Capt", "Sergeant", "Sgt", "Admiral", "Adm", "Marshal", "Commander", "Cmdr", "Mr",
    "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord", "Lady", "Sheikh", "Ayatollah", "Rev",
    "Reverend", "Archbishop", "Bishop", "Cardinal", "Rabbi", "Imam", "Chairman", "Chairwoman", "Chairperson", "Chief",
    "Director", "Ambassador", "Envoy", "Spokesman", "Spokeswoman", "Spokesperson", "Prosecutor", "Attorney", "Rep",
    "Representative", "Congressman", "Congresswoman", "Councillor", "Coach", "Leader", "Emir", "Sultan", "CEO",
    "Inspector", "Detective", "Constable", "Commissioner", "Superintendent", "Speaker", "Brigadier", "Brig", "Corporal",
    "Cpl", "Private", "Pte", "Officer", "Head", "Executive", "Mullah", "Patriarch", "Metropolitan", "MP",
    "MEP", "MSP", "AM",
];
/// Words that may come before a title head inside the title ("Deputy Prime Minister").
const TITLE_MODIFIERS: &[&str] = &[
    "Prime", "Vice", "Deputy", "Foreign", "Defence", "Defense", "Home", "Interior", "Finance", "Health", "Justice",
    "Economy", "Economic", "Trade", "Culture", "Education", "Energy", "Environment", "Transport", "Labour", "Chief",
    "Supreme", "Acting", "First", "Former", "Crown", "Grand", "Executive", "Attorney", "Lieutenant", "Lt", "Major",
    "Brigadier", "Rear", "State", "Treasury", "Assistant", "Associate", "Senior", "Junior", "Presidential", "Opposition",
    "Shadow", "Lord", "General", "Police", "Army", "Military", "Security", "Intelligence", "Culture", "Sports",
    "Agriculture", "Industry", "Development", "Digital", "Immigration", "Climate", "Science", "Technology", "Business",
    "Work", "Pensions", "Communities", "Transport", "Housing", "Welsh", "Scottish", "Northern", "Ireland", "Europe",
    "European", "Cabinet", "Commerce", "Labor", "Agriculture", "National", "Managing", "Operating", "Financial",
    "Creative", "Technical", "Regional", "District", "Federal", "Chief", "Team", "Club", "Party", "Squadron",
    "Air", "Vice-President", "Police", "Fire", "Under",
];
/// Titles that make their holder the leader of the place or body before them.
pub const LEADER_TITLES: &[&str] = &[
    "president", "prime minister", "premier", "chancellor", "king", "queen", "emperor", "leader", "supreme leader",
    "chairman", "chairwoman", "chairperson", "chair", "chief", "head", "ceo", "chief executive", "director",
    "director general", "director-general", "governor", "mayor", "commander", "commander-in-chief", "secretary general",
    "secretary-general", "emir", "sultan", "boss", "founder", "owner", "pope", "patriarch", "grand mufti",
];

/// Words that end (or head) an organization's name.
const ORG_CUES: &[&str] = &[
    "Committee", "Ministry", "Agency", "Council", "Party", "Bank", "University", "Inc", "Corp", "Corporation", "Ltd",
    "LLC", "Plc", "PLC", "Co", "Group", "Service", "Services", "Army", "Forces", "Force", "Court", "Parliament",
    "Union", "Association", "Department", "Commission", "Office", "College", "Institute", "Foundation",
    "Organisation", "Organization", "Company", "Airlines", "Airways", "Times", "Post", "News", "Network", "Club", "FC",
    "Police", "Fund", "Trust", "Board", "Bureau", "Authority", "Administration", "Cabinet", "Government", "Church",
    "Hospital", "Society", "Centre", "Center", "Museum", "Federation", "League", "Front", "Movement", "Brigade",
    "Battalion", "Regiment", "Division", "Command", "Directorate", "Inspectorate", "Guard", "Navy", "Congress",
    "Senate", "Assembly", "Alliance", "Coalition", "Institution", "Corps", "Fleet", "Holdings", "Industries",
    "Motors", "Technologies", "Systems", "Partners", "Capital", "Securities", "Exchange", "Broadcasting",
    "Television", "Radio", "Press", "Journal", "Herald", "Telegraph", "Guardian", "Gazette", "Tribune", "Records",
    "Studios", "Pictures", "Entertainment", "Communications", "Telecom", "Energy", "Oil", "Petroleum", "Gas",
    "Pharmaceuticals", "Laboratories", "Academy", "School", "Prosecutor's", "Secretariat", "Chamber", "Tribunal",
    "Unit", "Squad", "Team", "Cartel", "Brotherhood", "Mission", "Observatory", "Watch", "Initiative",
    "Democrats", "Dem", "Dems", "Commons", "Lords", "Pharmaceutical", "Stockbrokers", "Brokers", "Bancorp", "Motor", "Airline", "Republicans", "Conservatives", "Tories", "Tory", "Socialists", "Greens", "Nationalists",
];
/// Acronyms of common nouns, not of organizations.
const NOUN_ACRONYMS: &[&str] = &[
    "TV", "PC", "PCs", "GMT", "BST", "DVD", "DVDs", "ID", "IDs", "GDP", "CD", "CDs", "MP3", "PR", "IT", "AM", "PM",
    "CEO", "CEOs", "MP", "MPs", "MEP", "MEPs", "MSP", "MSPs", "AI", "OK", "HIV", "AIDS", "SMS", "VAT", "GM", "IQ", "DNA",
    "USB", "PIN", "BC", "AD", "HD", "LCD", "CCTV", "ATM", "ATMs", "SUV", "SUVs", "IPO", "CFO", "COO", "CTO", "PhD",
    "TVs", "GP", "GPs", "QC", "OBE", "MBE", "CBE", "DJ", "DJs", "RPG", "IED", "IEDs", "ICBM", "UAV", "UAVs", "AK",
    "GPS", "PDF", "FAQ", "MRI", "ICU", "ER", "VIP", "VIPs", "LGBT", "LGBTQ", "COVID", "ETA", "WMD", "CPU", "RAM",
];
/// Letters after a person's name.
const POST_NOMINALS: &[&str] = &["QC", "KC", "MP", "MEP", "MSP", "OBE", "MBE", "CBE", "KBE", "Jr", "Sr", "PhD", "VC"];
/// Cue words that name an organization on their own ("Parliament voted").
const LONE_CUES: &[&str] = &[
    "Parliament", "Congress", "Senate", "Commons", "Lords", "Cabinet", "Government", "Navy", "Army", "Pentagon", "Tory", "Tories",
    "Democrats", "Republicans", "Conservatives", "Socialists", "Greens",
];

/// Institutions that news names by one word or a place ("the Kremlin said").
const KNOWN_ORGS: &[&str] = &[
    "Kremlin", "Pentagon", "White House", "Downing Street", "Knesset", "Duma", "Bundestag", "Elysee", "Élysée",
    "Whitehall", "Westminster", "Capitol Hill", "Politburo", "Interpol", "Europol", "Hamas", "Hezbollah", "Taliban",
];
/// Legal forms that end a company's name.
const LEGAL_FORMS: &[&str] = &["Inc", "Corp", "Ltd", "LLC", "Plc", "PLC", "plc", "GmbH", "AG", "NV", "SpA", "Co", "LLP"];
/// News agencies, as datelines and credits name them: organizations of subtype `media`.
const NEWS_AGENCIES: &[&str] = &[
    "Reuters", "AFP", "AP", "Interfax", "Xinhua", "Tass", "TASS", "Bloomberg", "RIA Novosti", "Al Jazeera", "Yonhap",
    "Kyodo", "Agence France-Presse", "Agence France Presse", "Associated Press", "UPI", "DPA", "dpa", "ANSA", "EFE", "Anadolu", "IRNA", "KCNA",
    "PTI", "ANI", "Ukrinform", "PRNewswire", "Business Wire", "Newswire",
];

/// The subtype of a well-known organization name.
fn known_org_subtype(surface: &str) -> Option<&'static str> {
    if NEWS_AGENCIES.contains(&surface) {
        Some("media")
    } else if KNOWN_ORGS.contains(&surface) {
        Some("government")
    } else {
        None
    }
}
/// Place-kind nouns after a name: "the Kursk region", "Donetsk oblast".
const REGION_NOUNS: &[&str] = &[
    "region", "province", "oblast", "county", "district", "governorate", "prefecture", "territory", "state", "republic",
    "valley", "peninsula", "island", "islands", "river", "sea", "mountains", "desert",
];
/// Lower-case words allowed inside a name when a capitalized word follows.
const NAME_CONNECTORS: &[&str] =
    &["of", "for", "on", "de", "da", "del", "della", "der", "den", "van", "von", "bin", "ibn", "al", "el", "la", "le", "du", "dos", "das", "di", "y"];
/// Capitalized words before "of" that make "X of Y" one name.
const OF_HEADS: &[&str] = &[
    "Republic", "Kingdom", "Gulf", "Bay", "Sea", "Isle", "Isles", "Strait", "Straits", "Cape", "City", "Duke",
    "Duchess", "Earl", "Mount", "Lake", "River", "House", "Chamber", "Statue", "Battle", "Siege", "Treaty", "Act",
    "Friends", "Emirate", "Sultanate", "Commonwealth", "Church", "Province", "State", "States", "Bank", "Secretary",
    "Minister", "Ministry", "Department", "University", "Institute", "College", "School", "Museum", "Court",
    "Council", "Committee", "Service", "Office", "Federation", "Union", "Association", "Society", "Organisation",
    "Organization", "Agency", "Commission", "Board", "Bureau", "Centre", "Center", "Academy", "Order", "Prince",
    "Princess", "Archbishop", "Bishop", "Mayor", "Governor", "President", "Chancellor", "Director", "Head", "Chief",
    "Tribunal", "Assembly", "Party", "Front", "Army", "Forces", "Coalition", "Alliance", "Conference", "Summit",
    "District", "Parliament", "Congress", "Senate", "Government", "Authority", "Secretariat",
];
/// Words after a hyphen that make a name a modifier ("London-based"): the
/// name is the part before.
const NAME_SUFFIXES: &[&str] = &[
    "based", "born", "led", "backed", "owned", "made", "bred", "registered", "listed", "funded", "style", "era",
    "controlled", "headquartered", "run", "linked", "bound", "inspired", "sponsored", "allied", "dominated",
];

/// Capitalized words that are no part of a person's name.
const NOT_NAME_WORDS: &[&str] = &[
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "New", "Old", "Great",
    "Greater", "Upper", "Lower", "Saint", "St", "Mount", "River", "Lake", "Golden", "Royal", "National",
    "International", "World", "Global", "United", "Grand", "Big", "First", "Second", "Third", "Last", "Final", "Super",
    "Cup", "Games", "Championship", "Championships", "Award", "Awards", "Prize", "Festival", "Day", "Week", "Year",
    "Act", "Bill", "Report", "Review", "Show", "Series", "Open", "Trophy", "Olympic", "Olympics", "Summit", "War",
    "Christmas", "Easter", "Internet", "Web", "Online", "Digital", "Mobile", "Global", "Europe", "European", "Arab",
    "Islamic", "Muslim", "Jewish", "No", "Yes", "Not", "Catholic", "Communist", "Democratic", "Republican", "Liberal",
    "Conservative", "Labour", "Green", "Socialist", "Federal", "State", "City", "County", "Town", "Village",
];
/// Words that make a name a building or a geographic feature.
const FACILITY_WORDS: &[&str] = &[
    "Palace", "Castle", "Cathedral", "Abbey", "Stadium", "Arena", "Airport", "Bridge", "Square", "Street", "Road",
    "Avenue", "Park", "Tower", "Station", "Prison", "Harbour", "Harbor", "Mosque", "Temple", "Hotel", "Theatre",
    "Theater", "Gardens", "Plaza", "Boulevard", "Lane", "Embassy", "Consulate", "House", "Hall", "Centre",
];
const GEO_WORDS: &[&str] = &["River", "Lake", "Mount", "Mountains", "Valley", "Island", "Islands", "Ocean", "Sea", "Gulf", "Bay", "Desert", "Peninsula", "Strait", "Coast"];

/// Capitalized words that never start a name ("I", articles in headlines).
const NEVER_NAMES: &[&str] = &["I", "The", "A", "An", "Mr", "Mrs", "Ms"];

fn is_in(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// "SBU", "NATO", "G7": 2-6 capitals (digits after the first allowed).
pub fn is_acronym(w: &str) -> bool {
    let n = w.chars().count();
    (2..=6).contains(&n)
        && w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && w.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
}

/// "HIV", "DVD": acronyms of common nouns.
pub fn is_noun_acronym(w: &str) -> bool {
    is_in(NOUN_ACRONYMS, w)
}

fn is_month_or_weekday(w: &str) -> bool {
    is_in(MONTHS, w) || is_in(WEEKDAYS, w)
}

pub fn is_title_head(w: &str) -> bool {
    is_in(TITLE_HEADS, w.trim_end_matches('.'))
}

pub fn is_org_cue(w: &str) -> bool {
    is_in(ORG_CUES, w)
}

/// Whether the tokens at `i` are a possessive clitic ('s, ’s, or ' s).
pub fn possessive_at(text: &str, toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    let w = t.text(text);
    if matches!(w, "'s" | "’s" | "'S" | "’S") {
        return Some(1);
    }
    if matches!(w, "'" | "’") {
        if let Some(n) = toks.get(i + 1) {
            if n.start == t.end && matches!(n.text(text), "s" | "S") {
                return Some(2);
            }
            // plural possessive "the Taliban' rule" is rare; "Reuters'" ends a name
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Sentence context

struct SentCtx<'a> {
    text: &'a str,
    toks: &'a [Token],
    g: &'a Gazetteer,
    sentence: usize,
    /// Capital letters carry no evidence: headline in title case, or all caps.
    title_case: bool,
}

impl<'a> SentCtx<'a> {
    fn new(text: &'a str, analysis: &'a Analysis, si: usize, g: &'a Gazetteer) -> Self {
        let s = &analysis.sentences[si];
        let toks = &analysis.tokens[s.tokens.clone()];
        let mut words = 0usize;
        let mut caps = 0usize;
        for t in toks.iter().filter(|t| t.kind == TokenKind::Word) {
            let w = t.text(text);
            if w.chars().next().is_some_and(char::is_alphabetic) {
                words += 1;
                if starts_upper(w) {
                    caps += 1;
                }
            }
        }
        let headline = matches!(analysis.paragraphs.get(s.paragraph).map(|p| &p.kind), Some(ParagraphKind::Headline));
        let title_case = words >= 4 && caps * 10 >= words * 7 || headline && words >= 3 && caps * 10 >= words * 6;
        SentCtx { text, toks, g, sentence: si, title_case }
    }

    fn w(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.text(self.text))
    }

    fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokenKind::Word)
    }

    fn is_cap_word(&self, i: usize) -> bool {
        self.is_word(i) && starts_upper(self.w(i))
    }

    /// No space between tokens i and i+1.
    fn glued(&self, i: usize) -> bool {
        match (self.toks.get(i), self.toks.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// At a sentence start or just after an opening quote, bracket, colon or dash.
    fn is_initial(&self, i: usize) -> bool {
        let Some(j) = i.checked_sub(1) else { return true };
        let Some(t) = self.toks.get(j) else { return true };
        match t.kind {
            TokenKind::Quote => true,
            TokenKind::Punct => matches!(t.text(self.text), "(" | "[" | ":" | "—" | "–" | "-" | "•" | "*" | "…"),
            // "1. Item" list numbering
            TokenKind::Number => j == 0,
            _ => false,
        }
    }

    /// A capitalized word whose capital may be only the sentence's or the headline's.
    fn weak_capital(&self, i: usize) -> bool {
        let w = self.w(i);
        let g = self.g;
        if is_acronym(w) {
            return false;
        }
        (self.title_case || self.is_initial(i)) && (g.is_common_word(w) || !g.has_casing() && is_in(FALLBACK_COMMON, w))
    }

    fn span(&self, a: usize, b: usize) -> ByteSpan {
        ByteSpan::new(self.toks[a].start, self.toks[b - 1].end)
    }
}

/// Without a casing lexicon, the commonest sentence openers.
const FALLBACK_COMMON: &[&str] = &[
    "The", "A", "An", "It", "He", "She", "They", "We", "You", "This", "That", "These", "Those", "There", "Here", "When",
    "While", "After", "Before", "But", "And", "Or", "If", "In", "On", "At", "For", "With", "As", "By", "From", "Our",
    "His", "Her", "Their", "Its", "My", "Your", "Some", "Many", "Most", "All", "No", "Not", "So", "Yet", "Also",
    "Questions", "However", "Meanwhile", "Officials", "Police", "Asked", "According", "Despite", "During", "Since",
];

fn mention(span: ByteSpan, etype: EntityType, sentence: usize, confidence: f32) -> EntityMention {
    EntityMention { span, etype, subtype: None, canonical: None, external_id: None, sentence, confidence, kind: MentionKind::Name }
}

/// "NEW YORK" → "New York": how the gazetteer spells a name a dateline shouts.
fn title_case(surface: &str) -> String {
    surface
        .split(' ')
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|f| f.to_string() + &cs.as_str().to_lowercase()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A mention for a gazetteer place.
fn place_mention(span: ByteSpan, p: &Place, surface: &str, sentence: usize, confidence: f32) -> EntityMention {
    let (etype, canonical) = match p.kind {
        PlaceKind::Demonym => (EntityType::Other, p.canonical.clone()),
        _ => (EntityType::Location, p.canonical.clone()),
    };
    EntityMention {
        span,
        etype,
        subtype: Some(p.kind.subtype().to_string()),
        canonical: (canonical != surface).then_some(canonical),
        external_id: p.external_id(),
        sentence,
        confidence,
        kind: MentionKind::Name,
    }
}

// ---------------------------------------------------------------------------
// Fall-back chunker

fn chunk_sentence(ctx: &SentCtx, out: &mut Vec<EntityMention>) {
    let n = ctx.toks.len();
    let mut i = 0;
    while i < n {
        if !ctx.is_cap_word(i) {
            i += 1;
            continue;
        }
        let w = ctx.w(i);
        if is_month_or_weekday(w) || is_in(NEVER_NAMES, w) && !ctx.is_cap_word(i + 1) {
            i += 1;
            continue;
        }
        // "Christmas Day", "New Year's Eve": skip the whole day name
        if is_in(HOLIDAYS, w) || w == "New" && ctx.w(i + 1) == "Year" {
            i += 1;
            while ctx.is_cap_word(i) {
                i += 1;
            }
            continue;
        }
        let end = extend_chunk(ctx, i);
        type_chunk(ctx, i, end, out);
        i = end.max(i + 1);
    }
}

/// End (exclusive token index) of the capitalized sequence starting at `i`.
fn extend_chunk(ctx: &SentCtx, i: usize) -> usize {
    let n = ctx.toks.len();
    let mut end = i + 1;
    let mut j = i + 1;
    while j < n {
        let prev = ctx.w(j - 1);
        let gap_ok = !ctx.text[ctx.toks[j - 1].end..ctx.toks[j].start].contains('\n');
        if !gap_ok {
            break;
        }
        let w = ctx.w(j);
        if ctx.is_cap_word(j) {
            if is_in(WEEKDAYS, w) || is_in(MONTHS, w) && !is_in(NAME_MONTHS, w) {
                break;
            }
            // In a title-case headline every word is capitalized: common words end a name.
            if ctx.title_case && ctx.weak_capital(j) && !gaz_is_safe(ctx, j) && !is_org_cue(w) {
                break;
            }
            end = j + 1;
            j += 1;
            continue;
        }
        // "Gen. Smith", "George W. Bush", "St. Petersburg"
        if w == "." && ctx.glued(j - 1) && ctx.is_cap_word(j + 1) {
            let abbrev = is_title_head(prev) || prev == "St" || prev.chars().count() == 1 && starts_upper(prev);
            if abbrev {
                j += 1;
                continue;
            }
            break;
        }
        // "Rolls-Royce", "al-Assad", "O'Brien"
        if matches!(w, "-" | "'" | "’") && ctx.glued(j - 1) && ctx.glued(j) && ctx.is_cap_word(j + 1) {
            let apostrophe_ok = w == "-" || matches!(prev, "O" | "D" | "d" | "N");
            if apostrophe_ok {
                j += 1;
                continue;
            }
            break;
        }
        if ctx.is_word(j) && is_in(NAME_CONNECTORS, w) {
            let next_cap = ctx.is_cap_word(j + 1) || ctx.w(j + 1) == "-" && ctx.is_cap_word(j + 2);
            // "Agency for Technical Relief", "Committee on Foreign Affairs"
            let ok = match w {
                "of" => is_in(OF_HEADS, prev),
                "for" | "on" => is_org_cue(prev),
                _ => !ctx.is_initial(j),
            };
            if next_cap && ok && !is_month_or_weekday(ctx.w(j + 1)) {
                j += 1;
                continue;
            }
        }
        break;
    }
    end
}

/// Words of a chunk (token indices of word tokens only).
fn chunk_words(ctx: &SentCtx, a: usize, b: usize) -> Vec<usize> {
    (a..b).filter(|&k| ctx.is_word(k)).collect()
}

fn type_chunk(ctx: &SentCtx, a: usize, b: usize, out: &mut Vec<EntityMention>) {
    let mut a = a;
    // Leading weak capitals: "Questions have been asked", "When Kirillov left".
    // An organization name keeps its first word ("(Security Service of
    // Ukraine)"); only function words go.
    let has_cue = (a + 1..b).any(|k| is_org_cue(ctx.w(k)));
    while a < b
        && ctx.is_word(a)
        && ctx.weak_capital(a)
        && !is_title_head(ctx.w(a))
        && !gaz_is_safe(ctx, a)
        && (!has_cue || is_in(FALLBACK_COMMON, ctx.w(a)) || {
            let (lc, uc) = ctx.g.casing(ctx.w(a));
            lc >= 10 * uc.max(1)
        })
    {
        a += 1;
        while a < b && !ctx.is_cap_word(a) {
            a += 1;
        }
    }
    while a < b && (is_in(NEVER_NAMES, ctx.w(a)) || !ctx.is_cap_word(a)) {
        a += 1;
    }
    let mut b = b;
    while b > a && !ctx.is_word(b - 1) {
        b -= 1;
    }
    // Post-nominal letters are no part of the name: "Guy Mansfield QC".
    while b > a + 1 && is_in(POST_NOMINALS, ctx.w(b - 1)) {
        b -= 1;
        while b > a && !ctx.is_word(b - 1) {
            b -= 1;
        }
    }
    while b > a && is_in(NAME_CONNECTORS, ctx.w(b - 1)) {
        b -= 1;
    }
    if a >= b {
        return;
    }
    let words = chunk_words(ctx, a, b);
    let text = ctx.text;
    let surface = &text[ctx.toks[a].start..ctx.toks[b - 1].end];

    if let Some(subtype) = known_org_subtype(surface) {
        let mut m = mention(ctx.span(a, b), EntityType::Organization, ctx.sentence, 0.8);
        m.subtype = Some(subtype.into());
        out.push(m);
        return;
    }

    // Single letters and common-noun acronyms ("TV", "GDP", "MPs") are no names.
    if surface.chars().count() == 1 || is_in(NOUN_ACRONYMS, surface) {
        return;
    }
    // The whole chunk is a place (or a demonym).
    let mut buf = String::new();
    if let Some((n, cands)) = ctx.g.longest_match_buf(text, ctx.toks, a, &mut buf) {
        // "U.S." : the chunk stops before the final period the name has
        let b = if a + n > b && (b..a + n).all(|k| ctx.w(k) == ".") { a + n } else { b };
        let p = ctx.g.place(cands[0]);
        // A town named by a common word ("Sale", "Man", "Reading") needs a
        // place-like context: "in Reading", "Reading, England".
        let word_town = words.len() == 1 && p.kind == PlaceKind::City && p.population < 1_000_000 && ctx.g.is_common_word(surface) && {
            let prev = if a > 0 { ctx.w(a - 1) } else { "" };
            let locative = matches!(prev, "in" | "at" | "near" | "from" | "to" | "outside" | "of" | "around");
            !(locative || ctx.w(b) == "," && ctx.is_cap_word(b + 1))
        };
        if a + n == b && !word_town {
            if !(words.len() == 1 && ctx.weak_capital(a) && !gaz_is_safe(ctx, a)) {
                out.push(place_mention(ctx.span(a, b), p, surface, ctx.sentence, 0.9));
            }
            return;
        }
    }
    // A title and a name: "Russian President Vladimir Putin", "Gen. Smith".
    if let Some((ts, te)) = title_in(ctx, &words) {
        let name_start = words[te];
        let name_words = &words[te..];
        let all_common = name_words.iter().all(|&k| ctx.g.is_common_word(ctx.w(k)));
        let org_in_name = name_words.iter().any(|&k| is_org_cue(ctx.w(k)));
        if !all_common && !org_in_name {
            if ts > 0 {
                type_chunk(ctx, a, words[ts - 1] + 1, out);
            }
            out.push(mention(ctx.span(name_start, b), EntityType::Person, ctx.sentence, 0.85));
            return;
        }
    }
    // Only title words ("Shadow Secretary of State"): no name.
    if words.iter().all(|&k| {
        let w = ctx.w(k);
        is_title_head(w) || is_in(TITLE_MODIFIERS, w) || w == "of" || !starts_upper(w)
    }) {
        return;
    }

    // Two places joined by a hyphen: "Russia-Ukraine".
    if surface.contains('-') {
        let mut pieces = Vec::new();
        let mut k = a;
        let mut all_places = true;
        while k < b {
            match ctx.g.longest_match_buf(text, ctx.toks, k, &mut buf) {
                Some((n, c)) if k + n <= b => {
                    pieces.push((k, k + n, ctx.g.place(c[0])));
                    k += n;
                    if k < b && ctx.w(k) == "-" {
                        k += 1;
                    }
                }
                _ => {
                    all_places = false;
                    break;
                }
            }
        }
        if all_places && pieces.len() > 1 {
            for (s, e, p) in pieces {
                out.push(place_mention(ctx.span(s, e), p, &text[ctx.toks[s].start..ctx.toks[e - 1].end], ctx.sentence, 0.85));
            }
            return;
        }
    }

    // Organization cue words: "Investigative Committee", "Bank of England".
    if words.iter().any(|&k| is_org_cue(ctx.w(k))) && (words.len() > 1 || is_in(LONE_CUES, surface)) {
        // a lone cue word ("Parliament", "Army") is still an organization name in news
        out.push(mention(ctx.span(a, b), EntityType::Organization, ctx.sentence, 0.75));
        return;
    }
    // Datelines and shouted headlines: "MOSCOW (Reuters)", "NEW YORK".
    if surface.chars().all(|c| !c.is_lowercase()) && surface.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
        if let Some(&c) = ctx.g.lookup(&super::gazetteer::name_key(&title_case(surface))).first() {
            let p = ctx.g.place(c);
            if p.kind != PlaceKind::Demonym {
                out.push(place_mention(ctx.span(a, b), p, surface, ctx.sentence, 0.8));
                return;
            }
        }
    }
    // "U.N.": initials with periods
    if words.len() >= 2 && words.iter().all(|&k| ctx.w(k).chars().count() == 1 && starts_upper(ctx.w(k))) {
        let b = if ctx.w(b) == "." && ctx.glued(b - 1) { b + 1 } else { b };
        out.push(mention(ctx.span(a, b), EntityType::Organization, ctx.sentence, 0.6));
        return;
    }
    // A common word in capitals ("SOCCER", "DIVISION") is a section header, not an acronym.
    if words.len() == 1 && !surface.chars().any(char::is_lowercase) && {
        let (lc, uc) = ctx.g.casing(surface);
        surface.chars().count() >= 4 && lc >= 3 || lc >= 10 * uc.max(1)
    } {
        return;
    }
    if words.len() == 1 && is_acronym(ctx.w(a)) {
        out.push(mention(ctx.span(a, b), EntityType::Organization, ctx.sentence, 0.7));
        return;
    }
    // Buildings and geographic features: "Coudenberg Palace", "River Thames".
    let first_w = ctx.w(words[0]);
    let last_w = ctx.w(words[words.len() - 1]);
    if words.len() >= 2 && (is_in(FACILITY_WORDS, last_w) || is_in(GEO_WORDS, last_w) || is_in(GEO_WORDS, first_w)) {
        let mut m = mention(ctx.span(a, b), EntityType::Location, ctx.sentence, 0.7);
        m.subtype = Some(if is_in(FACILITY_WORDS, last_w) { "facility" } else { "region" }.into());
        out.push(m);
        return;
    }
    // "the Kursk region", "Donetsk oblast"
    let next = ctx.w(b);
    if is_in(REGION_NOUNS, next) {
        let mut m = mention(ctx.span(a, b), EntityType::Location, ctx.sentence, 0.7);
        m.subtype = Some("region".into());
        out.push(m);
        return;
    }
    // Two to four name words: a person ("Darya Dugina", "Theresa May"). The
    // first must look like a name (rarely written in lower case); none may be
    // a place, a nationality, or a word names do not contain.
    let has_of = (a..b).any(|k| ctx.w(k) == "of");
    if words.len() >= 2 && words.len() <= 4 && !has_of {
        let caps: Vec<usize> = words.iter().copied().filter(|&k| ctx.is_cap_word(k)).collect();
        let mut key = String::new();
        // Countries, nationalities and big cities are no name words; small
        // towns often are ("Taylor", "David").
        let mut blocks_name = |k: usize| match ctx.g.longest_match_buf(text, ctx.toks, k, &mut key) {
            Some((_, c)) => {
                let p = ctx.g.place(c[0]);
                // small capitals are common names too ("Douglas", "Victoria")
                !matches!(p.kind, PlaceKind::City | PlaceKind::State) || p.population >= 1_000_000
            }
            None => false,
        };
        let strong = |w: &str| {
            let (lc, uc) = ctx.g.casing(w);
            lc < 2 || uc >= 3 * lc
        };
        let first = caps.first().copied();
        let first_ok = first.is_some_and(|k| {
            let w = ctx.w(k);
            w.chars().skip(1).any(char::is_lowercase) && !ctx.g.is_common_word(w)
        });
        let first_strong = first.is_some_and(|k| strong(ctx.w(k)));
        let last = caps.last().copied();
        let fine = |k: usize, blocks: &mut dyn FnMut(usize) -> bool| {
            let w = ctx.w(k);
            if is_in(NOT_NAME_WORDS, w) || is_acronym(w) || is_title_head(w) || blocks(k) {
                return false;
            }
            // "Theresa May", "Gordon Brown": a common word may end a name,
            // never sit inside one ("Dungeon Keeper", "Film Critics").
            let (lc, uc) = ctx.g.casing(w);
            let surname_like = uc * 3 >= lc || is_in(NAME_MONTHS, w);
            !ctx.g.is_common_word(w)
                || Some(k) != first && Some(k) == last && first_strong && surname_like && (!w.ends_with('s') || w.ends_with("ss"))
        };
        let all_fine = caps.iter().all(|&k| fine(k, &mut blocks_name));
        if caps.len() >= 2 && first_ok && all_fine {
            out.push(mention(ctx.span(a, b), EntityType::Person, ctx.sentence, 0.6));
            return;
        }
    }
    // A very common word capitalized alone ("the Yes campaign") is no name.
    if words.len() == 1 {
        let (lc, uc) = ctx.g.casing(ctx.w(a));
        if lc >= 5 * uc.max(1) {
            return;
        }
    }
    // "in Donbas", "near Bakhmut"
    let prev = if a > 0 { ctx.w(a - 1) } else { "" };
    let camel = words.iter().any(|&k| ctx.w(k).chars().skip(1).any(char::is_uppercase));
    if !camel && words.len() <= 2 && matches!(prev, "near" | "outside" | "across" | "towards" | "toward") {
        out.push(mention(ctx.span(a, b), EntityType::Location, ctx.sentence, 0.5));
        return;
    }
    if words.len() == 1 && ctx.weak_capital(a) {
        return;
    }
    out.push(mention(ctx.span(a, b), EntityType::Other, ctx.sentence, 0.4));
}

/// A single-word place whose capital is weak is kept only if it is a country
/// or a big city whose name is no common word ("Turkey" yes, "Nice" no).
fn gaz_is_safe(ctx: &SentCtx, i: usize) -> bool {
    let mut buf = String::new();
    match ctx.g.longest_match_buf(ctx.text, ctx.toks, i, &mut buf) {
        Some((n, _)) if n > 1 => true,
        Some((_, c)) => {
            let p = ctx.g.place(c[0]);
            let (lc, uc) = ctx.g.casing(ctx.w(i));
            matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym) && uc >= lc || lc < 3
        }
        None => false,
    }
}

/// A title inside a chunk: (index in `words` of its first word, index just
/// after its last word), when at least one name word follows it.
fn title_in(ctx: &SentCtx, words: &[usize]) -> Option<(usize, usize)> {
    // a title word inside a hyphenated name is none ("Dick King-Smith")
    let hyphened = |t: usize| ctx.w(t + 1) == "-" && ctx.glued(t) || t > 0 && ctx.w(t - 1) == "-" && ctx.glued(t - 1);
    let heads: Vec<usize> = (0..words.len()).filter(|&k| is_title_head(ctx.w(words[k])) && !hyphened(words[k])).collect();
    let &h = heads.last()?;
    let mut te = h + 1;
    // "Secretary of State Antony Blinken"
    if te + 2 < words.len() && ctx.w(words[te]) == "of" {
        te += 2;
    }
    // The title ends the chunk ("Mr Putin" style needs a name after it), or
    // only its complement follows ("the Mayor of London").
    if te >= words.len() || ctx.w(words[te]) == "of" || !starts_upper(ctx.w(words[te])) {
        return None;
    }
    let mut ts = h;
    while ts > 0 {
        let w = ctx.w(words[ts - 1]);
        if is_title_head(w) || is_in(TITLE_MODIFIERS, w) {
            ts -= 1;
        } else {
            break;
        }
    }
    Some((ts, te))
}

// ---------------------------------------------------------------------------
// Tagger spans

/// Where the person's name starts in a tagged span that ends in a title and
/// a name ("Chancellor Gordon Brown", "US Attorney David Kelley", "Prince
/// Harry"), which the tagger had called an organization or a place: after a
/// title head, a known first name and a surname, or the one first name of a
/// royal title that opens the span. What comes before is no part of the name.
fn titled_name_start(text: &str, toks: &[Token], a: usize, b: usize) -> Option<usize> {
    let w = |k: usize| toks[k].text(text);
    let opens_title = |k: usize| starts_upper(w(k)) && (is_title_head(w(k)) || is_in(TITLE_MODIFIERS, w(k)));
    if b < a + 2 {
        return None;
    }
    let name_word = |k: usize| {
        toks[k].kind == TokenKind::Word && starts_upper(w(k)) && !is_title_head(w(k)) && !is_in(TITLE_MODIFIERS, w(k)) && !is_in(ORG_CUES, w(k))
            && !is_in(NOT_NAME_WORDS, w(k))
            && !is_in(FACILITY_WORDS, w(k))
            && !is_in(GEO_WORDS, w(k))
    };
    let k = (a + 1..b).find(|&k| super::coref::is_first_name(w(k)))?;
    let royal = matches!(w(k - 1), "Prince" | "Princess" | "King" | "Queen");
    let fits = (k + 1..=k + 3).contains(&b) && (b > k + 1 || royal && opens_title(a)) && (k..b).all(name_word) && is_title_head(w(k - 1));
    fits.then_some(k)
}

fn from_tagger(text: &str, analysis: &Analysis, spans: &[NerSpan], g: &Gazetteer, out: &mut Vec<EntityMention>) {
    let toks = &analysis.tokens;
    let sentence_of = |ti: usize| analysis.sentences.partition_point(|s| s.tokens.end <= ti);
    let mut covered: Vec<ByteSpan> = Vec::with_capacity(spans.len());
    let mut buf = String::new();
    for sp in spans {
        let (mut a, mut b) = (sp.tokens.start, sp.tokens.end.min(toks.len()));
        if a >= b {
            continue;
        }
        // Possessives never belong to a name; titles are not part of a person's name.
        while b > a && (possessive_at(text, &toks[..b], b - 1).is_some() || matches!(toks[b - 1].text(text), "'" | "’" | "s") && b - 1 > a && matches!(toks[b - 2].text(text), "'" | "’")) {
            b -= if matches!(toks[b - 1].text(text), "s") { 2 } else { 1 };
        }
        // "the Shadow Secretary for the Family, Theresa May,": the tagger ran
        // a title's tail into the name in apposition after it. Of the 14
        // CoNLL-2003 training names with a comma, none has a first name after it.
        let appositive = (a + 1..b.saturating_sub(2)).find(|&k| {
            toks[k].text(text) == ","
                && super::coref::is_first_name(toks[k + 1].text(text))
                && toks[k + 2].text(text).starts_with(char::is_uppercase)
        });
        if let Some(k) = appositive {
            a = k + 1;
        }
        b = run_on_end(text, toks, a, b);
        while b > a && matches!(toks[b - 1].kind, TokenKind::Punct | TokenKind::Quote) {
            b -= 1;
        }
        while a < b && matches!(toks[a].kind, TokenKind::Punct | TokenKind::Quote) {
            a += 1;
        }
        // "Mr Ebbers" is a person whatever the tagger thought.
        let honorific = |k: usize| toks.get(k).is_some_and(|t| matches!(t.text(text), "Mr" | "Mrs" | "Ms" | "Miss" | "Mr." | "Mrs." | "Ms."));
        // "Lord Falconer", "Dr Patel": a title and one or two more capitalised
        // words ("Lord of the Rings" has a lower-case word, so stays a title)
        let styled = (2..=3).contains(&(b - a))
            && matches!(toks[a].text(text), "Lord" | "Lady" | "Baroness" | "Sir" | "Dame" | "Dr" | "Dr." | "Prof" | "Professor")
            && (a + 1..b).all(|k| {
                let w = toks[k].text(text);
                // "Lord Chancellor", "Lord Chief Justice" are offices
                toks[k].kind == TokenKind::Word && w.starts_with(char::is_uppercase) && !is_title_head(w) && !is_in(TITLE_MODIFIERS, w)
            });
        let mut etype = if appositive.is_some() || styled || b - a >= 2 && honorific(a) || a > 0 && honorific(a - 1) || a > 1 && toks[a - 1].text(text) == "." && honorific(a - 2) {
            EntityType::Person
        } else {
            sp.etype
        };
        if etype != EntityType::Person {
            if let Some(k) = titled_name_start(text, toks, a, b) {
                a = k;
                etype = EntityType::Person;
            }
        }
        if etype == EntityType::Person {
            while a + 1 < b && (is_title_head(toks[a].text(text)) || toks[a].text(text) == ".") {
                a += 1;
            }
        }
        // a lone "Mr" or "Dr" names nobody (the tagger split it from its name)
        if a >= b || b - a == 1 && matches!(toks[a].text(text).trim_end_matches('.'), "Mr" | "Mrs" | "Ms" | "Dr" | "Prof" | "Sir") {
            continue;
        }
        let si = sentence_of(a);
        // "London-based", "US-led", "Jackson-style" (one token): the name is before the hyphen.
        let modifier_cut = toks[b - 1]
            .text(text)
            .rsplit_once('-')
            .filter(|(name, suffix)| !name.is_empty() && NAME_SUFFIXES.iter().any(|x| x.eq_ignore_ascii_case(suffix)))
            .map(|(name, _)| toks[b - 1].start + name.len());
        let span = ByteSpan::new(toks[a].start, modifier_cut.unwrap_or(toks[b - 1].end));
        let surface = span.text(text);
        let mut m = mention(span, etype, si, sp.confidence);
        // A place in capitals ("MILAN, March 3 (Reuters) -", a shouted headline) is
        // looked up as written in lower case after its first letters.
        // The whole span looked up as spelled here (not token by token).
        let lookup_as = |name: &str| Some(g.lookup(&super::gazetteer::name_key(name))).filter(|c| !c.is_empty()).map(|c| (b - a, c));
        let shouted = || {
            (surface.chars().filter(|c| c.is_alphabetic()).count() >= 4 && !surface.chars().any(char::is_lowercase))
                .then(|| lookup_as(&title_case(surface)))
                .flatten()
        };
        let place = match modifier_cut {
            // the tokens end in the modifier: look the name up as cut
            Some(_) => lookup_as(surface),
            None => g.longest_match_buf(text, toks, a, &mut buf).or_else(shouted),
        };
        if let Some((n, c)) = place {
            if a + n == b {
                let p = g.place(c[0]);
                let take = match (p.kind, etype) {
                    (_, EntityType::Person) => false,
                    (PlaceKind::Demonym, _) => true,
                    (PlaceKind::Country, _) => true,
                    (PlaceKind::City, EntityType::Organization) => p.is_capital(),
                    _ => true,
                };
                if take {
                    m = place_mention(span, p, surface, si, sp.confidence.max(0.8));
                }
            }
        }
        if let Some(subtype) = known_org_subtype(surface) {
            // A news agency is an organization whatever the tagger thought ("AFP" as a place).
            if m.etype == EntityType::Organization || subtype == "media" {
                m.etype = EntityType::Organization;
                m.subtype = Some(subtype.into());
                m.external_id = None;
            }
        }
        // "Widget Inc.", "Acme Holdings Ltd": a legal form makes a company, whatever the tagger thought.
        let last_word = (a..b).rev().map(|k| toks[k].text(text)).find(|w| *w != ".").unwrap_or("");
        if b - a >= 2 && m.etype != EntityType::Organization && is_in(LEGAL_FORMS, last_word.trim_end_matches('.')) {
            m.etype = EntityType::Organization;
            m.subtype = Some("company".into());
            m.external_id = None;
        }
        // "Storm Elin", "Hurricane Katrina": a named storm is no place or person.
        if matches!(toks[a].text(text), "Storm" | "Hurricane" | "Typhoon" | "Cyclone" | "Tropical") && b - a >= 2 {
            m.etype = EntityType::Other;
            m.subtype = Some("storm".into());
            m.external_id = None;
        }
        // "the Feijenoord district", "the Amazon river": a place-kind noun
        // after the name says what it is, whatever the tagger thought
        // ("state" and "republic" also follow organizations: "Kremlin state media").
        let next = toks.get(b).map_or("", |t| t.text(text));
        if matches!(m.etype, EntityType::Organization | EntityType::Other)
            && is_in(REGION_NOUNS, next)
            && !matches!(next, "state" | "republic")
        {
            m.etype = EntityType::Location;
            m.subtype = Some("region".into());
        }
        covered.push(span);
        out.push(m);
    }
    // The agency a dateline credits ("LONDON (AP) -") is an organization even where the tagger saw nothing.
    if let Some(agency) = analysis.dateline.as_ref().and_then(|d| d.agency.clone()) {
        let a = toks.partition_point(|t| t.start < agency.start);
        let b = toks.partition_point(|t| t.end <= agency.end);
        if a < b && toks[a].text(text).starts_with(char::is_uppercase) {
            let span = ByteSpan::new(toks[a].start, toks[b - 1].end);
            if !covered.iter().any(|c| c.overlaps(&span)) {
                let mut m = mention(span, EntityType::Organization, sentence_of(a), 0.8);
                m.subtype = Some("media".into());
                covered.push(span);
                out.push(m);
            }
        }
    }
    // Places the tagger missed.
    covered.sort();
    for (si, s) in analysis.content_sentences() {
        let ctx = SentCtx::new(text, analysis, si, g);
        let mut i = 0;
        while i < ctx.toks.len() {
            if !ctx.is_cap_word(i) {
                i += 1;
                continue;
            }
            let Some((n, c)) = g.longest_match_buf(text, ctx.toks, i, &mut buf) else {
                i += 1;
                continue;
            };
            let span = ctx.span(i, i + n);
            let clash = covered.iter().any(|c| c.overlaps(&span));
            let weak = n == 1 && ctx.weak_capital(i) && !gaz_is_safe(&ctx, i);
            // "Moscow" inside "Moscow Metro": the next word is capitalized, leave it to the tagger
            let inside_name = ctx.is_cap_word(i + n) || i > 0 && ctx.is_cap_word(i - 1) && !ctx.is_initial(i - 1);
            if !clash && !weak && !inside_name {
                out.push(place_mention(span, g.place(c[0]), span.text(text), si, 0.7));
            }
            let _ = s;
            i += n;
        }
    }
}

/// Lower-case words that end a name when the tagger runs on past it: verbs,
/// clause words and pronouns ("Wembley Stadium is", "Act, which obliges").
/// Names' own lower-case words are connectors ("Bank of England", "van
/// Gogh"), which are never in this list.
const CLAUSE_WORDS: &[&str] = &[
    "is", "was", "were", "are", "be", "been", "being", "has", "have", "had", "having", "said", "says", "say", "will",
    "would", "could", "can", "may", "might", "should", "must", "did", "does", "do", "who", "which", "that", "whose",
    "whom", "where", "when", "while", "according", "also", "not", "he", "she", "it", "they", "we", "there", "his",
    "her", "its", "their", "last", "this", "these", "those",
];

/// Where a tagged name really ends (token index, at most `b`): before the
/// first comma, semicolon, bracket or dash that lower-case words follow, and
/// before the first lower-case verb or clause word. The document-level NER
/// pass sometimes runs a name on into the clause ("Civil Service Pension
/// Scheme, and hoped to"); no CoNLL-2003 training name has either.
fn run_on_end(text: &str, toks: &[Token], a: usize, b: usize) -> usize {
    let lower = |k: usize| toks.get(k).is_some_and(|t| t.kind == TokenKind::Word && t.text(text).starts_with(|c: char| c.is_lowercase()));
    for k in a + 1..b {
        let w = toks[k].text(text);
        // a spaced dash only: "Rolls-Royce" may be split at its hyphen
        let spaced = toks[k].start > toks[k - 1].end;
        let breaks_clause = (matches!(w, "," | ";" | "(" | ")") || spaced && matches!(w, "-" | "–" | "—")) && lower(k + 1);
        let verbish = lower(k) && (is_in(CLAUSE_WORDS, w) || w.len() > 3 && w.ends_with("ed") || w.len() > 4 && w.ends_with("ing"));
        // "Mr Ebbers' trial", "Act's least popular": a possessor, not the name
        let possessor = matches!(w, "'" | "’") && if toks.get(k + 1).is_some_and(|t| t.text(text) == "s") { lower(k + 2) } else { lower(k + 1) };
        // "Paris Club of creditor nations", "Federation and one": a connector
        // joins names, not a name and a common noun
        let common_after_connector = lower(k) && !is_connector(w) && is_connector(toks[k - 1].text(text));
        if breaks_clause || verbish || possessor || common_after_connector {
            // trailing connectors left behind ("Bank of") go too
            let mut end = k;
            while end > a + 1 && is_connector(toks[end - 1].text(text)) {
                end -= 1;
            }
            return end;
        }
    }
    b
}

/// Function words that join the parts of a name ("Bank of England", "Marks
/// & Spencer"), for cutting run-on names. Not [`NAME_CONNECTORS`]: those are
/// what the chunker lets into a name, particles ("van", "de") included, and
/// "and"/"the" excluded.
fn is_connector(w: &str) -> bool {
    matches!(w, "of" | "and" | "the" | "for" | "to" | "in" | "on" | "at" | "a" | "an" | "&")
}

/// Places with several candidates ("Georgia", "Birmingham") take the one
/// whose country the rest of the document is about: the place right after a
/// comma ("Birmingham, Alabama"), else the countries of its unambiguous places.
fn disambiguate_places(text: &str, g: &Gazetteer, ms: &mut [EntityMention]) {
    let cands_of = |m: &EntityMention| -> Vec<&Place> {
        if m.external_id.is_none() {
            return Vec::new();
        }
        let key = super::gazetteer::name_key(m.span.text(text));
        g.lookup(&key).iter().map(|&c| g.place(c)).filter(|p| p.kind != PlaceKind::Demonym).collect()
    };
    let all: Vec<Vec<&Place>> = ms.iter().map(cands_of).collect();
    let mut votes: BTreeMap<&str, u32> = BTreeMap::new();
    for c in &all {
        if let Some(first) = c.first() {
            if c.iter().all(|p| p.cc == first.cc) {
                *votes.entry(first.cc.as_str()).or_default() += 1;
            }
        }
    }
    for i in 0..ms.len() {
        let c = &all[i];
        if c.len() < 2 || c.iter().all(|p| p.cc == c[0].cc && p.kind == c[0].kind) {
            continue;
        }
        // "Birmingham, Alabama": the next place names the container
        let gap = ms.get(i + 1).and_then(|n| text.get(ms[i].span.end..n.span.start)).unwrap_or("");
        let next = all.get(i + 1).and_then(|n| n.first()).filter(|_| gap.trim() == ",");
        let pick = match next {
            Some(n) => c.iter().position(|p| p.cc == n.cc && (n.kind != PlaceKind::State || p.admin1.trim_end_matches('=') == n.admin1)),
            None => {
                let score = |p: &Place| votes.get(p.cc.as_str()).copied().unwrap_or(0);
                let best = (0..c.len()).max_by_key(|&k| (score(c[k]), std::cmp::Reverse(k)));
                best.filter(|&k| score(c[k]) > score(c[0]))
            }
        };
        if let Some(k) = pick.filter(|&k| k != 0) {
            let surface = ms[i].span.text(text);
            let (span, sentence, conf) = (ms[i].span, ms[i].sentence, ms[i].confidence);
            ms[i] = place_mention(span, c[k], surface, sentence, conf);
        }
    }
}

/// "the Russian capital" names Moscow: a nationality followed by "capital"
/// becomes a mention of the country's capital city.
fn capitals(text: &str, g: &Gazetteer, ms: &mut [EntityMention]) {
    for m in ms.iter_mut() {
        if m.subtype.as_deref() != Some("nationality") {
            continue;
        }
        let rest = &text[m.span.end..];
        let Some(after) = rest.strip_prefix(' ') else { continue };
        if !after.starts_with("capital") || after[7..].chars().next().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let key = super::gazetteer::name_key(m.key(text));
        let Some(dem) = g.lookup(&key).iter().map(|&c| g.place(c)).find(|p| p.kind == PlaceKind::Demonym) else { continue };
        let Some(city) = g.capital(&dem.cc) else { continue };
        let span = ByteSpan::new(m.span.start, m.span.end + 1 + "capital".len());
        *m = place_mention(span, city, span.text(text), m.sentence, 0.8);
        // A description of the city, not one of its names.
        m.kind = MentionKind::Description;
    }
}

// ---------------------------------------------------------------------------
// In-document coreference of names

/// A description set off after a name: "Igor Kirillov, the head of the
/// Russian military's chemical weapons unit, ...".
#[derive(Debug, Clone, PartialEq)]
pub struct Apposition {
    /// Index of the named entity in the mention list.
    pub head: usize,
    /// The description, without its commas.
    pub span: ByteSpan,
    /// Token range of the description in `Analysis::tokens`.
    pub tokens: std::ops::Range<usize>,
}

/// Role nouns that make an apposition's head a person.
const PERSON_ROLES: &[&str] = &[
    "head", "chief", "leader", "president", "minister", "spokesman", "spokeswoman", "spokesperson", "director",
    "founder", "chairman", "chairwoman", "general", "commander", "officer", "soldier", "official", "member", "son",
    "daughter", "wife", "husband", "mother", "father", "brother", "sister", "widow", "journalist", "correspondent",
    "reporter", "writer", "author", "actor", "actress", "singer", "player", "striker", "midfielder", "defender",
    "goalkeeper", "coach", "manager", "ceo", "executive", "lawyer", "judge", "prosecutor", "analyst", "professor",
    "expert", "economist", "politician", "lawmaker", "senator", "mp", "mayor", "governor", "ambassador", "envoy",
    "citizen", "resident", "man", "woman", "boy", "girl", "student", "doctor", "activist", "blogger", "businessman",
    "businesswoman", "billionaire", "tycoon", "oligarch", "secretary", "deputy", "adviser", "advisor", "aide",
    "colonel", "captain", "sergeant", "lieutenant", "nationalist", "dissident", "opponent", "critic", "researcher",
    "scientist", "teacher", "priest", "bishop", "champion", "star", "winner", "designer", "founder", "owner",
];
/// Role nouns that make an apposition's head an organization.
const ORG_ROLES: &[&str] = &[
    "company", "firm", "group", "agency", "party", "organisation", "organization", "bank", "maker", "manufacturer",
    "producer", "retailer", "carrier", "airline", "broadcaster", "newspaper", "network", "service", "regulator",
    "watchdog", "charity", "union", "association", "club", "team", "movement", "militia", "alliance", "coalition",
    "university", "institute", "operator", "giant", "conglomerate", "developer", "insurer", "lender", "body",
];

/// Whether the lower-case `w` is a role noun that heads a person's apposition
/// ("executive", "official"): a noun whatever the POS tagger calls it.
pub fn is_person_role(w: &str) -> bool {
    is_in(PERSON_ROLES, w)
}

fn role_type(words: &[&str]) -> Option<EntityType> {
    // The role noun is the last word before "of/for/at/in/who/..." or the end.
    let mut last = None;
    for w in words {
        let l = w.to_ascii_lowercase();
        if matches!(l.as_str(), "of" | "for" | "at" | "in" | "who" | "which" | "that" | "with" | "from" | "on" | "and") {
            break;
        }
        last = Some(l);
    }
    let l = last?;
    if is_in(PERSON_ROLES, &l) {
        Some(EntityType::Person)
    } else if is_in(ORG_ROLES, &l) {
        Some(EntityType::Organization)
    } else {
        None
    }
}

/// Appositions after Person/Organization/Other mentions: ", the/a/an ...,"
/// or ", <lower-case role> of ...,".
pub fn appositions(text: &str, analysis: &Analysis, entities: &[EntityMention]) -> Vec<Apposition> {
    let toks = &analysis.tokens;
    let mut out = Vec::new();
    for (ei, m) in entities.iter().enumerate() {
        if m.etype == EntityType::Location {
            continue;
        }
        let Some(s) = analysis.sentences.get(m.sentence) else { continue };
        let ti = toks[s.tokens.clone()].partition_point(|t| t.end <= m.span.end) + s.tokens.start;
        // ti: first token after the mention
        if ti >= s.tokens.end || toks[ti].text(text) != "," {
            continue;
        }
        let d0 = ti + 1;
        let Some(first) = toks.get(d0).filter(|_| d0 < s.tokens.end) else { continue };
        let fw = first.text(text);
        let det = matches!(fw.to_ascii_lowercase().as_str(), "the" | "a" | "an" | "his" | "her" | "its" | "their");
        let lower = first.kind == TokenKind::Word && fw.chars().next().is_some_and(char::is_lowercase);
        if !(det || lower || is_title_head(fw)) {
            continue;
        }
        // Content words that start clauses are no appositions: ", said ...", ", who ...".
        // ", who heads ..." is kept for the relation finder.
        if matches!(fw, "which" | "that" | "said" | "says" | "and" | "but" | "or" | "was" | "is" | "had" | "has" | "when" | "where" | "while" | "as" | "if" | "after" | "before" | "because" | "although") {
            continue;
        }
        let mut d1 = d0;
        while d1 < s.tokens.end && d1 - d0 < 25 {
            let w = toks[d1].text(text);
            if matches!(w, "," | ";" | ":" | "(" | ")" | "—" | "–") || toks[d1].kind == TokenKind::Quote {
                break;
            }
            if w == "." && d1 + 1 == s.tokens.end {
                break;
            }
            d1 += 1;
        }
        if d1 == d0 || d1 - d0 >= 25 {
            continue;
        }
        out.push(Apposition { head: ei, span: ByteSpan::new(toks[d0].start, toks[d1 - 1].end), tokens: d0..d1 });
    }
    out
}

/// Words between two mentions, lower-cased, quotes and commas dropped.
fn between_words(text: &str, a: &EntityMention, b: &EntityMention) -> String {
    if b.span.start < a.span.end {
        return String::new();
    }
    let gap = &text[a.span.end..b.span.start];
    if gap.len() > 40 {
        return String::new();
    }
    let cleaned: String = gap
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '.' || c == '(' || c == ')' { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

const ALIAS_CUES: &[&str] = &[
    "known as", "also known as", "better known as", "also called", "called", "dubbed", "nicknamed", "alias", "aka",
    "a.k.a.", "also known by the name", "who goes by", "who uses the name", "under the name", "pen name",
    "whose real name is", "real name",
];

fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !matches!(*w, "of" | "the" | "and" | "for" | "de" | "on" | "&" | "in" | "The"))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

fn corefer(text: &str, analysis: &Analysis, ms: &mut [EntityMention]) {
    let n = ms.len();
    // Surface forms, fixed before canonicals change.
    let surf: Vec<&str> = ms.iter().map(|m| m.span.text(text)).collect();

    // 1. "X, known as Y"; "Expansion (ACR)" and "ACR (Expansion)".
    let mut acr: BTreeMap<String, (String, EntityType)> = BTreeMap::new();
    for i in 0..n.saturating_sub(1) {
        let j = i + 1;
        if ms[i].sentence != ms[j].sentence {
            continue;
        }
        let between = between_words(text, &ms[i], &ms[j]);
        if is_in(ALIAS_CUES, &between) {
            let (src, dst) = if between.contains("real name") { (j, i) } else { (i, j) };
            let key = ms[src].key(text).to_string();
            if ms[src].etype != EntityType::Other && ms[dst].external_id.is_none() {
                ms[dst].etype = ms[src].etype;
            }
            if ms[dst].external_id.is_none() {
                ms[dst].canonical = Some(key);
            }
            continue;
        }
        if between == "(" && text[ms[j].span.end..].trim_start().starts_with(')') {
            let (long, short) = if is_acronym(surf[j]) && !is_acronym(surf[i]) {
                (i, j)
            } else if is_acronym(surf[i]) && !is_acronym(surf[j]) {
                (j, i)
            } else {
                continue;
            };
            let key = ms[long].key(text).to_string();
            let t = if ms[long].etype == EntityType::Other { ms[short].etype } else { ms[long].etype };
            acr.insert(surf[short].to_string(), (key, t));
        }
    }
    // Initials of multi-word organization names: "North Atlantic Treaty Organization" → NATO.
    for i in 0..n {
        if ms[i].etype == EntityType::Organization && surf[i].contains(' ') {
            let ini = initials(surf[i]);
            if ini.len() >= 2 {
                acr.entry(ini).or_insert_with(|| (ms[i].key(text).to_string(), EntityType::Organization));
            }
        }
    }
    for i in 0..n {
        if let Some((key, t)) = acr.get(surf[i]) {
            if ms[i].external_id.is_none() && key != surf[i] {
                ms[i].canonical = Some(key.clone());
                ms[i].etype = *t;
            }
        }
    }

    // 2. Person name variants: "Putin" → "Vladimir Putin" (the nearest full
    // name before, else the first after); a title alone never defines one.
    struct Full {
        /// Its mention's index.
        mention: usize,
        start: usize,
        key: String,
        words: Vec<String>,
    }
    let mut fulls: Vec<Full> = Vec::new();
    for i in 0..n {
        if ms[i].etype != EntityType::Person {
            continue;
        }
        let words: Vec<String> = surf[i].split_whitespace().map(str::to_string).collect();
        if words.len() >= 2 {
            fulls.push(Full { mention: i, start: ms[i].span.start, key: ms[i].key(text).to_string(), words });
        }
    }
    let mut by_last_word: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_first_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (fi, f) in fulls.iter().enumerate() {
        if let (Some(first), Some(last)) = (f.words.first(), f.words.last()) {
            by_last_word.entry(last.as_str()).or_default().push(fi);
            by_first_word.entry(first.as_str()).or_default().push(fi);
        }
    }
    // The full name each mention was linked to (an index into `fulls`).
    let mut linked: Vec<Option<usize>> = vec![None; n];
    if !fulls.is_empty() {
        for i in 0..n {
            // A bare surname that is also a small town ("Taylor", "Kennedy")
            // is the person when the document names them in full.
            let small_town = ms[i].subtype.as_deref() == Some("city") && !surf[i].contains(' ') && {
                let key = super::gazetteer::name_key(surf[i]);
                let g = gazetteer();
                g.lookup(&key).first().is_some_and(|&c| {
                    let p = g.place(c);
                    p.kind == PlaceKind::City && !p.is_capital() && p.population < 1_000_000
                })
            };
            if !small_town && (ms[i].external_id.is_some() || ms[i].canonical.is_some() && ms[i].etype != EntityType::Person) {
                continue;
            }
            let words: Vec<&str> = surf[i].split_whitespace().collect();
            let pos = ms[i].span.start;
            let matches_full = |f: &Full, by_first: bool| {
                if words.len() >= f.words.len() {
                    return false;
                }
                if by_first {
                    words.len() == 1 && f.words[0] == words[0]
                } else {
                    f.words[f.words.len() - words.len()..].iter().zip(&words).all(|(a, b)| a == b)
                }
            };
            // Candidates come from an index by last (or first) word, in text order.
            let pick = |by_first: bool| -> Option<usize> {
                let index = if by_first { &by_first_word } else { &by_last_word };
                let key = if by_first { words.first() } else { words.last() };
                let list = key.and_then(|k| index.get(*k))?;
                let cut = list.partition_point(|&fi| fulls[fi].start < pos);
                // The nearest 64 each way: a name repeated thousands of times
                // must not make this scan quadratic.
                let before = list[..cut].iter().rev().take(64).copied().find(|&fi| matches_full(&fulls[fi], by_first));
                before.or_else(|| list[cut..].iter().take(64).copied().find(|&fi| fulls[fi].start > pos && matches_full(&fulls[fi], by_first)))
            };
            if let Some(fi) = pick(false).or_else(|| pick(true)) {
                let f = &fulls[fi];
                linked[i] = Some(fi);
                // Different people with one surname: only merge when the
                // mention is not itself the start of another full name.
                ms[i].canonical = Some(f.key.clone());
                ms[i].etype = EntityType::Person;
                if small_town {
                    ms[i].subtype = None;
                    ms[i].external_id = None;
                }
                ms[i].confidence = ms[i].confidence.max(0.7);
            }
        }
        // A "full" name can itself be a short form ("de Vries" of "Anna de
        // Vries"): follow its link, so that "Vries" after "de Vries" joins
        // the person too. Links go to other mentions; a few steps suffice.
        for i in 0..n {
            let mut at = linked[i];
            for _ in 0..4 {
                let Some(next) = at.and_then(|fi| linked[fulls[fi].mention]) else { break };
                at = Some(next);
            }
            if let Some(fi) = at.filter(|&fi| Some(fi) != linked[i]) {
                ms[i].canonical = Some(fulls[fi].key.clone());
            }
        }
    }

    // Short forms of organization names: "Altria" for "Altria Group".
    let mut orgs: HashMap<String, String> = HashMap::new();
    let org_list: Vec<(String, String)> = (0..n)
        .filter(|&i| ms[i].etype == EntityType::Organization && surf[i].contains(' '))
        .filter_map(|i| {
            let mut words: Vec<&str> = surf[i].split_whitespace().collect();
            while words.len() > 1 && words.last().is_some_and(|w| is_org_cue(w)) {
                words.pop();
            }
            (words.len() < surf[i].split_whitespace().count()).then(|| (words.join(" "), ms[i].key(text).to_string()))
        })
        .collect();
    for (short, key) in org_list {
        // the first organization with this short form wins
        if short != key {
            orgs.entry(short).or_insert(key);
        }
    }
    for i in 0..n {
        if ms[i].canonical.is_some() || ms[i].external_id.is_some() || ms[i].subtype.is_some() || ms[i].etype == EntityType::Person {
            continue;
        }
        if let Some(key) = orgs.get(surf[i]) {
            ms[i].canonical = Some(key.clone());
            ms[i].etype = EntityType::Organization;
        }
    }

    // 3. Appositions type their head: "Smith, a spokesman for ..." is a person.
    for ap in appositions(text, analysis, ms) {
        if ms[ap.head].etype != EntityType::Other {
            continue;
        }
        let words: Vec<&str> = analysis.tokens[ap.tokens.clone()]
            .iter()
            .map(|t| t.text(text))
            .filter(|w| !matches!(w.to_ascii_lowercase().as_str(), "the" | "a" | "an"))
            .collect();
        if let Some(t) = role_type(&words) {
            ms[ap.head].etype = t;
        }
    }

    // 4. One name, one type: mentions sharing a key take the best-supported type.
    unify_types(text, ms);
}

/// Definite descriptions of organizations named before: "the committee" is
/// the nearest "... Committee" before it. Returns new mentions.
fn descriptions(text: &str, analysis: &Analysis, ms: &[EntityMention]) -> Vec<EntityMention> {
    let toks = &analysis.tokens;
    let mut out = Vec::new();
    // The titles each person was given: "President Vladimir Putin" → president.
    let mut titled: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        if m.etype != EntityType::Person {
            continue;
        }
        let mut k = toks.partition_point(|t| t.start < m.span.start);
        let mut titles = Vec::new();
        while k > 0 && titles.len() < 3 {
            let w = toks[k - 1].text(text);
            if w == "." {
                k -= 1;
                continue;
            }
            if !is_title_head(w) {
                break;
            }
            let l = w.trim_end_matches('.').to_lowercase();
            let full = match l.as_str() {
                "gen" => "general",
                "col" => "colonel",
                "lt" => "lieutenant",
                "sen" => "senator",
                "gov" => "governor",
                "capt" => "captain",
                "sgt" => "sergeant",
                "adm" => "admiral",
                "maj" => "major",
                "prof" => "professor",
                "rep" => "representative",
                "mr" | "mrs" | "ms" | "miss" | "dr" | "sir" | "dame" | "lord" | "lady" => "",
                other => other,
            };
            if !full.is_empty() {
                titles.push(full.to_string());
            }
            k -= 1;
        }
        if !titles.is_empty() {
            titled.push((m.span.start, i, titles));
        }
    }
    // Indexes by title and by cue word, in text order, so each description is one lookup.
    let mut by_title: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (pos, pi, ts) in &titled {
        for t in ts {
            by_title.entry(t.as_str()).or_default().push((*pos, *pi));
        }
    }
    let mut by_cue: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (i, m) in ms.iter().enumerate() {
        if m.etype == EntityType::Organization {
            for w in m.span.text(text).split_whitespace() {
                if is_org_cue(w) {
                    by_cue.entry(w).or_default().push((m.span.end, i));
                }
            }
        }
    }
    for (si, s) in analysis.content_sentences() {
        let st = &toks[s.tokens.clone()];
        for k in 1..st.len() {
            let det = st[k - 1].text(text);
            if !matches!(det, "the" | "The") {
                continue;
            }
            let w = st[k].text(text);
            if !w.chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
            // the noun must end the noun phrase: "the committee said", not "the committee room"
            if st.get(k + 1).is_some_and(|t| t.kind == TokenKind::Word && t.text(text).chars().next().is_some_and(char::is_lowercase) && !is_verbish(t.text(text))) {
                continue;
            }
            // "the general", "the president": the last person so titled
            let last_before = |list: Option<&Vec<(usize, usize)>>, pos: usize, strict: bool| {
                list.and_then(|l| {
                    let cut = l.partition_point(|&(p, _)| if strict { p < pos } else { p <= pos });
                    cut.checked_sub(1).map(|c| l[c].1)
                })
            };
            if let Some(pi) = last_before(by_title.get(w), st[k].start, true) {
                let p = &ms[pi];
                out.push(EntityMention {
                    span: ByteSpan::new(st[k - 1].start, st[k].end),
                    etype: EntityType::Person,
                    subtype: None,
                    canonical: Some(p.key(text).to_string()),
                    external_id: p.external_id.clone(),
                    sentence: si,
                    confidence: 0.55,
                    kind: MentionKind::Description,
                });
                continue;
            }
            let cue = super::capitalized(w);
            if !is_org_cue(&cue) || matches!(
                w,
                "government" | "police" | "army" | "court" | "press" | "news" | "team" | "group" | "unit" | "radio" | "airlines"
                    | "league" | "church" | "exchange" | "post" | "times" | "network" | "forces" | "force" | "service"
                    | "services" | "television" | "capital" | "energy" | "oil" | "gas" | "records" | "motors" | "navy"
            ) {
                continue;
            }
            let pos = st[k].start;
            let Some(m) = last_before(by_cue.get(cue.as_str()), pos, false).map(|i| &ms[i]) else {
                continue;
            };
            out.push(EntityMention {
                span: ByteSpan::new(st[k - 1].start, st[k].end),
                etype: EntityType::Organization,
                subtype: m.subtype.clone(),
                canonical: Some(m.key(text).to_string()),
                external_id: m.external_id.clone(),
                sentence: si,
                confidence: 0.6,
                kind: MentionKind::Description,
            });
        }
    }
    out
}

/// Words that may follow a noun phrase's head: verbs and clause words.
fn is_verbish(w: &str) -> bool {
    matches!(w, "said" | "says" | "say" | "has" | "have" | "had" | "is" | "was" | "were" | "are" | "will" | "would" | "could" | "can" | "may" | "might" | "should" | "must" | "did" | "does" | "also" | "added" | "told" | "claimed" | "announced" | "confirmed" | "denied" | "reported" | "stated" | "and" | "or" | "but" | "that" | "which" | "who" | "in" | "on" | "at" | "of" | "for" | "to" | "with" | "by" | "from" | "after" | "before" | "when" | "as" | "last" | "this")
        || w.ends_with("ed")
        || w.ends_with("es") && w.len() > 4
}

fn unify_types(text: &str, ms: &mut [EntityMention]) {
    let mut votes: HashMap<String, [f32; 4]> = HashMap::new();
    for m in ms.iter() {
        let v = votes.entry(m.key(text).to_string()).or_insert([0.0; 4]);
        v[m.etype as usize] += m.confidence;
    }
    for m in ms.iter_mut() {
        if m.external_id.is_some() || m.subtype.as_deref() == Some("nationality") {
            continue;
        }
        if let Some(v) = votes.get(m.key(text)) {
            let types = [EntityType::Person, EntityType::Organization, EntityType::Location];
            let best = types.iter().copied().max_by(|a, b| v[*a as usize].total_cmp(&v[*b as usize]));
            if let Some(b) = best.filter(|b| v[*b as usize] > 0.0) {
                m.etype = b;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    fn run(text: &str) -> Vec<EntityMention> {
        let doc = Document::plain("t", text);
        let a = analyze(text);
        recognize(&doc, &a, &Models::default())
    }

    /// Tagger spans given as (first word, last word, type).
    fn tagged(text: &str, spans: &[(&str, &str, EntityType)]) -> Vec<EntityMention> {
        let a = analyze(text);
        let pos = |w: &str, from: usize| a.tokens.iter().enumerate().skip(from).find(|(_, t)| t.text(text) == w).map(|(i, _)| i).unwrap();
        // spans in text order: each is searched after the previous one
        let mut cursor = 0;
        let ner: Vec<NerSpan> = spans
            .iter()
            .map(|(f, l, t)| {
                let s = pos(f, cursor);
                let e = pos(l, s);
                cursor = e + 1;
                let sentence = a.sentences.iter().position(|x| x.tokens.contains(&s)).unwrap();
                NerSpan { tokens: s..e + 1, etype: *t, confidence: 0.9, sentence }
            })
            .collect();
        recognize_with(text, &a, Some(&ner))
    }

    #[test]
    fn tagger_spans_are_typed_by_the_gazetteer() {
        let t = "Russian President Vladimir Putin's forces struck Kyiv, while Liverpool fans watched in Manchester.
                 Putin spoke in the Russian capital.
";
        use EntityType::*;
        let ms = tagged(
            t,
            &[("Russian", "Russian", Other), ("President", "'s", Person), ("Kyiv", "Kyiv", Organization), ("Liverpool", "Liverpool", Organization), ("Putin", "Putin", Person)],
        );
        let f = |s: &str| find(&ms, t, s).first().map(|m| (*m).clone()).unwrap_or_else(|| panic!("{s}: {ms:#?}"));
        // title and possessive stripped from the tagger's span
        assert_eq!(f("Vladimir Putin").etype, Person);
        assert_eq!(f("Russian").subtype.as_deref(), Some("nationality"));
        // a capital the tagger called an organization is the place
        assert_eq!(f("Kyiv").etype, Location);
        // a club named after a city stays an organization
        assert_eq!(f("Liverpool").etype, Organization);
        assert!(f("Liverpool").external_id.is_none());
        // the gazetteer adds the place the tagger missed
        assert_eq!(f("Manchester").subtype.as_deref(), Some("city"));
        assert_eq!(f("Putin").canonical.as_deref(), Some("Vladimir Putin"));
        // "the Russian capital" is Moscow
        assert_eq!(f("Russian capital").canonical.as_deref(), Some("Moscow"));
    }

    #[test]
    fn dateline_places_agencies_and_legal_forms() {
        use EntityType::*;
        let t = "Takeover agreed\nMILAN, March 3 (AP) - Widget Inc. agreed to buy a rival, Reuters reported.\n";
        let ms = tagged(t, &[("MILAN", "MILAN", Location), ("Widget", "Inc.", Location), ("Reuters", "Reuters", Location)]);
        let f = |s: &str| find(&ms, t, s).first().map(|m| (*m).clone()).unwrap_or_else(|| panic!("{s}: {ms:#?}"));
        // a place in capitals is looked up as the gazetteer spells it
        assert_eq!(f("MILAN").canonical.as_deref(), Some("Milan"));
        assert!(f("MILAN").external_id.is_some());
        // the dateline's agency, untagged, is a news organization; so is a known agency the tagger called a place
        assert_eq!((f("AP").etype, f("AP").subtype.as_deref()), (Organization, Some("media")));
        assert_eq!((f("Reuters").etype, f("Reuters").subtype.as_deref()), (Organization, Some("media")));
        // a legal form makes a company
        let w = f("Widget Inc.");
        assert_eq!((w.etype, w.subtype.as_deref(), w.external_id.is_none()), (Organization, Some("company"), true));
    }

    fn find<'a>(ms: &'a [EntityMention], text: &str, surface: &str) -> Vec<&'a EntityMention> {
        ms.iter().filter(|m| m.span.text(text) == surface).collect()
    }

    const PARA: &str = "Mayor admits flood defences failed\n\
        French President Emmanuel Macron on Monday visited Lyon, where the Rhone burst its banks.\n\
        Claire Dubois, the head of the regional water agency, said the barriers had been poorly maintained.\n\
        Macron promised help. Officials said Dubois would report to the Ministry of Ecological Transition.\n\
        The North Atlantic Treaty Organization (NATO) sent no help, and NATO officials stayed in Brussels.\n";

    #[test]
    fn titles_mark_people_and_surnames_corefer() {
        let ms = run(PARA);
        let full = find(&ms, PARA, "Emmanuel Macron");
        assert_eq!(full.len(), 1);
        assert_eq!(full[0].etype, EntityType::Person);
        let later = find(&ms, PARA, "Macron");
        assert_eq!(later.len(), 1, "{ms:#?}");
        assert_eq!(later[0].etype, EntityType::Person);
        assert_eq!(later[0].canonical.as_deref(), Some("Emmanuel Macron"));
        let d = find(&ms, PARA, "Dubois");
        assert_eq!(d[0].canonical.as_deref(), Some("Claire Dubois"));
        // The title is not part of the name, the nationality is its own mention.
        assert!(find(&ms, PARA, "French President Emmanuel Macron").is_empty());
        let fr = find(&ms, PARA, "French");
        assert_eq!(fr[0].subtype.as_deref(), Some("nationality"));
        assert_eq!(fr[0].etype, EntityType::Other);
    }

    #[test]
    fn places_have_subtypes_and_geonames() {
        let ms = run(PARA);
        let lyon = find(&ms, PARA, "Lyon");
        assert_eq!(lyon[0].etype, EntityType::Location);
        assert_eq!(lyon[0].subtype.as_deref(), Some("city"));
        assert!(lyon[0].external_id.as_deref().unwrap().starts_with("geonames:"));
        let b = find(&ms, PARA, "Brussels");
        assert_eq!(b[0].subtype.as_deref(), Some("city"));
        // weekdays are time expressions, not entities; sentence-initial common words are no names
        assert!(find(&ms, PARA, "Monday").is_empty());
        assert!(find(&ms, PARA, "Officials").is_empty());
        assert!(find(&ms, PARA, "The North Atlantic Treaty Organization").is_empty());
    }

    #[test]
    fn organizations_and_acronyms() {
        let ms = run(PARA);
        let min = find(&ms, PARA, "Ministry of Ecological Transition");
        assert_eq!(min[0].etype, EntityType::Organization);
        let nato: Vec<_> = find(&ms, PARA, "NATO");
        assert_eq!(nato.len(), 2);
        for m in nato {
            assert_eq!(m.etype, EntityType::Organization);
            assert_eq!(m.canonical.as_deref(), Some("North Atlantic Treaty Organization"));
        }
    }

    #[test]
    fn datelines_and_descriptions() {
        let t = "Party fined over donations\n\
                 LONDON (Newswire) - The Electoral Commission fined the party on Monday.\n\
                 The commission said the fine was the largest it had imposed.\n";
        let ms = run(t);
        assert_eq!(find(&ms, t, "LONDON")[0].canonical.as_deref(), Some("London"));
        let d = find(&ms, t, "The commission");
        assert_eq!(d.len(), 1, "{ms:#?}");
        assert_eq!(d[0].canonical.as_deref(), Some("Electoral Commission"));
        let t = "General retires\nGen. Mark Oduya left the army on Friday. The general said he was proud.\n";
        let ms = run(t);
        let g = find(&ms, t, "The general");
        assert_eq!(g.len(), 1, "{ms:#?}");
        assert_eq!(g[0].canonical.as_deref(), Some("Mark Oduya"));
        assert_eq!(g[0].etype, EntityType::Person);
    }

    #[test]
    fn title_case_headlines_split_at_common_words() {
        let t = "Merkel Warns Of Hard Winter In Berlin\nAngela Merkel spoke on Sunday.\n";
        let ms = run(t);
        let m = find(&ms, t, "Merkel");
        assert_eq!(m.len(), 1, "{ms:#?}");
        assert_eq!(m[0].canonical.as_deref(), Some("Angela Merkel"));
        assert_eq!(find(&ms, t, "Berlin")[0].subtype.as_deref(), Some("city"));
        assert!(ms.iter().all(|m| !m.span.text(t).contains("Warns")));
    }

    #[test]
    fn ambiguous_places_follow_the_document() {
        let t = "Storms hit the South\nFlights from Atlanta and Savannah were cancelled across Georgia on Monday.\n\
                 In Birmingham, Alabama, schools closed.\n";
        let ms = run(t);
        let ga = find(&ms, t, "Georgia");
        assert_eq!(ga[0].subtype.as_deref(), Some("region"), "{ms:#?}");
        let b = find(&ms, t, "Birmingham");
        let g = gazetteer();
        let p = g.lookup("Birmingham").iter().map(|&c| g.place(c)).find(|p| p.external_id() == b[0].external_id).unwrap();
        assert_eq!(p.cc, "US");
        let t2 = "Talks in Tbilisi\nGeorgia and Armenia signed a deal in Tbilisi.\n";
        let ms2 = run(t2);
        assert_eq!(find(&ms2, t2, "Georgia")[0].subtype.as_deref(), Some("country"));
    }

    #[test]
    fn aliases_and_possessives() {
        let t = "The rapper Marcus Hale, known as Kid Vortex, played in Chicago on Friday.\n\
                 Police said Hale's manager, Dana Whitfield, had warned the venue. Vortex denied it.\n";
        let ms = run(t);
        let kv = find(&ms, t, "Kid Vortex");
        assert_eq!(kv[0].canonical.as_deref(), Some("Marcus Hale"));
        assert_eq!(kv[0].etype, EntityType::Person);
        let v = find(&ms, t, "Vortex");
        assert_eq!(v[0].canonical.as_deref(), Some("Marcus Hale"), "{ms:#?}");
        // the possessive stays outside the name
        assert_eq!(find(&ms, t, "Hale")[0].canonical.as_deref(), Some("Marcus Hale"));
        assert!(ms.iter().all(|m| !m.span.text(t).contains('\'')));
        assert!(find(&ms, t, "Friday").is_empty());
        assert!(find(&ms, t, "Police").is_empty());
    }

    #[test]
    fn same_surname_different_people_stay_apart() {
        let t = "Anna Petrova, a lawyer, met Boris Petrova in Minsk.\n\
                 Anna Petrova said the talks went well.\n\
                 Later Boris Petrova left. Petrova, the younger, stayed.\n";
        let ms = run(t);
        let anna: Vec<_> = find(&ms, t, "Anna Petrova");
        let boris: Vec<_> = find(&ms, t, "Boris Petrova");
        assert_eq!(anna.len(), 2);
        assert_eq!(boris.len(), 2);
        assert!(anna.iter().all(|m| m.key(t) == "Anna Petrova"));
        assert!(boris.iter().all(|m| m.key(t) == "Boris Petrova"));
        // a bare surname goes to the nearest full name before it
        assert_eq!(find(&ms, t, "Petrova")[0].key(t), "Boris Petrova");
    }

    #[test]
    fn a_surname_after_its_particle_form_joins_the_full_name() {
        // "de Vries" links to "Anna de Vries"; the later bare "Vries" first
        // finds "de Vries" (a two-word name itself) and must follow it on.
        let t = "Minister admits failure\n\n\
                 Dutch Infrastructure Minister Anna de Vries on Monday admitted that the barrier had failed.\n\
                 \"We will fix it,\" de Vries told reporters.\n\
                 Parliament will debate the failure next week, and de Vries is expected to face questions.\n";
        use EntityType::Person;
        let ms = tagged(t, &[("Anna", "Vries", Person), ("de", "Vries", Person), ("Vries", "Vries", Person)]);
        let people: Vec<&str> = ms.iter().filter(|m| m.etype == Person).map(|m| m.key(t)).collect();
        assert_eq!(people.len(), 3, "{people:?}");
        assert!(people.iter().all(|k| *k == "Anna de Vries"), "{people:?}");
    }

    #[test]
    fn a_place_noun_after_a_tagged_name_makes_it_a_place() {
        use EntityType::*;
        let t = "Residents of the Marsdijk district were evacuated, while Kremlin state media said nothing.\n";
        let ms = tagged(t, &[("Marsdijk", "Marsdijk", Organization), ("Kremlin", "Kremlin", Organization)]);
        let marsdijk = find(&ms, t, "Marsdijk");
        assert_eq!((marsdijk[0].etype, marsdijk[0].subtype.as_deref()), (Location, Some("region")));
        assert_eq!(find(&ms, t, "Kremlin")[0].etype, Organization);
    }

    #[test]
    fn named_storms_are_other_not_places_or_people() {
        use EntityType::*;
        let t = "Storm Elin struck the coast after Hurricane Maria Lopez had passed.\n";
        let ms = tagged(t, &[("Storm", "Elin", Location), ("Hurricane", "Lopez", Person)]);
        for name in ["Storm Elin", "Hurricane Maria Lopez"] {
            let m = find(&ms, t, name);
            assert_eq!((m[0].etype, m[0].subtype.as_deref()), (Other, Some("storm")), "{name}");
        }
    }

    #[test]
    fn a_name_in_apposition_is_cut_from_the_title_run_into_it() {
        use EntityType::*;
        let t = "The Shadow Minister for the Family, Laura Stone, said the plan was late. Hart, Mason and Co won.\n";
        let ms = tagged(t, &[("Family", "Stone", Other), ("Hart", "Co", Organization)]);
        let stone = find(&ms, t, "Laura Stone");
        assert_eq!(stone[0].etype, Person);
        assert!(ms.iter().all(|m| !m.key(t).contains("Family")));
        // a comma inside a firm's name, no first name after it, stays
        assert_eq!(find(&ms, t, "Hart, Mason and Co")[0].etype, Organization);
    }

    #[test]
    fn a_tagged_name_that_runs_into_its_clause_is_cut() {
        use EntityType::*;
        let t = "The Harbour Pension Fund, and hoped to grow. Delta Rail is expanding. Mr Okafor' trial began. Lord Hale spoke to the Lord Chancellor. Dr Ames agreed. \
                 The Bank of England met the Tallin Club of creditor nations. Rolls-Royce - the maker - agreed.\n";
        let ms = tagged(
            t,
            &[
                ("Harbour", "to", Organization),
                ("Delta", "expanding", Organization),
                ("Okafor", "trial", Location),
                ("Lord", "Hale", Organization),
                ("Lord", "Chancellor", Organization),
                ("Dr", "Dr", Person),
                ("Bank", "England", Organization),
                ("Tallin", "nations", Organization),
                ("Rolls-Royce", "maker", Organization),
            ],
        );
        let names: Vec<&str> = ms.iter().map(|m| m.span.text(t)).collect();
        for name in ["Harbour Pension Fund", "Delta Rail", "Okafor", "Bank of England", "Tallin Club", "Rolls-Royce"] {
            assert!(names.contains(&name), "{name} not in {names:?}");
        }
        // a name after an honorific is a person, whatever the tagger said
        assert_eq!(find(&ms, t, "Okafor")[0].etype, Person);
        assert_eq!(find(&ms, t, "Hale")[0].etype, Person);
        assert_eq!(find(&ms, t, "Lord Chancellor")[0].etype, Organization);
        assert!(ms.iter().all(|m| m.span.text(t) != "Dr"), "{names:?}");
    }

    #[test]
    fn a_hyphenated_modifier_is_cut_off_the_name() {
        let t = "A London-based broker said a US-led group and Jackson-style fans met.\n";
        let ms = tagged(t, &[("London-based", "London-based", EntityType::Other), ("US-led", "US-led", EntityType::Other), ("Jackson-style", "Jackson-style", EntityType::Person)]);
        let names: Vec<&str> = ms.iter().map(|m| m.span.text(t)).collect();
        assert_eq!(names, ["London", "US", "Jackson"]);
        assert_eq!(find(&ms, t, "London")[0].etype, EntityType::Location);
    }

    #[test]
    fn a_title_the_tagger_ran_into_a_name_is_cut_off_a_person() {
        use EntityType::*;
        let t = "Chancellor Gordon Brown spoke. Shadow Health Secretary Ann Petty agreed. Prince Harry waved. US Attorney David Kell left. \
                 The Home Office met General Motors. Prince Edward Theatre opened. Queen Phoenix sang.\n";
        let ms = tagged(
            t,
            &[
                ("Chancellor", "Brown", Organization),
                ("Shadow", "Petty", Other),
                ("Prince", "Harry", Location),
                ("US", "Kell", Organization),
                ("Home", "Office", Organization),
                ("General", "Motors", Organization),
                ("Prince", "Theatre", Location),
                ("Queen", "Phoenix", Organization),
            ],
        );
        for name in ["Gordon Brown", "Ann Petty", "Harry", "David Kell"] {
            assert_eq!(find(&ms, t, name)[0].etype, Person, "{name}");
        }
        for (name, ty) in [("Home Office", Organization), ("General Motors", Organization), ("Prince Edward Theatre", Location), ("Queen Phoenix", Organization)] {
            assert_eq!(find(&ms, t, name)[0].etype, ty, "{name}");
        }
    }

    #[test]
    fn no_panic_on_junk() {
        for t in [
            "", " ", "’s", "A", "(((", "U.S.-", "Mr.", "Gen. ", "\u{202e}Putin\u{202c} és Zoë 👍 Ø", "of of Of OF",
            "Mr. . . Gen. Dr", "the the The", "(SBU (", "Russian capital", "X, known as", "' s", "’s’s", "Russian capital,",
            "NATO (NATO) NATO", "A, the head of", "Paris, France, Paris, France", "Ukraine's's SBU", "Ĳssel Ǆemal ﬁnd",
            "MOSCOW\n\nKYIV - The", "e\u{301}cole Ame\u{301}lie Poulain, who heads", "Secretary of", "President",
        ] {
            let ms = run(t);
            for m in ms {
                assert!(t.is_char_boundary(m.span.start) && t.is_char_boundary(m.span.end));
            }
        }
    }
}
