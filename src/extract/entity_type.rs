//! Document-level re-typing of one-word names.
//!
//! The CoNLL-2003 tagger often types a one-word company name ("Sony",
//! "Gartner") as a person or a place, and `unify_types` then spreads that
//! type over the whole document. News introduces a person by full name or
//! with a title; a one-word "person" that never has either, or a "place" the
//! gazetteer does not know, is re-typed as an organization when the
//! document's contexts for it say company ("shares in X", "X's chief
//! executive", "rival X", "X said its", "Sony, IBM and Toshiba") and none
//! say person ("X, 34,", "X's wife", "X said he") or place ("in X"), or
//! the company contexts outnumber them three to one.
//!
//! The tagger exposes no per-type scores (its spans carry one class), so
//! the evidence here is contexts counted over all the name's mentions.

use super::gazetteer::{name_key, Gazetteer};
use super::{EntityMention, EntityType, MentionKind};
use crate::text::{Analysis, Token, TokenKind};
use std::collections::{BTreeMap, BTreeSet};

/// Lower-case nouns right before a company name: "rival Sony", "record
/// label Sony", "analysts Gartner".
const ORG_BEFORE: &[&str] = &[
    "rival", "rivals", "firm", "company", "giant", "maker", "label", "retailer", "carrier", "airline",
    "broadcaster", "operator", "conglomerate", "analyst", "analysts", "manufacturer", "publisher", "developer",
    "insurer", "lender", "bank", "studio", "network", "chain", "supermarket", "brewer", "carmaker", "chipmaker",
    "consultancy", "consultants", "group", "distributor", "provider", "supplier",
];
/// Plural nouns before "such as / including / like" that list companies.
const ORG_PLURALS: &[&str] = &[
    "firms", "companies", "makers", "manufacturers", "rivals", "giants", "brands", "operators", "retailers",
    "carriers", "airlines", "banks", "labels", "studios", "publishers", "developers", "competitors", "suppliers",
    "providers", "vendors", "partners", "backers", "investors", "insurers", "lenders", "groups", "businesses",
];
/// Lower-case nouns after "X" or "X's" that belong to a company: "Sony
/// products", "Nintendo's shares", "the Gartner report".
const ORG_AFTER: &[&str] = &[
    "shares", "share", "stock", "executives", "executive", "boss", "bosses", "chief", "chairman", "spokesman",
    "spokeswoman", "spokesperson", "staff", "employees", "workers", "shareholders", "profits", "profit", "sales",
    "revenue", "revenues", "earnings", "products", "product", "console", "consoles", "handset", "handsets",
    "division", "subsidiary", "unit", "plant", "factory", "factories", "stores", "store", "brand", "report",
    "research", "analyst", "analysts", "headquarters", "management", "board", "customers", "subscribers",
    "devices", "device", "phones", "laptops", "computers", "chips", "technology", "software", "operations",
    "takeover", "merger", "market", "rivals", "competitors", "investors", "bid", "offer", "results",
];
/// Nouns after a bare name that also follow places ("the Cowley factory",
/// "the Frankfurt stock exchange"): company evidence only after "X's".
const PLACE_ALSO_AFTER: &[&str] = &["stock", "market", "plant", "factory", "factories", "headquarters", "operations", "research", "workers", "staff", "stores", "store"];
/// Job and ownership words before "of/at/in X": "chief operating officer
/// of Sony", "a director at Gartner", "shares in Sony".
const ORG_HOLDERS: &[&str] = &[
    "officer", "executive", "executives", "boss", "chairman", "chief", "head", "director", "founder", "spokesman",
    "spokeswoman", "spokesperson", "employee", "employees", "staff", "worker", "workers", "analyst", "analysts",
    "shareholders", "shareholder", "owner", "owners", "subsidiary", "unit", "division", "shares", "stake",
    "investment", "takeover", "acquisition", "ceo", "engineers", "researchers", "president", "chairwoman",
    "manager", "managers",
];
/// Nouns after "X's" that only a person has: "Smith's wife".
const PERSON_AFTER_POSS: &[&str] = &[
    "wife", "husband", "son", "sons", "daughter", "daughters", "mother", "father", "brother", "sister", "family",
    "girlfriend", "boyfriend", "fiancee", "fiancée", "career", "life", "death", "funeral", "birthday", "mum", "dad",
    "children", "parents", "widow", "body", "lawyer", "lawyers", "solicitor", "agent", "health", "injury",
    "debut", "friends", "age",
];
/// Lower-case roles right before a person's one-word name: "rapper Kenzie".
const PERSON_BEFORE: &[&str] = &[
    "singer", "rapper", "performer", "star", "actor", "actress", "artist", "comedian", "presenter", "musician",
    "guitarist", "drummer", "player", "striker", "midfielder", "defender", "goalkeeper", "keeper", "boxer", "golfer",
    "batsman", "bowler", "winger", "captain", "coach", "model", "dj", "frontman", "songwriter", "veteran",
    // "my son Max"
    "son", "daughter", "wife", "husband", "brother", "sister", "mother", "father", "friend", "boyfriend",
    "girlfriend", "nephew", "niece", "uncle", "aunt", "grandson", "granddaughter",
];
/// Words before a place: "in X", "near X".
const PLACE_BEFORE: &[&str] = &["in", "near", "across", "throughout", "outside", "into", "around", "towards"];
const HONORIFICS: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "Prof"];

fn any_eq(list: &[&str], w: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// Evidence for one name over all its mentions.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    /// Company contexts, in half-points: a strong cue ("shares in X") is 2,
    /// a weak one ("X's Walkman", listed beside companies) is 1.
    pub org: u32,
    /// Mentions in a person context (titles, ages, "he", "X's wife").
    pub person: u32,
    /// Mentions in a place context ("in X", "X-based").
    pub place: u32,
}

/// Re-types one-word Person and Location names as Organization on the
/// whole document's evidence. `ms` are the name mentions after coreference
/// (types already one per name); a name linked to a full name (`canonical`)
/// or to the gazetteer (`external_id`) is never touched.
pub fn retype(text: &str, analysis: &Analysis, g: &Gazetteer, ms: &mut [EntityMention]) {
    // A second pass lets names re-typed in the first count as companies
    // beside their neighbours ("Sony, Microsoft and Nintendo").
    if retype_pass(text, analysis, g, ms) {
        retype_pass(text, analysis, g, ms);
    }
}

/// One pass of [`retype`]; whether it changed anything.
fn retype_pass(text: &str, analysis: &Analysis, g: &Gazetteer, ms: &mut [EntityMention]) -> bool {
    let toks = &analysis.tokens;
    let mut changed = false;
    // Candidate names, with their mentions.
    let mut names: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut blocked: BTreeSet<&str> = BTreeSet::new();
    for (i, m) in ms.iter().enumerate() {
        if m.kind != MentionKind::Name || !matches!(m.etype, EntityType::Person | EntityType::Location) {
            continue;
        }
        let Some(surface) = text.get(m.span.start..m.span.end) else { continue };
        let single = !surface.contains(char::is_whitespace) && surface.chars().next().is_some_and(char::is_uppercase);
        if !single || m.external_id.is_some() || m.subtype.is_some() || m.canonical.as_deref().is_some_and(|c| c != surface) {
            blocked.insert(surface);
            continue;
        }
        names.entry(surface).or_default().push(i);
    }
    if names.is_empty() {
        return false;
    }
    // Every word of a multi-word person name: "Stringer" in "Howard Stringer"
    // is a person's name whatever its own contexts say.
    let mut person_words: BTreeSet<&str> = BTreeSet::new();
    // First words of multi-word organization names: "Sony" of "Sony Pictures".
    let mut org_heads: BTreeSet<&str> = BTreeSet::new();
    for m in ms.iter().filter(|m| m.kind == MentionKind::Name) {
        let Some(s) = text.get(m.span.start..m.span.end) else { continue };
        if !s.contains(char::is_whitespace) {
            continue;
        }
        match m.etype {
            EntityType::Person => person_words.extend(s.split_whitespace()),
            // "Sony Pictures", "Marsh Inc": a company-word ending (not "Phillips Idowu")
            EntityType::Organization if s.split_whitespace().last().is_some_and(super::entities::is_org_cue) => {
                org_heads.extend(s.split_whitespace().next())
            }
            _ => {}
        }
    }
    for (name, idx) in &names {
        if blocked.contains(name) || person_words.contains(name) || super::entities::is_noun_acronym(name) {
            continue;
        }
        let etype = ms[idx[0]].etype;
        if idx.iter().any(|&i| ms[i].etype != etype) {
            continue;
        }
        // A place the gazetteer knows is no company ("Mumbai" typed Person).
        if !g.lookup(&name_key(name)).is_empty() {
            continue;
        }
        let mut ev = Evidence::default();
        if org_heads.contains(name) {
            ev.org += 2;
        }
        let mut products: Vec<&str> = Vec::new();
        for &i in idx {
            let (mut e, product) = mention_evidence(text, analysis, toks, ms, i, etype);
            if let Some(p) = product {
                if products.contains(&p) {
                    e.org = 0;
                } else {
                    products.push(p);
                }
            }
            ev.org += e.org;
            ev.person += e.person;
            ev.place += e.place;
        }
        // "in Cuyo" speaks against a company as much as "rapper Kenzie"
        let against = ev.person + ev.place;
        if decide(ev.org, against) {
            for &i in idx {
                ms[i].etype = EntityType::Organization;
            }
            changed = true;
        }
    }
    changed
}

/// Company evidence (half-points) wins when it is one strong cue or two
/// weak ones and nothing speaks against it, or when it outweighs the other
/// side three to one.
fn decide(org: u32, against: u32) -> bool {
    org >= 2 && (against == 0 || org >= 6 * against)
}

/// The contexts of one mention: each side counts at most once.
/// Also returns the product word when the only cue was "X's <Product>", so
/// that "Ocean's Twelve" three times counts once.
fn mention_evidence<'a>(text: &'a str, analysis: &Analysis, toks: &[Token], ms: &[EntityMention], i: usize, etype: EntityType) -> (Evidence, Option<&'a str>) {
    let m = &ms[i];
    let mut ev = Evidence::default();
    let a = toks.partition_point(|t| t.start < m.span.start);
    let b = toks.partition_point(|t| t.start < m.span.end);
    if a >= b || b > toks.len() {
        return (ev, None);
    }
    let range = analysis.sentences.get(m.sentence).map_or(0..toks.len(), |s| s.tokens.clone());
    let (lo, hi) = (range.start, range.end.min(toks.len()));
    let w = |k: usize| -> &'a str { if k >= lo && k < hi { toks[k].text(text) } else { "" } };
    let before = |n: usize| -> &'a str { a.checked_sub(n).map_or("", |k| w(k)) };
    let lower = |s: &str| s.starts_with(|c: char| c.is_lowercase());

    // Titles: "Mr X", "President X".
    let prev = before(1);
    let prev_title = if prev == "." { before(2) } else { prev };
    if any_eq(HONORIFICS, prev_title.trim_end_matches('.')) || super::entities::is_title_head(prev_title) && prev_title.starts_with(char::is_uppercase) {
        ev.person = 1;
    }

    // After the name: possessive, age, pronouns, nouns.
    let poss = super::entities::possessive_at(text, &toks[..hi.max(b).min(toks.len())], b).unwrap_or(0);
    let n1 = w(b + poss);
    let n2 = w(b + poss + 1);
    // strong and weak company cues
    let mut org = false;
    let mut weak = false;
    let mut product = None;
    if poss > 0 {
        // "Sony's chief executive", "Sony's PlayStation"
        if any_eq(ORG_AFTER, n1) && lower(n1) || lower(n1) && any_eq(ORG_AFTER, n2) && matches!(n1, "new" | "latest" | "own" | "main" | "biggest" | "former" | "share" | "stock") {
            org = true;
        }
        // "Sony's PSP games console", "Sony's European president"
        let product_noun = |x: &str| matches!(x, "console" | "consoles" | "handset" | "handsets" | "device" | "devices" | "phone" | "phones" | "chip" | "chips" | "software" | "products" | "handheld");
        let run = (b + poss..(b + poss + 3).min(hi)).map(|k| w(k)).take_while(|x| x.chars().next().is_some_and(char::is_alphanumeric));
        if run.clone().any(product_noun) || matches!(n2, "president" | "chairman" | "boss" | "ceo") && !lower(n1) || matches!(n1, "president" | "ceo") {
            org = true;
        }
        // "Sony's new portable games device"
        if matches!(n1, "new" | "latest") && (b + poss + 1..(b + poss + 5).min(hi)).any(|k| any_eq(ORG_AFTER, w(k)) || any_eq(&["games", "game", "gadget", "range", "model", "models", "service", "services"], w(k))) {
            org = true;
        }
        if lower(n1) && any_eq(PERSON_AFTER_POSS, n1) || lower(n2) && any_eq(PERSON_AFTER_POSS, n2) && matches!(n1, "new" | "former" | "late" | "own" | "first" | "second") {
            ev.person = 1;
        }
        // a capitalised product after the possessive, not itself a person or place
        let k = b + poss;
        if k < hi && toks[k].kind == TokenKind::Word && n1.starts_with(char::is_uppercase) && !super::entities::is_title_head(n1) {
            let start = toks[k].start;
            // "Korea's Hyundai", "Blair's Labour": a name after it says nothing
            // mentions are sorted by start and do not overlap: one lookup
            let at = ms.partition_point(|o| o.span.start <= start);
            let named = at.checked_sub(1).and_then(|j| ms.get(j)).is_some_and(|o| start < o.span.end && o.etype != EntityType::Other);
            if !named {
                weak = true;
                product = Some(n1);
            }
        }
    } else {
        if lower(n1) && any_eq(ORG_AFTER, n1) && !any_eq(PLACE_ALSO_AFTER, n1) {
            org = true;
        }
        // "X, 34, ..." and "X, who"
        if n1 == "," && (n2.chars().all(|c| c.is_ascii_digit()) && !n2.is_empty() && w(b + 2) == "," || n2 == "who") {
            ev.person = 1;
        }
        // films and books are "which" too
        if n1 == "," && n2 == "which" && etype == EntityType::Person {
            weak = true;
        }
        // "X-based" is a place
        if matches!(n1, "-" | "‑") && w(b + 1).eq_ignore_ascii_case("based") && toks.get(b).is_some_and(|t| t.start == m.span.end) {
            ev.place = 1;
        }
    }
    // The first pronoun within the next few words: "X said its", "X said he".
    for k in b + poss..(b + poss + 4).min(hi) {
        let t = w(k);
        if matches!(t, "." | ";" | "\"" | "“" | "”") || k > b + poss && toks[k].kind == TokenKind::Word && t.starts_with(char::is_uppercase) {
            break;
        }
        // "Sony said its", not "sides of the Atlantic following its"
        if t == "its" && poss == 0 && !w(k - 1).ends_with("ing") {
            org = true;
            break;
        }
        // "Sony said it would", weak: "Smith said it was hard"
        if t == "it" && k > b + poss && matches!(w(k - 1), "said" | "says" | "announced" | "added" | "confirmed") {
            weak = true;
            break;
        }
        if matches!(t, "he" | "she" | "his" | "her" | "him" | "himself" | "herself") {
            ev.person = 1;
            break;
        }
    }

    // Before the name.
    if any_eq(PERSON_BEFORE, prev) {
        ev.person = 1;
    }
    // "MP for Kensington"
    if prev == "for" && matches!(before(2), "MP" | "MSP" | "AM" | "MEP" | "member" | "candidate" | "seat") {
        ev.place = 1;
    }
    if lower(prev) && (any_eq(ORG_BEFORE, prev) || any_eq(ORG_PLURALS, prev)) || prev.eq_ignore_ascii_case("rival") {
        org = true;
    }
    let holder = match prev {
        // "Chief Operating Officer of Sony"
        "of" | "at" | "for" => any_eq(ORG_HOLDERS, before(2)),
        // "shares in Sony", but "staff in Frankfurt"
        "in" => any_eq(&["shares", "stake", "stakes", "investment", "interest", "holding", "holdings"], before(2)),
        _ => false,
    };
    if holder {
        org = true;
    } else if any_eq(PLACE_BEFORE, prev) && lower(prev) || etype == EntityType::Location && prev == "at" {
        ev.place = 1;
    }
    // "firms such as Creative, Sony and Philips": a list of companies
    // (names, commas and "and" back to "such as / including / like").
    let mut k = a;
    let mut steps = 0;
    let mut crossed_name = false;
    while k > lo && steps < 12 {
        k -= 1;
        steps += 1;
        let t = w(k);
        // "technology firms Sony, Philips and Samsung", not "the wireless
        // network, Cuyo": another name must stand between
        if crossed_name && lower(t) && (any_eq(ORG_PLURALS, t) || any_eq(ORG_BEFORE, t)) {
            org = true;
            break;
        }
        // "the likes of Sony and Samsung" (and of pop stars): weak
        if t == "of" && w(k.wrapping_sub(1)) == "likes" {
            weak = true;
            break;
        }
        if matches!(t, "including" | "like" | "as") {
            let cue = if t == "as" { (w(k.wrapping_sub(1)) == "such").then(|| k.wrapping_sub(2)) } else { k.checked_sub(1) };
            if let Some(c) = cue {
                // "firms such as", "by 100 firms including"
                if any_eq(ORG_PLURALS, w(c)) || c > 0 && any_eq(ORG_PLURALS, w(c - 1)) {
                    org = true;
                }
            }
            break;
        }
        let word = toks[k].kind == TokenKind::Word;
        crossed_name |= word && t.starts_with(char::is_uppercase);
        if !(matches!(t, "," | "and" | "&" | "'s" | "’s") || word && t.starts_with(char::is_uppercase) || t == "of" && w(k + 1) != "") {
            break;
        }
    }
    // "Sony, IBM and Toshiba": listed beside organizations. Team sheets
    // ("Carroll, Gary Neville, Brown, Ferdinand") are long lists with
    // full person names in them: no evidence.
    let joined = |x: &EntityMention, y: &EntityMention| {
        x.sentence == y.sentence && text.get(x.span.end..y.span.start).is_some_and(|gap| matches!(gap.trim(), "," | "and" | ", and" | "&" | "or"))
    };
    let (mut l, mut r) = (i, i);
    while l > 0 && i - l < 6 && joined(&ms[l - 1], &ms[l]) {
        l -= 1;
    }
    while r + 1 < ms.len() && r - i < 6 && joined(&ms[r], &ms[r + 1]) {
        r += 1;
    }
    let chain = &ms[l..=r];
    let next_to_org = (i > l && ms[i - 1].etype == EntityType::Organization) || (i < r && ms[i + 1].etype == EntityType::Organization);
    let people_in_chain = chain.iter().any(|o| {
        o.etype == EntityType::Person && text.get(o.span.start..o.span.end).is_some_and(|s| s.contains(char::is_whitespace) || o.canonical.is_some())
    });
    if next_to_org && chain.len() <= 5 && !people_in_chain {
        weak = true;
    }
    ev.org = if org { 2 } else if weak { 1 } else { 0 };
    (ev, if org { None } else { product })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entities::recognize_with;
    use crate::nlp::NerSpan;
    use crate::text::analyze;
    use EntityType::*;

    /// Runs the tagger-span path with each (word, type) tagged at every
    /// occurrence of the word, and returns the type of each name asked for.
    fn types(text: &str, tagged: &[(&str, EntityType)], ask: &[&str]) -> Vec<EntityType> {
        let a = analyze(text);
        let mut ner = Vec::new();
        for (i, t) in a.tokens.iter().enumerate() {
            for (word, ty) in tagged {
                let n = word.split_whitespace().count();
                let words: Vec<&str> = a.tokens[i..(i + n).min(a.tokens.len())].iter().map(|t| t.text(text)).collect();
                if words.join(" ") == *word {
                    let sentence = a.sentences.iter().position(|x| x.tokens.contains(&i)).unwrap_or(0);
                    ner.push(NerSpan { tokens: i..i + n, etype: *ty, confidence: 0.85, sentence });
                }
            }
            let _ = t;
        }
        let ms = recognize_with(text, &a, Some(&ner));
        ask.iter()
            .map(|w| {
                let m = ms.iter().find(|m| m.span.text(text) == *w).unwrap_or_else(|| panic!("{w} not found: {ms:#?}"));
                m.etype
            })
            .collect()
    }

    #[test]
    fn a_company_typed_as_a_person_becomes_an_organization() {
        let t = "Kestrel profits jump on console sales\n\n\
            Shares in Kestrel rose 4% after the games maker said its new console had sold out.\n\n\
            Kestrel's chief executive, Harriet Vane, said demand was strong. Rival Ombra has cut prices.\n";
        let got = types(t, &[("Kestrel", Person), ("Harriet Vane", Person), ("Ombra", Location)], &["Kestrel", "Harriet Vane", "Ombra"]);
        assert_eq!(got, vec![Organization, Person, Organization]);
    }

    #[test]
    fn listed_companies_and_research_firms() {
        let t = "Handset sales slow\n\n\
            Global handset sales slowed in the third quarter, according to analysts Quorvex.\n\n\
            Makers such as Tellaro, Vintek and Motorola are cutting prices, said Quorvex.\n";
        let got = types(t, &[("Quorvex", Person), ("Tellaro", Location), ("Vintek", Person), ("Motorola", Organization)], &["Quorvex", "Tellaro", "Vintek"]);
        assert_eq!(got, vec![Organization, Organization, Organization]);
    }

    #[test]
    fn real_people_and_cities_stay() {
        // A surname with a full-name mention, a surname after "Mr", a
        // player with his age, and a city the gazetteer knows: all keep
        // their type though company words are near them.
        let t = "Board backs chief\n\n\
            Howard Stringer, the new chairman, said profits would recover. Shares in Stringer's old firm fell.\n\n\
            Mr Pellow said his team's sales had doubled. Dunmore, 34, said he was leaving the firm.\n\n\
            Dunmore's sales record was praised. Analysts in Paris said Paris's market was calm.\n";
        let got = types(
            t,
            &[("Howard Stringer", Person), ("Stringer", Person), ("Pellow", Person), ("Dunmore", Person), ("Paris", Location)],
            &["Stringer", "Pellow", "Dunmore", "Paris"],
        );
        assert_eq!(got, vec![Person, Person, Person, Location]);
    }

    #[test]
    fn a_one_word_singer_stays_a_person() {
        // a product after the possessive and "said its" are company cues,
        // but "rapper" before the name says person
        let t = "Rapper Velko tops chart\n\n\
            Rapper Velko's Night Drive went straight to number one. Velko said its video was shot in one day.\n";
        let got = types(t, &[("Velko", Person)], &["Velko"]);
        assert_eq!(got, vec![Person]);
        // a first name after a family noun, with a product after it
        let t = "I bought my son Tobin a new phone. Tobin's phone menus were a puzzle.\n";
        assert_eq!(types(t, &[("Tobin", Person)], &["Tobin"]), vec![Person]);
    }

    #[test]
    fn an_unknown_place_with_a_place_context_stays() {
        let t = "Floods hit valley\n\n\
            Residents in Brackwater said the river rose overnight. Brackwater's market was closed.\n";
        let got = types(t, &[("Brackwater", Location)], &["Brackwater"]);
        assert_eq!(got, vec![Location]);
    }

    #[test]
    fn decisions_need_company_evidence() {
        assert!(decide(2, 0));
        assert!(!decide(1, 0));
        assert!(!decide(0, 0));
        assert!(!decide(4, 1));
        assert!(decide(6, 1));
    }

    #[test]
    fn no_panic_on_odd_text() {
        for t in ["", "Sony's", "’s Sony", "Ünïcode Sony's 🎮 its", "Sony-", "in Sony", "Sony, 3", "\u{202e}Sony said its\u{301}"] {
            let _ = types(t, &[("Sony", Person)], &[]);
        }
    }
}
