//! Pronoun resolution: the entity (or unnamed description, "an Uzbek
//! citizen", "the suspect") a third-person pronoun refers to.
//!
//! A salience model over the last few sentences: candidates are the named
//! entity mentions and the person descriptions before the pronoun, filtered
//! by agreement (gender, number, animacy) and scored by recency (sentence
//! distance), subject position and whether they were just quoted as a
//! speaker. Used by attribution for pronoun sources ("It claimed he said …").

use super::{is_one_of, ByteSpan, EntityMention, EntityType, Extraction, MentionKind, Ref};
use crate::text::{Analysis, ParagraphKind, TokenKind};
use std::collections::HashMap;
use std::sync::LazyLock;

/// How many sentences back a pronoun may reach.
const WINDOW: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

/// What a pronoun needs of its antecedent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pronoun {
    /// he / him / his
    Male,
    /// she / her
    Female,
    /// it / its: an organisation, place or thing
    Neuter,
    /// they / them / their: a group, an organisation or several people
    Plural,
}

impl Pronoun {
    pub fn of(word: &str) -> Option<Pronoun> {
        let eq = |l: &[&str]| l.iter().any(|w| word.eq_ignore_ascii_case(w));
        if eq(&["he", "him", "his", "himself"]) {
            Some(Pronoun::Male)
        } else if eq(&["she", "her", "hers", "herself"]) {
            Some(Pronoun::Female)
        } else if eq(&["it", "its", "itself"]) {
            Some(Pronoun::Neuter)
        } else if eq(&["they", "them", "their", "themselves"]) {
            Some(Pronoun::Plural)
        } else {
            None
        }
    }
}

/// A resolved antecedent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Antecedent {
    /// An index into the entity mentions.
    Entity(usize),
    /// An unnamed person description ("an Uzbek citizen"): the caller may
    /// make it a mention of its own.
    Description(ByteSpan),
    /// A plural noun phrase that names no person ("many newspapers", "the
    /// security services"): "they" refers to it, so no entity speaks.
    Group(ByteSpan),
}

/// Heads of descriptions of people: (word, gender, plural).
const PERSON_DESC: &[(&str, Gender, bool)] = &[
    ("man", Gender::Male, false),
    ("men", Gender::Male, true),
    ("boy", Gender::Male, false),
    ("father", Gender::Male, false),
    ("son", Gender::Male, false),
    ("husband", Gender::Male, false),
    ("brother", Gender::Male, false),
    ("gunman", Gender::Male, false),
    ("spokesman", Gender::Male, false),
    ("businessman", Gender::Male, false),
    ("woman", Gender::Female, false),
    ("women", Gender::Female, true),
    ("girl", Gender::Female, false),
    ("mother", Gender::Female, false),
    ("daughter", Gender::Female, false),
    ("wife", Gender::Female, false),
    ("sister", Gender::Female, false),
    ("spokeswoman", Gender::Female, false),
    ("businesswoman", Gender::Female, false),
    ("suspect", Gender::Unknown, false),
    ("suspects", Gender::Unknown, true),
    ("citizen", Gender::Unknown, false),
    ("citizens", Gender::Unknown, true),
    ("national", Gender::Unknown, false),
    ("nationals", Gender::Unknown, true),
    ("resident", Gender::Unknown, false),
    ("residents", Gender::Unknown, true),
    ("teenager", Gender::Unknown, false),
    ("student", Gender::Unknown, false),
    ("driver", Gender::Unknown, false),
    ("soldier", Gender::Unknown, false),
    ("soldiers", Gender::Unknown, true),
    ("officer", Gender::Unknown, false),
    ("officers", Gender::Unknown, true),
    ("victim", Gender::Unknown, false),
    ("attacker", Gender::Unknown, false),
    ("assailant", Gender::Unknown, false),
    ("witness", Gender::Unknown, false),
    ("witnesses", Gender::Unknown, true),
    ("worker", Gender::Unknown, false),
    ("journalist", Gender::Unknown, false),
    ("reporter", Gender::Unknown, false),
    ("official", Gender::Unknown, false),
    ("officials", Gender::Unknown, true),
    ("lawyer", Gender::Unknown, false),
    ("doctor", Gender::Unknown, false),
    ("detainee", Gender::Unknown, false),
    ("prisoner", Gender::Unknown, false),
    ("employee", Gender::Unknown, false),
    ("person", Gender::Unknown, false),
    ("people", Gender::Unknown, true),
    ("source", Gender::Unknown, false),
    ("sources", Gender::Unknown, true),
    // Occupations news names its speakers by ("one London-based broker");
    // "he"/"she" may refer back to them. Not titles ("the minister",
    // "the chairman"): those stand for a person the article names.
    ("broker", Gender::Unknown, false),
    ("trader", Gender::Unknown, false),
    ("dealer", Gender::Unknown, false),
    ("economist", Gender::Unknown, false),
    ("analyst", Gender::Unknown, false),
    ("banker", Gender::Unknown, false),
    ("investor", Gender::Unknown, false),
    ("spokesperson", Gender::Unknown, false),
    ("adviser", Gender::Unknown, false),
    ("advisor", Gender::Unknown, false),
    ("aide", Gender::Unknown, false),
    ("diplomat", Gender::Unknown, false),
    ("expert", Gender::Unknown, false),
    ("insider", Gender::Unknown, false),
    ("staffer", Gender::Unknown, false),
    ("investigator", Gender::Unknown, false),
    ("representative", Gender::Unknown, false),
    ("observer", Gender::Unknown, false),
    ("activist", Gender::Unknown, false),
    ("campaigner", Gender::Unknown, false),
    ("critic", Gender::Unknown, false),
    ("voter", Gender::Unknown, false),
    ("lawmaker", Gender::Unknown, false),
    ("fan", Gender::Unknown, false),
    ("scientist", Gender::Unknown, false),
    ("researcher", Gender::Unknown, false),
    ("engineer", Gender::Unknown, false),
    ("teacher", Gender::Unknown, false),
    ("nurse", Gender::Unknown, false),
    ("pilot", Gender::Unknown, false),
    ("farmer", Gender::Unknown, false),
    ("consultant", Gender::Unknown, false),
    ("entrepreneur", Gender::Unknown, false),
    ("brokers", Gender::Unknown, true),
    ("traders", Gender::Unknown, true),
    ("dealers", Gender::Unknown, true),
    ("economists", Gender::Unknown, true),
    ("analysts", Gender::Unknown, true),
    ("bankers", Gender::Unknown, true),
    ("investors", Gender::Unknown, true),
    ("executives", Gender::Unknown, true),
    ("directors", Gender::Unknown, true),
    ("managers", Gender::Unknown, true),
    ("chiefs", Gender::Unknown, true),
    ("ministers", Gender::Unknown, true),
    ("leaders", Gender::Unknown, true),
    ("advisers", Gender::Unknown, true),
    ("advisors", Gender::Unknown, true),
    ("aides", Gender::Unknown, true),
    ("diplomats", Gender::Unknown, true),
    ("experts", Gender::Unknown, true),
    ("insiders", Gender::Unknown, true),
    ("staffers", Gender::Unknown, true),
    ("investigators", Gender::Unknown, true),
    ("prosecutors", Gender::Unknown, true),
    ("representatives", Gender::Unknown, true),
    ("observers", Gender::Unknown, true),
    ("activists", Gender::Unknown, true),
    ("campaigners", Gender::Unknown, true),
    ("critics", Gender::Unknown, true),
    ("voters", Gender::Unknown, true),
    ("candidates", Gender::Unknown, true),
    ("senators", Gender::Unknown, true),
    ("lawmakers", Gender::Unknown, true),
    ("fans", Gender::Unknown, true),
    ("scientists", Gender::Unknown, true),
    ("researchers", Gender::Unknown, true),
    ("engineers", Gender::Unknown, true),
    ("teachers", Gender::Unknown, true),
    ("nurses", Gender::Unknown, true),
    ("farmers", Gender::Unknown, true),
    ("judges", Gender::Unknown, true),
    ("consultants", Gender::Unknown, true),
    ("actor", Gender::Male, false),
    ("actress", Gender::Female, false),
];

/// Whether `word` heads a description of a person or people ("broker",
/// "officials").
pub fn is_person_head(word: &str) -> bool {
    person_desc(word).is_some()
}

/// Prepositions, which no description's modifiers cross.
const PREPOSITIONS: &[&str] = &["from", "of", "to", "by", "with", "for", "in", "on", "at", "about", "as", "like"];

/// The gender and number of a person description head ("citizen", "women").
fn person_desc(word: &str) -> Option<(Gender, bool)> {
    static MAP: LazyLock<HashMap<&'static str, (Gender, bool)>> =
        LazyLock::new(|| PERSON_DESC.iter().map(|&(w, g, p)| (w, (g, p))).collect());
    let mut buf = [0u8; 16];
    let b = word.as_bytes();
    if b.len() < 3 || b.len() > buf.len() {
        return None;
    }
    for (o, c) in buf.iter_mut().zip(b) {
        *o = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).ok().and_then(|w| MAP.get(w).copied())
}

/// Male first names frequent in news: without them every unknown name
/// would agree with "she" as well as "he".
const MALE_NAMES: &[&str] = &[
    "vladimir", "joe", "donald", "barack", "george", "bill", "boris", "emmanuel", "olaf", "volodymyr",
    "sergei", "sergey", "igor", "dmitry", "dmitri", "alexei", "alexey", "alexander", "ivan", "nikolai",
    "viktor", "yevgeny", "maxim", "mikhail", "andrei", "andriy", "oleksandr", "oleksiy", "vitali", "ramzan",
    "rishi", "keir", "benjamin", "recep", "narendra", "justin", "john", "james", "robert", "michael",
    "william", "david", "richard", "joseph", "thomas", "charles", "christopher", "daniel", "matthew",
    "mark", "paul", "steven", "stephen", "andrew", "kenneth", "peter", "tony", "mike", "jim", "tom", "ben",
    "sam", "mohammed", "muhammad", "mohammad", "ahmed", "ali", "hassan", "omar", "abdul", "elon", "jeff",
    "tim", "antony", "anthony", "lloyd", "jens", "pedro", "luiz", "javier", "jean", "francois", "pierre",
    "hans", "klaus", "friedrich", "giuseppe", "matteo", "sergio", "carlos", "juan", "jose", "luis", "jorge",
    "miguel", "ron", "ted", "mitch", "chuck", "kevin", "nigel", "jeremy", "gordon", "tony", "hunter",
    "jared", "eric", "brian", "jack", "harry", "henry", "edward", "frank", "fred", "gavin", "grant",
    "ivan", "yuri", "yury", "lev", "oleg", "pavel", "roman", "ruslan", "valery", "vasily", "yevgeniy",
    "gennady", "anatoly", "leonid", "arkady", "denis", "artem", "kirill", "konstantin", "ilya", "pyotr",
    "bashar", "hamad", "salman", "mahmoud", "ismail", "yahya", "benny", "yoav", "isaac", "xavier",
];

/// Female first names frequent in news (a fall-back gender cue; titles and
/// descriptions come first).
const FEMALE_NAMES: &[&str] = &[
    "hillary", "melania", "ivanka", "angela", "theresa", "nancy", "elizabeth", "kamala",
    "michelle", "sarah", "ursula", "marine", "jacinda", "nicola", "liz", "kathleen", "susan",
    "mary", "maria", "anna", "anne", "ann", "jane", "emily", "emma", "olivia", "sophie", "laura",
    "linda", "barbara", "patricia", "jennifer", "jessica", "karen", "lisa", "helen", "catherine",
    "kate", "claire", "rachel", "rebecca", "julia", "julie", "christine", "diane", "dianne",
    "donna", "carol", "ruth", "margaret", "janet", "amy", "amanda", "stephanie", "nicole",
    "heather", "megyn", "kellyanne", "huma", "chelsea", "loretta", "samantha", "condoleezza",
    "madeleine", "tulsi", "nikki", "debbie", "darya", "yulia", "svetlana", "olga", "natalia",
    "tatiana", "irina", "elena", "marina", "maxine", "alexandria", "ilhan", "rashida", "gina",
    "janet", "betsy", "elaine", "kirstjen", "sheryl", "oprah", "beyonce", "taylor", "giorgia",
    "ana", "lucia", "carmen", "fatima", "aisha", "mia", "sandra", "monica", "victoria",
    "alicia", "kylie", "madonna", "britney", "serena", "venus", "paula", "tessa", "harriet", "hazel", "clare",
    "yvette", "estelle", "caroline", "charlotte", "joanna", "sharon", "sally", "diana", "beverley", "judith",
    "jacqui", "gillian", "virginia", "hilary", "kelly", "gwyneth", "keira", "jodie", "scarlett", "natalie",
    "reese", "halle", "renee", "cate", "penelope", "julianne", "whitney", "mariah", "shakira", "christina",
    "avril", "norah", "lauren", "annie", "lindsay", "kirsty", "dawn", "lucy", "grace", "kathryn", "martina",
    "amelie", "justine", "anastasia", "daniela", "paola", "tracey", "tracy", "louise", "fiona", "alison",
    "alice", "helena", "hannah", "zoe", "zoë", "chloe", "ella", "eva", "ingrid", "isabel", "isabelle",
    "jacqueline", "josephine", "katie", "kirsten", "lorraine", "margot", "marion", "miriam", "naomi", "nina",
    "pamela", "rosa", "rose", "ruby", "sonia", "stella", "teresa", "valerie", "vanessa", "wendy", "zara",
    "tina", "tanya", "agnes", "benazir", "indira", "golda", "segolene", "cherie", "glenys", "dina", "debra",
    "paris", "jo", "jenny", "jackie", "kathy", "cathy", "sue", "sylvia", "veronica", "yoko", "lorna",
];

/// Titles before a name that fix its gender.
const MALE_TITLES: &[&str] = &["mr", "mr.", "sir", "king", "prince", "lord"];
const FEMALE_TITLES: &[&str] = &["mrs", "mrs.", "ms", "ms.", "miss", "madam", "queen", "princess", "lady", "dame"];

/// How many tokens before a pronoun are searched for descriptions.
const MAX_SCAN: usize = 400;

/// Words that may sit between a determiner and a description head.
const MAX_MODIFIERS: usize = 4;

/// The gender of a named person mention, from a title before it or its first name.
fn name_gender(text: &str, m: &EntityMention) -> Gender {
    let before = text[..m.span.start].trim_end();
    let prev = before.rsplit([' ', '\n', '\t']).next().unwrap_or("");
    if is_one_of(prev, MALE_TITLES) {
        return Gender::Male;
    }
    if is_one_of(prev, FEMALE_TITLES) {
        return Gender::Female;
    }
    let name = m.key(text);
    let first = name.split(' ').next().unwrap_or("");
    first_name_gender(first).unwrap_or(Gender::Unknown)
}

/// Whether `word` is a first name frequent in news ("Charles", "Maria").
pub fn is_first_name(word: &str) -> bool {
    first_name_gender(word).is_some()
}

fn first_name_gender(first: &str) -> Option<Gender> {
    static NAMES: LazyLock<HashMap<String, Gender>> = LazyLock::new(|| {
        let mut m: HashMap<String, Gender> = MALE_NAMES.iter().map(|n| (n.to_string(), Gender::Male)).collect();
        // Female last: a name on both lists is female (as it was checked first).
        m.extend(FEMALE_NAMES.iter().map(|n| (n.to_string(), Gender::Female)));
        m
    });
    let mut buf = [0u8; 24];
    let b = first.as_bytes();
    if b.is_empty() || b.len() > buf.len() {
        return None;
    }
    for (o, c) in buf.iter_mut().zip(b) {
        *o = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).ok().and_then(|w| NAMES.get(w).copied())
}

/// A candidate antecedent before the pronoun.
#[derive(Debug, Clone, Copy)]
struct Cand {
    what: Antecedent,
    start: usize,
    sentence: usize,
    subject: bool,
}

/// What the statements before a pronoun source tell about its speaker.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpeakerHints<'a> {
    /// Entity indices of the speakers of the statements just before the
    /// pronoun, most recent last: likelier antecedents.
    pub speakers: &'a [usize],
    /// Where those statements named or referred to their speakers: (entity,
    /// byte start of the source). When no mention in reach agrees, "She said
    /// …" resolved before stands for that woman there, however far back her
    /// name is.
    pub spoke_at: &'a [(usize, usize)],
    /// The sentence where the pronoun's own statement begins when it comes
    /// before the pronoun (`"… . … . …," he said`): recency is counted from
    /// there, as a reader skips the quote to find who "he" is.
    pub content_sentence: Option<usize>,
    /// Penn tags of the tokens, when the caller has them: plural nouns
    /// ("Correspondents say", "Many newspapers are") then compete for
    /// "they" with the organisations before them.
    pub pos: Option<&'a [&'static str]>,
}

/// Resolves the pronoun source token `p` of `analysis`. `entities` are the
/// mentions and `near` the indices of those worth looking at (e.g. the
/// last few hundred before the pronoun: bounded work).
pub fn resolve(
    text: &str,
    analysis: &Analysis,
    entities: &[EntityMention],
    near: &[usize],
    p: usize,
    hints: &SpeakerHints,
) -> Option<Antecedent> {
    let ranked = rank(text, analysis, entities, near, p, true, None, hints)?;
    let mut best: Option<(f32, usize, Antecedent)> = None;
    for (score, c) in &ranked.cands {
        // Ties go to the nearer candidate.
        if best.is_none_or(|(b, bs, _)| *score > b || *score == b && c.start > bs) {
            best = Some((*score, c.start, c.what));
        }
    }
    best.map(|(_, _, a)| a)
}

/// The scored candidates for one pronoun.
struct Ranked {
    /// The pronoun's sentence.
    sentence: usize,
    cands: Vec<(f32, Cand)>,
}

/// Every agreeing candidate before pronoun token `p` with its salience
/// score (see [`resolve`]); `is_source` says the pronoun is itself a
/// speaker, which makes recent speakers likelier antecedents. `heads` are
/// the tokens that are person description heads, when the caller found
/// them once for the whole text (else the window is scanned).
#[allow(clippy::too_many_arguments)]
fn rank(
    text: &str,
    analysis: &Analysis,
    entities: &[EntityMention],
    near: &[usize],
    p: usize,
    is_source: bool,
    heads: Option<&[usize]>,
    hints: &SpeakerHints,
) -> Option<Ranked> {
    let speakers = hints.speakers;
    let content_sentence = hints.content_sentence;
    let toks = &analysis.tokens;
    let tok = toks.get(p)?;
    let pron = Pronoun::of(tok.text(text))?;
    let ps = sentence_of(analysis, p)?;
    // Sentences of the pronoun's own statement before it count as one.
    let anchor = content_sentence.map_or(ps, |c| c.min(ps));
    let first_sentence = anchor.saturating_sub(WINDOW);
    let window_start = analysis.sentences[first_sentence].start;
    // Whether a typing NER ran (judged on the nearby mentions: bounded work).
    let typed = near
        .iter()
        .filter_map(|&k| entities.get(k))
        .any(|m| m.etype != EntityType::Other);

    let mut cands: Vec<Cand> = Vec::new();
    // Named mentions in the window, before the pronoun.
    for &k in near {
        let Some(m) = entities.get(k) else { continue };
        if m.span.start < window_start || m.span.end > tok.start || m.sentence > ps {
            continue;
        }
        if m.kind == MentionKind::Pronoun || Pronoun::of(m.span.text(text)).is_some() {
            continue;
        }
        // "The Paris-based pressure group", "a US-led force": a name inside
        // a hyphenated modifier is not what a pronoun refers back to.
        let mut rest = text.get(m.span.end..).unwrap_or("").chars();
        if rest.next() == Some('-') && rest.next().is_some_and(char::is_lowercase) {
            continue;
        }
        if !agrees_entity(text, m, pron, typed) {
            continue;
        }
        cands.push(Cand {
            what: Antecedent::Entity(k),
            start: m.span.start,
            sentence: m.sentence,
            subject: false,
        });
    }
    // Unnamed person descriptions.
    let mut scan = |si: usize, h: usize| {
        let s = &analysis.sentences[si];
        let w = toks[h].text(text);
        let Some((g, plural)) = person_desc(w) else { return };
        let ok = match pron {
            Pronoun::Male => !plural && g != Gender::Female,
            Pronoun::Female => !plural && g != Gender::Male,
            Pronoun::Plural => plural,
            Pronoun::Neuter => false,
        };
        if !ok {
            return;
        }
        // "security analyst Graham Pool": a head before a name is that
        // person's title, and the name is the candidate.
        if toks.get(h + 1).is_some_and(|t| t.kind == TokenKind::Word && t.text(text).starts_with(char::is_uppercase)) {
            return;
        }
        // Walk back over modifiers to a determiner: "an Uzbek citizen".
        let mut d = h;
        let mut found = None;
        while d > s.tokens.start && h - d <= MAX_MODIFIERS {
            d -= 1;
            let t = &toks[d];
            let dw = t.text(text);
            // a preposition ends the noun phrase ("The warning came from security analyst")
            if t.kind != TokenKind::Word && t.kind != TokenKind::Number && dw != "-" || is_one_of(dw, PREPOSITIONS) {
                break;
            }
            if is_one_of(dw, &["a", "an", "the", "one", "another", "this", "that"]) {
                found = Some(d);
                break;
            }
        }
        let Some(d) = found else { return };
        let span = ByteSpan::new(toks[d].start, toks[h].end);
        // A description inside a named mention is that mention.
        if near
            .iter()
            .filter_map(|&k| entities.get(k))
            .any(|m| m.span.overlaps(&span) && m.etype != EntityType::Other)
        {
            return;
        }
        cands.push(Cand {
            what: Antecedent::Description(span),
            start: span.start,
            sentence: si,
            subject: false,
        });
    };
    match heads {
        Some(heads) => {
            let first_tok = analysis.sentences[first_sentence].tokens.start.max(p.saturating_sub(MAX_SCAN));
            let from = heads.partition_point(|&h| h < first_tok);
            let mut si = first_sentence;
            for &h in heads[from..].iter().take_while(|&&h| h < p) {
                while si < ps && analysis.sentences[si].tokens.end <= h {
                    si += 1;
                }
                scan(si, h);
            }
        }
        None => {
            for si in first_sentence..=ps {
                let s = &analysis.sentences[si];
                let end = if si == ps { p } else { s.tokens.end };
                // Bounded: endless "sentences" of junk cost no more than a window.
                for h in s.tokens.start.max(p.saturating_sub(MAX_SCAN))..end {
                    scan(si, h);
                }
            }
        }
    }
    if pron == Pronoun::Plural {
        if let Some(pos) = hints.pos {
            // Also inside the pronoun's own statement: "The manufacturers want
            // …, they say" (though "Pupils should …, they say" after
            // "researchers say" then loses its speaker).
            plural_groups(text, analysis, entities, near, pos, first_sentence, p, &mut cands);
        }
    }
    // With nothing else in reach, earlier statements' sources stand for
    // their speakers where they are ("She said …" far from her name). Only
    // then, and only for a person whose name shows the pronoun's gender
    // (title or first name): a wrong earlier resolution ("he" → "Gartner")
    // must not spread to the pronouns after it.
    if cands.is_empty() {
        let gender = match pron {
            Pronoun::Male => Gender::Male,
            Pronoun::Female => Gender::Female,
            _ => Gender::Unknown,
        };
        for &(k, at) in hints.spoke_at {
            let Some(m) = entities.get(k) else { continue };
            if gender == Gender::Unknown
                || m.etype != EntityType::Person
                || name_gender(text, m) != gender
                || at < window_start
                || at >= tok.start
            {
                continue;
            }
            let sentence = analysis.sentences.partition_point(|x| x.end <= at);
            cands.push(Cand {
                what: Antecedent::Entity(k),
                start: at,
                sentence,
                subject: false,
            });
        }
    }
    if cands.is_empty() {
        return None;
    }
    // Subject position: the first candidate of its sentence that starts
    // within a few tokens of the sentence (or clause) start.
    cands.sort_by_key(|c| c.start);
    let mut last_sentence = usize::MAX;
    for c in cands.iter_mut() {
        if c.sentence != last_sentence {
            last_sentence = c.sentence;
            c.subject = starts_sentence(text, analysis, c.sentence, c.start);
        }
    }
    let mut out = Vec::with_capacity(cands.len());
    for c in cands {
        let dist = if c.sentence < anchor { anchor - c.sentence } else { ps - c.sentence.min(ps) } as f32;
        let mut score = -dist;
        if c.subject {
            score += 0.6;
        }
        if let Antecedent::Entity(k) = c.what {
            if let Some(pos) = speakers.iter().rposition(|&s| same_entity(text, entities, s, k)) {
                // The more recent the speaker, the likelier.
                let bonus = if is_source { 1.0 } else { 0.5 };
                score += bonus - 0.1 * (speakers.len() - 1 - pos).min(5) as f32;
            }
            if pron == Pronoun::Neuter && entities[k].etype == EntityType::Location {
                // Places speak less often than organisations.
                score -= 0.3;
            }
        }
        out.push((score, c));
    }
    Some(Ranked { sentence: ps, cands: out })
}

/// Plural common nouns heading a noun phrase between `first_sentence` and
/// token `end` that is not a preposition's object: what "they" most often
/// refers to in news ("Correspondents say …. They say"), and without them
/// the organisation named before wins. A description of people
/// ("campaigners") is a [`Antecedent::Description`], anything else a
/// [`Antecedent::Group`]; either only as a subject, with a verb right after
/// it ("Many newspapers are investing") or none before it in its clause,
/// as objects ("issued replacements to", "hold ministers to account") are
/// seldom "they".
#[allow(clippy::too_many_arguments)]
fn plural_groups(
    text: &str,
    analysis: &Analysis,
    entities: &[EntityMention],
    near: &[usize],
    pos: &[&str],
    first_sentence: usize,
    end: usize,
    cands: &mut Vec<Cand>,
) {
    let toks = &analysis.tokens;
    let tag = |t: usize| pos.get(t).copied().unwrap_or("");
    let from = analysis.sentences[first_sentence].tokens.start.max(end.saturating_sub(MAX_SCAN));
    let mut si = first_sentence;
    for h in from..end {
        if tag(h) != "NNS" || tag(h + 1).starts_with("NN") || tag(h + 1) == "POS" {
            continue;
        }
        while si + 1 < analysis.sentences.len() && analysis.sentences[si].tokens.end <= h {
            si += 1;
        }
        let sentence_start = analysis.sentences[si].tokens.start;
        // The noun phrase's first word: back over determiners, modifiers and nouns.
        let mut d = h;
        while d > sentence_start && h - d < MAX_MODIFIERS && matches!(tag(d - 1), "DT" | "PDT" | "JJ" | "JJR" | "JJS" | "NN" | "NNS" | "CD" | "PRP$" | "VBN" | "VBG" | "HYPH") {
            d -= 1;
        }
        // "billions of mobile phones": a preposition's object is no subject.
        if d > sentence_start && matches!(tag(d - 1), "IN" | "TO") {
            continue;
        }
        let span = ByteSpan::new(toks[d].start, toks[h].end);
        if cands.iter().any(|c| matches!(c.what, Antecedent::Description(s) if s.end == span.end))
            || near.iter().filter_map(|&k| entities.get(k)).any(|m| m.span.overlaps(&span) && m.etype != EntityType::Other)
        {
            continue;
        }
        if !(is_verb_tag(tag(h + 1)) || opens_clause(text, toks, pos, sentence_start, d)) {
            continue;
        }
        let people = person_desc(toks[h].text(text)).is_some_and(|(_, plural)| plural);
        cands.push(Cand {
            what: if people { Antecedent::Description(span) } else { Antecedent::Group(span) },
            start: span.start,
            sentence: si,
            subject: false,
        });
    }
}

fn is_verb_tag(tag: &str) -> bool {
    tag.starts_with("VB") || tag == "MD"
}

/// Whether no verb stands between the start of the clause and token `d`
/// (the phrase is the clause's subject, not an object: "Over the past
/// months, delegations of … have", not "and issued replacements to").
fn opens_clause(text: &str, toks: &[crate::text::Token], pos: &[&str], sentence_start: usize, d: usize) -> bool {
    const CLAUSE_OPENERS: &[&str] = &[",", ";", ":", "that", "whether", "because", "if", "when", "while", "although", "though"];
    for t in (sentence_start..d).rev().take(MAX_SCAN_CLAUSE) {
        if is_one_of(toks[t].text(text), CLAUSE_OPENERS) {
            return true;
        }
        if is_verb_tag(pos.get(t).copied().unwrap_or("")) {
            return false;
        }
    }
    true
}

/// How far back a clause's start is looked for (bounded on run-on junk).
const MAX_SCAN_CLAUSE: usize = 30;

/// Whether byte `at` is within a few words of the start of sentence `si`.
fn starts_sentence(text: &str, analysis: &Analysis, si: usize, at: usize) -> bool {
    let s = &analysis.sentences[si];
    // Lazily: at most four words are read, however long the sentence.
    text.get(s.start..at.max(s.start)).is_some_and(|t| t.split_whitespace().take(4).count() <= 3)
}

// ---------------------------------------------------------------------------
// Pronouns as mentions

/// How far the best antecedent must outscore the best other entity: about
/// a sentence of distance, or subject position plus having just spoken. A
/// subject preference alone ("Petrov met Sidorov. He said ...") is not enough.
const MARGIN: f32 = 0.7;
/// The least score of a linked antecedent: at most about a sentence back,
/// or two if it was the subject or the speaker.
const MIN_SCORE: f32 = -1.5;
/// "it" and "its" often refer to things no mention names ("the virus",
/// "the plan"): their named antecedent must be nearer.
const MIN_SCORE_NEUTER: f32 = -1.0;

/// How many of the latest mentions, unknown names and linked pronouns
/// before a pronoun are weighed (bounded work on junk without sentence ends).
const MAX_NEAR: usize = 64;

/// Verbs after which "it" is an agent (an organisation or country acting),
/// not the "it" of "it is unclear" or "it rained".
const IT_VERBS: &[&str] = &[
    "said", "says", "added", "announced", "claimed", "denied", "confirmed", "warned", "accused", "insisted",
    "stated", "reported", "told", "urged", "called", "noted", "argued", "blamed", "rejected", "declined",
    "refused", "agreed", "plans", "planned", "wants", "wanted", "hopes", "expects", "expected", "intends",
    "vowed", "pledged", "threatened", "demanded", "launched", "signed", "ordered", "issued", "published",
    "released", "sent", "deployed", "detained", "arrested", "sanctioned", "condemned", "welcomed",
    "recognised", "recognized", "imposed", "suspended", "withdrew", "employs", "employed", "owns", "owned",
];

/// Auxiliaries after which "it" acts if a main verb follows ("it would
/// appeal"), but not "it would be", "it has been", "it will take".
const IT_AUX: &[&str] = &["will", "would", "could", "can", "may", "might", "should", "must", "has", "had", "did", "does"];
const IT_NOT_AFTER_AUX: &[&str] = &["be", "been", "not", "seem", "appear", "take", "remain", "become", "never", "also", "still"];

/// Object forms: not the subject of their own clause ("X accused him": him ≠ X).
const OBJECT_FORMS: &[&str] = &["him", "them"];

/// Which entity a candidate is: a mention index standing for its node
/// (type, key, external id), or an unnamed description no mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Entity(usize),
    Unnamed(ByteSpan),
}

fn same_node(text: &str, a: &EntityMention, b: &EntityMention) -> bool {
    a.etype == b.etype && a.external_id == b.external_id && a.key(text) == b.key(text)
}

/// Third-person pronouns outside quotations become mentions of the entity
/// they refer to, when the reference is confident: the pronoun agrees with
/// it (gender, number, animacy) and it outscores every other entity by
/// [`MARGIN`]. A pronoun that attribution made a statement's source is a
/// mention of that speaker. The new mentions are appended to `ex.entities`
/// with [`MentionKind::Pronoun`] and the antecedent's canonical name, so they
/// join its node without touching its name, aliases or id.
pub fn link(text: &str, analysis: &Analysis, ex: &mut Extraction) {
    let toks = &analysis.tokens;
    if ex.entities.is_empty() || toks.is_empty() {
        return;
    }
    // Mentions by position (names and descriptions only).
    let mut order: Vec<usize> = (0..ex.entities.len())
        .filter(|&k| ex.entities[k].kind != MentionKind::Pronoun)
        .collect();
    order.sort_by_key(|&k| (ex.entities[k].span.start, k));
    // Speakers by the position of their source (or cue), and pronoun sources.
    let mut spoke: Vec<(usize, usize, usize)> = Vec::new();
    let mut said_by: HashMap<(usize, usize), usize> = HashMap::new();
    for st in &ex.statements {
        let Some(Ref::Entity(k)) = st.speaker else { continue };
        if k >= ex.entities.len() {
            continue;
        }
        let at = st.source.unwrap_or(st.cue);
        spoke.push((at.start, st.sentence, k));
        if let Some(src) = st.source {
            said_by.insert((src.start, src.end), k);
        }
    }
    spoke.sort_unstable();
    // Each mention's node, as the index of the node's first mention.
    let mut first_of: HashMap<(EntityType, &str, Option<&str>), usize> = HashMap::new();
    let rep: Vec<usize> = ex
        .entities
        .iter()
        .enumerate()
        .map(|(k, m)| *first_of.entry((m.etype, m.key(text), m.external_id.as_deref())).or_insert(k))
        .collect();
    // Person description heads, found once for the whole text.
    let mut heads: Option<Vec<usize>> = None;
    let mut titled: Option<Vec<(usize, Gender)>> = None;
    let mut unknown: Option<Vec<usize>> = None;
    let mut added: Vec<EntityMention> = Vec::new();
    // Earlier linked pronouns: (sentence, subject, antecedent mention).
    let mut chain: Vec<(usize, bool, usize)> = Vec::new();
    let mut speakers: Vec<usize> = Vec::new();
    // Whether the tokens are inside a quotation (which never spans paragraphs).
    let mut quoted = false;
    let mut paragraph = usize::MAX;
    for (si, s) in analysis.sentences.iter().enumerate() {
        if analysis.paragraphs.get(s.paragraph).is_none_or(|p| p.kind != ParagraphKind::Body) {
            continue;
        }
        if s.paragraph != paragraph {
            paragraph = s.paragraph;
            quoted = false;
        }
        for p in s.tokens.clone() {
            let t = &toks[p];
            if t.kind == TokenKind::Quote {
                quoted = after_quote(text, t.start, t.end, quoted);
                continue;
            }
            if quoted || t.kind != TokenKind::Word || t.end - t.start > 10 {
                continue;
            }
            let word = t.text(text);
            if !matches!(word.as_bytes()[0] | 0x20, b'h' | b's' | b'i' | b't') {
                continue;
            }
            let Some(pron) = Pronoun::of(word) else { continue };
            let span = ByteSpan::new(t.start, t.end);
            let source = said_by.get(&(t.start, t.end)).copied();
            let antecedent = {
                let heads = heads.get_or_insert_with(|| {
                    (0..toks.len()).filter(|&h| toks[h].kind == TokenKind::Word && person_desc(toks[h].text(text)).is_some()).collect()
                });
                let titled = titled.get_or_insert_with(|| titled_names(text, toks));
                let unknown = unknown.get_or_insert_with(|| unknown_names(text, analysis, &ex.entities));
                let window_start = analysis.sentences[si.saturating_sub(WINDOW)].start;
                let hi = order.partition_point(|&k| ex.entities[k].span.start < t.start);
                // Bounded work per pronoun, even in one endless "sentence".
                let lo = order.partition_point(|&k| ex.entities[k].span.start < window_start).max(hi.saturating_sub(MAX_NEAR));
                speakers.clear();
                let sp_hi = spoke.partition_point(|&(at, _, _)| at < t.start);
                // The latest few, oldest first.
                let sp_lo = spoke[..sp_hi]
                    .iter()
                    .rev()
                    .take(16)
                    .take_while(|&&(_, ss, _)| ss + WINDOW >= si)
                    .count();
                speakers.extend(spoke[sp_hi - sp_lo..sp_hi].iter().map(|&(_, _, k)| k));
                let k = choose(text, analysis, ex, &order[lo..hi], p, pron, &speakers, heads, &chain, titled, unknown, &rep, source.is_some());
                // A speaker attribution resolved is linked only if the
                // confident choice agrees (the mention then agrees with the edge).
                match (k, source) {
                    (Some(k), Some(s)) => same_node(text, &ex.entities[k], &ex.entities[s]).then_some(s),
                    (k, _) => k,
                }
            };
            let Some(k) = antecedent else { continue };
            let a = &ex.entities[k];
            chain.push((si, starts_sentence(text, analysis, si, t.start), k));
            added.push(EntityMention {
                span,
                etype: a.etype,
                subtype: a.subtype.clone(),
                canonical: Some(a.key(text).to_string()),
                external_id: a.external_id.clone(),
                sentence: si,
                confidence: 0.6,
                kind: MentionKind::Pronoun,
            });
        }
    }
    ex.entities.extend(added);
}

/// Names after a personal title ("Mr Livingstone", "Mrs Okafor"): the
/// token of the name and the gender the title gives.
fn titled_names(text: &str, toks: &[crate::text::Token]) -> Vec<(usize, Gender)> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Word || t.end - t.start > 4 {
            continue;
        }
        let w = t.text(text);
        let g = if is_one_of(w, &["Mr", "Sir"]) {
            Gender::Male
        } else if is_one_of(w, &["Mrs", "Ms", "Miss", "Dame"]) {
            Gender::Female
        } else if w == "Dr" {
            Gender::Unknown
        } else {
            continue;
        };
        // "Mr." is two tokens: skip the full stop.
        let mut n = i + 1;
        if toks.get(n).is_some_and(|x| x.text(text) == ".") {
            n += 1;
        }
        if toks.get(n).is_some_and(|x| x.kind == TokenKind::Word && x.text(text).starts_with(|c: char| c.is_uppercase())) {
            out.push((n, g));
        }
    }
    out
}

/// Capitalised words of body sentences that no mention covers and that
/// look like names: inside a sentence, or first and followed by a verb
/// ("Bening had a low-key spell"). Tokens in text order.
fn unknown_names(text: &str, analysis: &Analysis, entities: &[EntityMention]) -> Vec<usize> {
    let mut spans: Vec<(usize, usize)> = entities.iter().map(|m| (m.span.start, m.span.end)).collect();
    spans.sort_unstable();
    // The furthest end of the spans starting at or before each one.
    let mut reach = Vec::with_capacity(spans.len());
    let mut far = 0;
    for &(_, e) in &spans {
        far = far.max(e);
        reach.push(far);
    }
    let covered = |b: usize| {
        let i = spans.partition_point(|&(s, _)| s <= b);
        i > 0 && reach[i - 1] > b
    };
    let toks = &analysis.tokens;
    // Whether the capitalised run from token k (a few words at most) ends
    // where a mention starts.
    let titles_a_name = |k: usize| {
        let mut j = k + 1;
        while j < toks.len() && j <= k + 4 {
            let t = &toks[j];
            if covered(t.start) {
                return true;
            }
            if t.kind != TokenKind::Word || !t.text(text).starts_with(|c: char| c.is_uppercase()) {
                return false;
            }
            j += 1;
        }
        false
    };
    let mut out = Vec::new();
    for s in &analysis.sentences {
        if analysis.paragraphs.get(s.paragraph).is_none_or(|p| p.kind != ParagraphKind::Body) {
            continue;
        }
        for k in s.tokens.clone() {
            let t = &toks[k];
            if t.kind != TokenKind::Word || t.end - t.start < 2 {
                continue;
            }
            let w = t.text(text);
            if !w.starts_with(|c: char| c.is_uppercase())
                || covered(t.start)
                || Pronoun::of(w).is_some()
                || super::entities::is_title_head(w)
                // part of a title before a name: "Prime Minister Silvio Berlusconi"
                || titles_a_name(k)
            {
                continue;
            }
            let first = k == s.tokens.start || toks[k - 1].kind == TokenKind::Quote && k - 1 == s.tokens.start;
            let looks_like_name = if first {
                toks.get(k + 1).is_some_and(|n| is_one_of(n.text(text), NAME_VERBS)) && !is_one_of(w, NOT_NAMES)
            } else {
                !is_one_of(w, NOT_NAMES) && !(toks[k - 1].kind == TokenKind::Quote || toks[k - 1].text(text) == ":")
            };
            if looks_like_name {
                out.push(k);
            }
        }
    }
    out
}

/// Verbs that make a capitalised first word a likely name ("Bening had").
const NAME_VERBS: &[&str] = &["had", "has", "was", "is", "said", "says", "told", "added", "went", "will", "would", "scored", "joined", "won", "lost", "made", "became"];

/// Capitalised words that are not names of anyone.
const NOT_NAMES: &[&str] = &[
    "This", "That", "There", "What", "Which", "Who", "These", "Those", "Here", "One", "Nobody", "Everyone", "Everything",
    "Nothing", "Something", "All", "Both", "Each", "The", "A", "An", "I", "Mr", "Mrs", "Ms", "Dr", "Sir", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November", "December", "Christmas", "Easter",
    "OK", "TV", "AM", "PM", "It", "Its", "Today", "Yesterday", "Tomorrow", "Internet", "Web", "God",
];

/// Quotation state after the quote token at bytes `start..end`: opening
/// and closing marks set it; a straight double quote opens after a space
/// and closes before one (news often opens a quote's next paragraph or
/// sentence without closing the last), else toggles. Single quotes are too
/// often apostrophes.
fn after_quote(text: &str, start: usize, end: usize, quoted: bool) -> bool {
    match &text[start..end] {
        "\u{201c}" | "\u{ab}" | "``" => true,
        "\u{201d}" | "\u{bb}" | "''" => false,
        "\"" => {
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            let open_side = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "([{-\u{2014}\u{2013}".contains(c));
            if open_side(before) && !open_side(after) {
                true
            } else if !open_side(before) && after.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation()) {
                false
            } else {
                !quoted
            }
        }
        _ => quoted,
    }
}

/// The confident antecedent of pronoun token `p`, as a mention index.
#[allow(clippy::too_many_arguments)]
fn choose(
    text: &str,
    analysis: &Analysis,
    ex: &Extraction,
    near: &[usize],
    p: usize,
    pron: Pronoun,
    speakers: &[usize],
    heads: &[usize],
    chain: &[(usize, bool, usize)],
    titled: &[(usize, Gender)],
    unknown: &[usize],
    rep: &[usize],
    is_source: bool,
) -> Option<usize> {
    let toks = &analysis.tokens;
    let word = toks[p].text(text);
    let ents = &ex.entities;
    match pron {
        // "it" acts only before an agent's verb; "its" and "itself" always refer.
        Pronoun::Neuter if word.eq_ignore_ascii_case("it") => {
            let next = |k: usize| toks.get(p + k).filter(|t| t.kind == TokenKind::Word).map_or("", |t| t.text(text));
            let acts = is_one_of(next(1), IT_VERBS)
                || is_one_of(next(1), IT_AUX)
                    && next(2).starts_with(|c: char| c.is_ascii_lowercase())
                    && !is_one_of(next(2), IT_NOT_AFTER_AUX);
            if !acts {
                return None;
            }
        }
        _ => {}
    }
    let hints = SpeakerHints { speakers, ..SpeakerHints::default() };
    let ranked = rank(text, analysis, ents, near, p, is_source, Some(heads), &hints)?;
    let ps = ranked.sentence;
    let object = is_one_of(word, OBJECT_FORMS);
    // Each candidate entity's best score.
    // By entity: mentions of one node share their first mention's index.
    let mut by_who: HashMap<Who, f32> = HashMap::new();
    let mut note = |who: Who, score: f32| {
        let who = match who {
            Who::Entity(k) => Who::Entity(rep.get(k).copied().unwrap_or(k)),
            w => w,
        };
        let s = by_who.entry(who).or_insert(f32::NEG_INFINITY);
        *s = s.max(score);
    };
    for (score, c) in &ranked.cands {
        let mut score = *score;
        if object && c.subject && c.sentence == ps {
            // "A source ... accused him": not the source.
            continue;
        }
        let who = match c.what {
            Antecedent::Entity(k) => {
                let m = &ents[k];
                if !linkable(text, m, pron) {
                    continue;
                }
                if matches!(pron, Pronoun::Male | Pronoun::Female) && m.etype == EntityType::Person && name_gender(text, m) == Gender::Unknown {
                    // A known gender that agrees is the better evidence.
                    score -= 0.2;
                }
                Who::Entity(k)
            }
            // An unnamed person some mention already stands for ("an Uzbek citizen" as a source).
            Antecedent::Description(d) => match ents.iter().position(|m| m.span == d && m.kind == MentionKind::Name) {
                Some(k) => Who::Entity(k),
                None => Who::Unnamed(d),
            },
            Antecedent::Group(d) => Who::Unnamed(d),
        };
        note(who, score);
    }
    // "Mr Livingstone" that the tagger did not make a person is still a
    // person: a competitor that no mention stands for.
    if matches!(pron, Pronoun::Male | Pronoun::Female) {
        let first_tok = analysis.sentences[ps.saturating_sub(WINDOW)].tokens.start;
        let to = titled.partition_point(|&(t, _)| t < p);
        let from = titled.partition_point(|&(t, _)| t < first_tok).max(to.saturating_sub(MAX_NEAR));
        for &(t, g) in &titled[from..to] {
            let agrees = match pron {
                Pronoun::Male => g != Gender::Female,
                _ => g != Gender::Male,
            };
            let name = ByteSpan::new(toks[t].start, toks[t].end);
            if !agrees || near.iter().any(|&k| ents[k].etype == EntityType::Person && ents[k].span.contains(&name)) {
                continue;
            }
            let ts = sentence_of(analysis, t).unwrap_or(ps);
            let subject = starts_sentence(text, analysis, ts, toks[t].start);
            note(Who::Unnamed(name), -(ps.saturating_sub(ts) as f32) + if subject { 0.6 } else { 0.0 });
        }
    }
    // Capitalised words no mention covers ("Luscombe", "Enron"): names the
    // tagger missed, competitors that no mention stands for.
    {
        let first_tok = analysis.sentences[ps.saturating_sub(WINDOW)].tokens.start;
        let to = unknown.partition_point(|&t| t < p);
        let from = unknown.partition_point(|&t| t < first_tok).max(to.saturating_sub(MAX_NEAR));
        for &t in &unknown[from..to] {
            let ts = sentence_of(analysis, t).unwrap_or(ps);
            let subject = starts_sentence(text, analysis, ts, toks[t].start);
            note(Who::Unnamed(ByteSpan::new(toks[t].start, toks[t].end)), -(ps.saturating_sub(ts) as f32) + if subject { 0.6 } else { 0.0 });
        }
    }
    // Pronouns already linked in the window stand for their antecedent where they are.
    for &(cs, subject, k) in chain.iter().rev().take_while(|&&(cs, _, _)| cs + WINDOW >= ps).take(MAX_NEAR) {
        if !agrees_entity(text, &ents[k], pron, true) || !linkable(text, &ents[k], pron) {
            continue;
        }
        if object && subject && cs == ps {
            continue;
        }
        let score = -(ps.saturating_sub(cs) as f32) + if subject { 0.6 } else { 0.0 };
        note(Who::Entity(k), score);
    }
    // Ties between the best two fail the margin, so hash order cannot matter.
    let mut scores: Vec<(Who, f32)> = by_who.into_iter().collect();
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (who, best) = scores.first()?;
    let second = scores.get(1).map_or(f32::NEG_INFINITY, |s| s.1);
    let min = if pron == Pronoun::Neuter { MIN_SCORE_NEUTER } else { MIN_SCORE };
    if *best < min || best - second < MARGIN {
        return None;
    }
    match who {
        Who::Entity(k) => Some(*k),
        Who::Unnamed(_) => None,
    }
}

/// Antecedents a pronoun may become a mention of: people for he/she, plural
/// unnamed groups of people for they, organisations and countries for it.
fn linkable(text: &str, m: &EntityMention, pron: Pronoun) -> bool {
    match pron {
        Pronoun::Male | Pronoun::Female => m.etype == EntityType::Person,
        Pronoun::Plural => {
            m.etype == EntityType::Person
                && m.subtype.as_deref() == Some("anonymous")
                && m.span.text(text).trim_end().ends_with('s')
        }
        Pronoun::Neuter => {
            m.etype == EntityType::Organization
                || m.etype == EntityType::Location && m.subtype.as_deref() == Some("country")
        }
    }
}

/// Mentions k and j name the same entity (same type and key).
fn same_entity(text: &str, entities: &[EntityMention], k: usize, j: usize) -> bool {
    match (entities.get(k), entities.get(j)) {
        (Some(a), Some(b)) => k == j || a.etype == b.etype && a.key(text) == b.key(text) && a.subtype.as_deref() != Some("anonymous"),
        _ => false,
    }
}

/// Organisation words that keep an untyped name from being "he" or "she".
const ORG_WORDS: &[&str] = &[
    "committee", "ministry", "service", "services", "agency", "council", "party", "court",
    "department", "office", "government", "army", "police", "bank", "university", "company",
    "commission", "campaign", "administration", "association", "union", "group", "news",
    "times", "post", "journal", "network", "house", "senate", "congress", "kremlin",
];

fn agrees_entity(text: &str, m: &EntityMention, pron: Pronoun, typed: bool) -> bool {
    if m.subtype.as_deref() == Some("nationality") {
        return false;
    }
    let anonymous_plural = m.subtype.as_deref() == Some("anonymous")
        && m.span.text(text).trim_end().ends_with('s');
    match m.etype {
        EntityType::Person => match pron {
            Pronoun::Male => !anonymous_plural && name_gender(text, m) != Gender::Female,
            Pronoun::Female => !anonymous_plural && name_gender(text, m) != Gender::Male,
            Pronoun::Plural => anonymous_plural,
            Pronoun::Neuter => false,
        },
        EntityType::Organization | EntityType::Location => {
            matches!(pron, Pronoun::Neuter | Pronoun::Plural)
        }
        EntityType::Other => {
            // Without a typing NER: names ending in an organisation word are
            // "it"; with one, only an anonymous source so headed ("The
            // Paris-based pressure group said … It said").
            let last = m.span.text(text).rsplit(' ').next().unwrap_or("");
            let org = is_one_of(last, ORG_WORDS);
            if typed {
                return org && m.subtype.as_deref() == Some("anonymous") && matches!(pron, Pronoun::Neuter);
            }
            match pron {
                Pronoun::Male | Pronoun::Female => !org,
                Pronoun::Neuter | Pronoun::Plural => true,
            }
        }
    }
}

/// The sentence that holds token `p`.
fn sentence_of(analysis: &Analysis, p: usize) -> Option<usize> {
    let i = analysis
        .sentences
        .partition_point(|s| s.tokens.end <= p);
    analysis
        .sentences
        .get(i)
        .filter(|s| s.tokens.start <= p)
        .map(|_| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    fn mention(text: &str, s: &str, etype: EntityType, sentence: usize) -> EntityMention {
        let start = text.find(s).unwrap();
        EntityMention {
            span: ByteSpan::new(start, start + s.len()),
            etype,
            subtype: None,
            canonical: None,
            external_id: None,
            sentence,
            confidence: 1.0,
            kind: MentionKind::Name,
        }
    }

    /// The antecedent `resolve` picks for the pronoun at byte `at`, among the
    /// name mentions `names` (all in sentence 0, all near), with `speakers`.
    fn resolve_at(text: &str, names: &[(&str, EntityType)], at: usize, speakers: &[usize]) -> Option<Antecedent> {
        let an = analyze(text);
        let ents: Vec<EntityMention> = names.iter().map(|&(s, t)| mention(text, s, t, 0)).collect();
        let p = an.tokens.iter().position(|t| t.start == at).unwrap();
        let hints = SpeakerHints { speakers, ..SpeakerHints::default() };
        resolve(text, &an, &ents, &(0..ents.len()).collect::<Vec<_>>(), p, &hints)
    }

    #[test]
    fn he_prefers_the_nearer_description_to_an_older_name() {
        let text = "Anton Grebov was shot outside his office on Monday. \
                    Police have arrested a Moldovan national suspected of the killing, the prosecutor said. \
                    She said he had confessed.";
        let he = text.find(" he had").unwrap() + 1;
        match resolve_at(text, &[("Anton Grebov", EntityType::Person)], he, &[]) {
            Some(Antecedent::Description(s)) => assert_eq!(s.text(text), "a Moldovan national"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn she_skips_a_male_name_for_a_female_one() {
        let text = "Mrs. Okafor met Peter Lind in Lagos. She said the talks went well.";
        let names = [("Okafor", EntityType::Person), ("Peter Lind", EntityType::Person)];
        assert_eq!(resolve_at(text, &names, text.find("She").unwrap(), &[]), Some(Antecedent::Entity(0)));
    }

    #[test]
    fn it_goes_to_the_organisation_that_just_spoke() {
        let text = "Greece has detained two men, the Coast Guard said on Friday. It said they were smugglers.";
        let names = [("Greece", EntityType::Location), ("Coast Guard", EntityType::Organization)];
        assert_eq!(resolve_at(text, &names, text.find("It said").unwrap(), &[1]), Some(Antecedent::Entity(1)));
    }

    #[test]
    fn no_antecedent_for_unknown_words_and_empty_text() {
        let an = analyze("");
        assert_eq!(resolve("", &an, &[], &[], 0, &SpeakerHints::default()), None);
        let text = "We said nothing.";
        let an = analyze(text);
        assert_eq!(resolve(text, &an, &[], &[], 0, &SpeakerHints::default()), None);
    }

    // ---- Pronouns as mentions, through the whole pipeline (bundled models).

    static PIPELINE: std::sync::LazyLock<crate::pipeline::Pipeline> =
        std::sync::LazyLock::new(|| crate::pipeline::Pipeline::bundled().expect("bundled models load"));

    /// (pronoun surface and byte start, the key of the entity it became a mention of).
    fn linked(text: &str) -> Vec<(String, usize, String)> {
        let ex = PIPELINE.extract(&crate::text::Document::plain("t", text));
        ex.entities
            .iter()
            .filter(|m| m.kind == MentionKind::Pronoun)
            .map(|m| (m.span.text(text).to_string(), m.span.start, m.key(text).to_string()))
            .collect()
    }

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap()
    }

    #[test]
    fn he_and_she_go_to_the_person_who_agrees() {
        let text = "Talks on grain exports stall\n\
                    Maria Lindqvist, the head of the Nordic Grain Council, met Tomas Berg in Oslo on Monday. \
                    She said the talks had stalled over shipping costs.\n\
                    Berg flew back to Riga on Tuesday. He said his team would return in March.\n";
        let l = linked(text);
        assert!(l.contains(&("She".into(), at(text, "She said"), "Maria Lindqvist".into())), "{l:?}");
        assert!(l.contains(&("his".into(), at(text, "his team"), "Tomas Berg".into())), "{l:?}");
        // Nothing goes to the wrong person.
        assert!(!l.iter().any(|(p, _, k)| p == "She" && k != "Maria Lindqvist"), "{l:?}");
        assert!(!l.iter().any(|(p, _, k)| (p == "He" || p == "his") && k != "Tomas Berg"), "{l:?}");
    }

    #[test]
    fn he_goes_to_nobody_when_two_men_are_equally_likely() {
        let text = "Border talks in Minsk\n\
                    Ivan Petrov met Oleg Sidorov in Minsk on Friday to discuss the border. He said the meeting went well.\n";
        let l = linked(text);
        assert!(l.iter().all(|(p, _, _)| p != "He"), "{l:?}");
    }

    #[test]
    fn him_is_not_the_subject_of_his_own_clause() {
        let text = "Mayor accused\n\
                    Prosecutors questioned Mayor Anton Grebov on Monday. \
                    Deputy mayor Lena Okafor accused him of hiding the accounts.\n";
        let l = linked(text);
        assert!(!l.iter().any(|(p, _, k)| p == "him" && k.contains("Okafor")), "{l:?}");
    }

    #[test]
    fn it_goes_to_the_organization_and_not_to_the_weather() {
        let text = "Shipping firm fined\n\
                    The Baltic Shipping Company was fined two million euros by regulators in Tallinn on Monday. \
                    It would appeal the ruling, its lawyers said. It was raining in Tallinn.\n";
        let l = linked(text);
        let it: Vec<_> = l.iter().filter(|(p, _, _)| p == "It" || p == "its").collect();
        assert!(it.iter().any(|(p, _, k)| p == "It" && k == "Baltic Shipping Company"), "{l:?}");
        assert!(it.iter().any(|(p, _, k)| p == "its" && k == "Baltic Shipping Company"), "{l:?}");
        // "It was raining": no antecedent.
        assert!(!l.iter().any(|(_, s, _)| *s == at(text, "It was raining")), "{l:?}");
    }

    #[test]
    fn pronouns_inside_quotations_are_left_alone() {
        let text = "Minister speaks\n\
                    Finance minister Pavel Novak spoke on Monday. \"They missed the target. He knows it,\" Novak said.\n";
        let l = linked(text);
        assert!(l.iter().all(|(_, s, _)| *s > at(text, "Novak said")), "{l:?}");
    }
}
