//! Pronoun resolution: the entity (or unnamed description, "an Uzbek
//! citizen", "the suspect") a third-person pronoun refers to.
//!
//! A salience model over the last few sentences: candidates are the named
//! entity mentions and the person descriptions before the pronoun, filtered
//! by agreement (gender, number, animacy) and scored by recency (sentence
//! distance), subject position and whether they were just quoted as a
//! speaker. Used by attribution for pronoun sources ("It claimed he said …").

use super::{ByteSpan, EntityMention, EntityType};
use crate::text::{Analysis, TokenKind};

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
];

/// Titles before a name that fix its gender.
const MALE_TITLES: &[&str] = &["mr", "mr.", "sir", "king", "prince", "lord"];
const FEMALE_TITLES: &[&str] = &["mrs", "mrs.", "ms", "ms.", "miss", "madam", "queen", "princess", "lady", "dame"];

/// How many tokens before a pronoun are searched for descriptions.
const MAX_SCAN: usize = 400;

/// Words that may sit between a determiner and a description head.
const MAX_MODIFIERS: usize = 4;

fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| word.eq_ignore_ascii_case(w))
}

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
    if is_one_of(first, FEMALE_NAMES) {
        return Gender::Female;
    }
    Gender::Unknown
}

/// A candidate antecedent before the pronoun.
#[derive(Debug, Clone, Copy)]
struct Cand {
    what: Antecedent,
    start: usize,
    sentence: usize,
    subject: bool,
}

/// Resolves the pronoun token `p` of `analysis`. `entities` are the
/// mentions and `near` the indices of those worth looking at (e.g. the
/// last few hundred before the pronoun: bounded work); `speakers` are entity
/// indices that were speakers of statements before the pronoun (most
/// recent last); `is_source` says the pronoun is itself a speaker, which
/// makes recent speakers likelier antecedents.
pub fn resolve(
    text: &str,
    analysis: &Analysis,
    entities: &[EntityMention],
    near: &[usize],
    p: usize,
    speakers: &[usize],
    is_source: bool,
) -> Option<Antecedent> {
    let toks = &analysis.tokens;
    let tok = toks.get(p)?;
    let pron = Pronoun::of(tok.text(text))?;
    let ps = sentence_of(analysis, p)?;
    let first_sentence = ps.saturating_sub(WINDOW);
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
        if Pronoun::of(m.span.text(text)).is_some() {
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
    for si in first_sentence..=ps {
        let s = &analysis.sentences[si];
        let end = if si == ps { p } else { s.tokens.end };
        // Bounded: endless "sentences" of junk cost no more than a window.
        for h in s.tokens.start.max(p.saturating_sub(MAX_SCAN))..end {
            let w = toks[h].text(text);
            let Some(&(_, g, plural)) = PERSON_DESC.iter().find(|(d, _, _)| w.eq_ignore_ascii_case(d))
            else {
                continue;
            };
            let ok = match pron {
                Pronoun::Male => !plural && g != Gender::Female,
                Pronoun::Female => !plural && g != Gender::Male,
                Pronoun::Plural => plural,
                Pronoun::Neuter => false,
            };
            if !ok {
                continue;
            }
            // Walk back over modifiers to a determiner: "an Uzbek citizen".
            let mut d = h;
            let mut found = None;
            while d > s.tokens.start && h - d <= MAX_MODIFIERS {
                d -= 1;
                let t = &toks[d];
                let dw = t.text(text);
                if t.kind != TokenKind::Word && t.kind != TokenKind::Number && dw != "-" {
                    break;
                }
                if is_one_of(dw, &["a", "an", "the", "one", "another", "this", "that"]) {
                    found = Some(d);
                    break;
                }
            }
            let Some(d) = found else { continue };
            let span = ByteSpan::new(toks[d].start, toks[h].end);
            // A description inside a named mention is that mention.
            if near
                .iter()
                .filter_map(|&k| entities.get(k))
                .any(|m| m.span.overlaps(&span) && m.etype != EntityType::Other)
            {
                continue;
            }
            cands.push(Cand {
                what: Antecedent::Description(span),
                start: span.start,
                sentence: si,
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
            let s = &analysis.sentences[c.sentence];
            let lead = text[s.start..c.start.max(s.start)]
                .split_whitespace()
                .count();
            c.subject = lead <= 3;
        }
    }
    let mut best: Option<(f32, usize, Antecedent)> = None;
    for c in &cands {
        let dist = ps.saturating_sub(c.sentence) as f32;
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
        // Ties go to the nearer candidate.
        if best.is_none_or(|(b, bs, _)| score > b || score == b && c.start > bs) {
            best = Some((score, c.start, c.what));
        }
    }
    best.map(|(_, _, a)| a)
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
            if typed {
                return false;
            }
            // Without a typing NER: names ending in an organisation word are "it".
            let last = m.span.text(text).rsplit(' ').next().unwrap_or("");
            let org = is_one_of(last, ORG_WORDS);
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
        }
    }

    fn pron_tok(an: &Analysis, at: usize) -> usize {
        an.tokens.iter().position(|t| t.start == at).unwrap()
    }

    #[test]
    fn he_prefers_the_nearer_description_to_an_older_name() {
        let text = "Anton Grebov was shot outside his office on Monday. \
                    Police have arrested a Moldovan national suspected of the killing, the prosecutor said. \
                    She said he had confessed.";
        let an = analyze(text);
        let ents = vec![mention(text, "Anton Grebov", EntityType::Person, 0)];
        let he = text.find(" he had").unwrap() + 1;
        let p = pron_tok(&an, he);
        match resolve(text, &an, &ents, &(0..ents.len()).collect::<Vec<_>>(), p, &[], true) {
            Some(Antecedent::Description(s)) => assert_eq!(s.text(text), "a Moldovan national"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn she_skips_a_male_name_for_a_female_one() {
        let text = "Mrs. Okafor met Peter Lind in Lagos. She said the talks went well.";
        let an = analyze(text);
        let ents = vec![
            mention(text, "Okafor", EntityType::Person, 0),
            mention(text, "Peter Lind", EntityType::Person, 0),
        ];
        let p = pron_tok(&an, text.find("She").unwrap());
        assert_eq!(resolve(text, &an, &ents, &(0..ents.len()).collect::<Vec<_>>(), p, &[], true), Some(Antecedent::Entity(0)));
    }

    #[test]
    fn it_goes_to_the_organisation_that_just_spoke() {
        let text = "Greece has detained two men, the Coast Guard said on Friday. It said they were smugglers.";
        let an = analyze(text);
        let ents = vec![
            mention(text, "Greece", EntityType::Location, 0),
            mention(text, "Coast Guard", EntityType::Organization, 0),
        ];
        let p = pron_tok(&an, text.find("It said").unwrap());
        assert_eq!(resolve(text, &an, &ents, &(0..ents.len()).collect::<Vec<_>>(), p, &[1], true), Some(Antecedent::Entity(1)));
    }

    #[test]
    fn no_antecedent_for_unknown_words_and_empty_text() {
        let an = analyze("");
        assert_eq!(resolve("", &an, &[], &[], 0, &[], true), None);
        let text = "We said nothing.";
        let an = analyze(text);
        assert_eq!(resolve(text, &an, &[], &[], 0, &[], true), None);
    }
}
