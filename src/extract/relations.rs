//! Relations between entities, each with its evidence and a confidence:
//! `located_in` (gazetteer city → country, "Lyon, France"), `leader_of`
//! (titles and roles: "French President Emmanuel Macron", "X, the head of
//! Y", "Acme chief executive X"), `member_of` ("X, a spokesman for Y"),
//! `part_of` ("Ukraine's SBU", "the Russian Defence Ministry"), and
//! `affiliated_with` (nationality: "Uzbek journalist X", "X, a Russian citizen").

use super::entities::{appositions, is_title_head, possessive_at, LEADER_TITLES, TITLE_HEADS};
use super::gazetteer::{gazetteer, name_key, Gazetteer, Place, PlaceKind};
use super::{ByteSpan, EntityMention, EntityType, Extraction, MentionKind, Ref, RelationMention};
use crate::text::{Analysis, Document, Token, TokenKind};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// Lower-case role words that can stand in a title before a name
/// ("military correspondent", "defence minister").
const ROLE_WORDS: &[&str] = &[
    "president", "minister", "secretary", "chancellor", "premier", "king", "queen", "prince", "leader", "chairman",
    "chairwoman", "chair", "chief", "head", "ceo", "director", "governor", "mayor", "commander", "general",
    "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "prosecutor", "judge", "official", "officer",
    "soldier", "journalist", "correspondent", "reporter", "editor", "writer", "author", "activist", "lawyer",
    "lawmaker", "senator", "politician", "opposition", "dissident", "businessman", "businesswoman", "billionaire",
    "tycoon", "oligarch", "blogger", "player", "striker", "midfielder", "defender", "goalkeeper", "coach", "manager",
    "boss", "founder", "owner", "executive", "economist", "analyst", "adviser", "advisor", "aide", "deputy", "vice",
    "prime", "foreign", "defence", "defense", "interior", "finance", "health", "justice", "military", "army", "navy",
    "security", "intelligence", "police", "supreme", "senior", "top", "national", "state", "federal", "former",
    "acting", "chief", "executive", "officer", "emir", "sultan", "singer", "actor", "actress", "star", "champion",
    "citizen", "national", "scientist", "researcher", "professor", "mp", "rapper", "diplomat", "negotiator",
    "nationalist", "director-general", "secretary-general", "commander-in-chief", "general",
];
/// Roles that make their holder a member of the body named after them.
const MEMBER_ROLES: &[&str] = &[
    "member", "soldier", "official", "officer", "spokesman", "spokeswoman", "spokesperson", "employee", "agent",
    "lawmaker", "mp", "senator", "minister", "adviser", "advisor", "aide", "deputy", "correspondent", "reporter",
    "editor", "analyst", "researcher", "professor", "player", "striker", "midfielder", "defender", "goalkeeper",
    "economist", "fighter", "commander", "lawyer", "staff", "representative", "envoy", "ambassador", "diplomat",
    "operative", "veteran", "officials", "members", "soldiers", "fellow", "executive", "manager",
];
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor", "rev", "reverend"];
/// Roles that only bodies (organizations, teams) have.
const BODY_ROLES: &[&str] = &[
    "chief", "head", "boss", "chairman", "chairwoman", "president", "director", "executive", "ceo", "spokesman",
    "spokeswoman", "spokesperson", "coach", "manager", "striker", "defender", "midfielder", "goalkeeper", "player",
    "captain", "founder", "owner", "official", "officer", "economist", "analyst", "lawyer", "member", "minister",
    "secretary", "leader", "general", "commander", "soldier", "mp", "chair",
];
/// Words that make a title no current leadership.
const NOT_LEADER: &[&str] = &["vice", "deputy", "former", "ex", "assistant", "acting", "late", "then"];

fn is_in(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// Token range of a byte span.
fn tok_range(toks: &[Token], span: ByteSpan) -> Range<usize> {
    let a = toks.partition_point(|t| t.start < span.start);
    let b = toks.partition_point(|t| t.start < span.end);
    a..b
}

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    g: &'a Gazetteer,
    /// Token range of every entity mention.
    ranges: Vec<Range<usize>>,
    by_start: HashMap<usize, usize>,
    by_end: HashMap<usize, usize>,
    /// Sentence token ranges, for bounds.
    sent_of_tok: Vec<Range<usize>>,
}

impl<'a> Ctx<'a> {
    fn w(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.text(self.text))
    }
    fn lw(&self, i: usize) -> String {
        self.w(i).to_lowercase()
    }
}

/// The gazetteer place a mention names, when it is one.
fn place_of<'g>(g: &'g Gazetteer, text: &str, m: &EntityMention) -> Option<&'g Place> {
    let sub = m.subtype.as_deref()?;
    let key = name_key(m.key(text));
    let cands = g.lookup(&key);
    if sub == "nationality" {
        return cands.iter().map(|&c| g.place(c)).find(|p| p.kind == PlaceKind::Demonym);
    }
    let x = m.external_id.as_deref()?;
    cands.iter().map(|&c| g.place(c)).find(|p| p.external_id().as_deref() == Some(x))
}

/// The country a mention stands for: a country itself, or a nationality's country.
fn country_of<'g>(g: &'g Gazetteer, text: &str, m: &EntityMention) -> Option<&'g Place> {
    let p = place_of(g, text, m)?;
    match p.kind {
        PlaceKind::Country => Some(p),
        PlaceKind::Demonym => g.country(&p.cc),
        _ => None,
    }
}

struct Out<'e> {
    ents: &'e mut Vec<EntityMention>,
    /// First Location mention of each place: by external id, else by name.
    places: HashMap<String, usize>,
    rels: Vec<RelationMention>,
    seen: BTreeSet<(&'static str, usize, usize, usize)>,
}

impl Out<'_> {
    fn push(&mut self, relation: &'static str, from: usize, to: usize, evidence: ByteSpan, confidence: f32) {
        if from == to {
            return;
        }
        if !self.seen.insert((relation, from, to, evidence.start)) {
            return;
        }
        self.rels.push(RelationMention { relation, from: Ref::Entity(from), to: Ref::Entity(to), evidence, confidence });
    }

    /// The mention index for a country: an existing mention of it, or a new
    /// one on `span` (the nationality word that stands for it).
    fn country_entity(&mut self, country: &Place, span: ByteSpan, sentence: usize) -> usize {
        let x = country.external_id();
        let pk = x.clone().unwrap_or_else(|| country.canonical.clone());
        if let Some(&i) = self.places.get(&pk) {
            return i;
        }
        self.places.insert(pk, self.ents.len());
        self.ents.push(EntityMention {
            span,
            etype: EntityType::Location,
            subtype: Some("country".into()),
            canonical: Some(country.canonical.clone()),
            external_id: x,
            sentence,
            confidence: 0.7,
            kind: MentionKind::Name,
        });
        self.ents.len() - 1
    }

    /// The entity a holder mention stands for as a body or place: nationalities become their country.
    fn holder(&mut self, g: &Gazetteer, text: &str, i: usize) -> Option<usize> {
        let m = &self.ents[i];
        if m.subtype.as_deref() == Some("nationality") {
            let c = country_of(g, text, m)?;
            let (span, s) = (m.span, m.sentence);
            return Some(self.country_entity(c, span, s));
        }
        match m.etype {
            EntityType::Location | EntityType::Organization => Some(i),
            // What has a head or a member is a body: "the head of Veolia".
            EntityType::Other if m.subtype.is_none() => {
                let key = m.key(text).to_string();
                for e in self.ents.iter_mut() {
                    if e.etype == EntityType::Other && e.subtype.is_none() && e.key(text) == key {
                        e.etype = EntityType::Organization;
                    }
                }
                Some(i)
            }
            _ => None,
        }
    }
}

/// Finds relations among `ex.entities`; may add country mentions that a
/// nationality word stands for ("Russian" → Russia).
pub fn extract(doc: &Document, analysis: &Analysis, ex: &mut Extraction) {
    let text = doc.text.as_str();
    let g = gazetteer();
    let toks = analysis.tokens.as_slice();
    let ranges: Vec<Range<usize>> = ex.entities.iter().map(|m| tok_range(toks, m.span)).collect();
    let mut by_start = HashMap::new();
    let mut by_end = HashMap::new();
    for (i, r) in ranges.iter().enumerate() {
        by_start.entry(r.start).or_insert(i);
        by_end.entry(r.end).or_insert(i);
    }
    let mut sent_of_tok = vec![0..0; toks.len()];
    for s in &analysis.sentences {
        for t in s.tokens.clone() {
            if let Some(x) = sent_of_tok.get_mut(t) {
                *x = s.tokens.clone();
            }
        }
    }
    let ctx = Ctx { text, toks, g, ranges, by_start, by_end, sent_of_tok };
    let apps = appositions(text, analysis, &ex.entities);
    let mut places = HashMap::new();
    for (i, m) in ex.entities.iter().enumerate() {
        if m.etype == EntityType::Location {
            let k = m.external_id.clone().unwrap_or_else(|| m.key(text).to_string());
            places.entry(k).or_insert(i);
        }
    }
    let mut out = Out { ents: &mut ex.entities, places, rels: Vec::new(), seen: BTreeSet::new() };
    gazetteer_located_in(&ctx, &mut out);
    comma_located_in(&ctx, &mut out);
    title_relations(&ctx, &mut out);
    apposition_relations(&ctx, &apps, &mut out);
    possessive_relations(&ctx, &mut out);
    org_name_relations(&ctx, &mut out);
    ex.relations.extend(out.rels);
}

/// City → country (and US state) from the gazetteer, when the country is mentioned.
fn gazetteer_located_in(ctx: &Ctx, out: &mut Out) {
    let mut done: BTreeSet<String> = BTreeSet::new();
    for i in 0..ctx.ranges.len() {
        let m = &out.ents[i];
        if m.etype != EntityType::Location || !matches!(m.subtype.as_deref(), Some("city" | "region")) {
            continue;
        }
        let Some(p) = place_of(ctx.g, ctx.text, m) else { continue };
        if !done.insert(m.key(ctx.text).to_string()) {
            continue;
        }
        let span = m.span;
        let mut targets: Vec<&Place> = Vec::new();
        if let Some(c) = ctx.g.country(&p.cc) {
            targets.push(c);
        }
        if p.kind == PlaceKind::City {
            if let Some(s) = ctx.g.state_of(p) {
                targets.push(s);
            }
        }
        for t in targets {
            let pk = t.external_id().unwrap_or_else(|| t.canonical.clone());
            if let Some(&j) = out.places.get(&pk) {
                out.push("located_in", i, j, span, 0.9);
            }
        }
    }
}

/// "Lyon, France": a place, a comma, then a country or region.
fn comma_located_in(ctx: &Ctx, out: &mut Out) {
    for i in 0..ctx.ranges.len() {
        let r = ctx.ranges[i].clone();
        let a = &out.ents[i];
        if a.etype != EntityType::Location || a.subtype.as_deref() == Some("country") {
            continue;
        }
        if ctx.w(r.end) != "," {
            continue;
        }
        let Some(&j) = ctx.by_start.get(&(r.end + 1)) else { continue };
        let b = &out.ents[j];
        if b.etype != EntityType::Location || !matches!(b.subtype.as_deref(), Some("country" | "region")) {
            continue;
        }
        // A list of places ("Paris, France and Italy") is no containment: the
        // gazetteer must not say the first lies elsewhere.
        if let (Some(pa), Some(pb)) = (place_of(ctx.g, ctx.text, a), place_of(ctx.g, ctx.text, b)) {
            if pa.cc != pb.cc {
                continue;
            }
        }
        let next = ctx.lw(ctx.ranges[j].end);
        if matches!(next.as_str(), "and" | "or") {
            continue;
        }
        let ev = ByteSpan::new(a.span.start, b.span.end);
        out.push("located_in", i, j, ev, 0.85);
    }
}

/// What a title says of its holder.
fn title_relation(words: &[String]) -> Option<(&'static str, f32)> {
    if words.is_empty() {
        return None;
    }
    let not_leader = words.iter().any(|w| is_in(NOT_LEADER, w));
    let last2 = if words.len() >= 2 { format!("{} {}", words[words.len() - 2], words[words.len() - 1]) } else { String::new() };
    let last = &words[words.len() - 1];
    let leader = is_in(LEADER_TITLES, last) || is_in(LEADER_TITLES, &last2);
    // "defence minister": a minister is a member of the government, not its leader
    let modified_head = words.len() >= 2 && matches!(last.as_str(), "chief" | "head" | "director") && !is_in(LEADER_TITLES, &last2);
    if leader && !not_leader && !modified_head {
        Some(("leader_of", 0.85))
    } else if leader && words.iter().any(|w| w == "former" || w == "ex") {
        Some(("member_of", 0.5))
    } else {
        Some(("member_of", 0.7))
    }
}

/// "French President Emmanuel Macron", "Ukraine's defence minister X",
/// "Acme chief executive Jane Roe", "Uzbek journalist X".
fn title_relations(ctx: &Ctx, out: &mut Out) {
    for i in 0..ctx.ranges.len() {
        if out.ents[i].etype != EntityType::Person {
            continue;
        }
        let r = ctx.ranges[i].clone();
        let Some(sent) = ctx.sent_of_tok.get(r.start).cloned() else { continue };
        // Walk back over the title.
        let mut k = r.start;
        let mut words: Vec<String> = Vec::new();
        while k > sent.start && r.start - k < 8 {
            let w = ctx.w(k - 1);
            let t = &ctx.toks[k - 1];
            if w == "." && k >= 2 && is_title_head(ctx.w(k - 2)) {
                k -= 1;
                continue;
            }
            if w == "-" {
                k -= 1;
                continue;
            }
            let lw = w.to_lowercase();
            let cap_title = is_in(TITLE_HEADS, w) || is_title_head(w);
            if t.kind == TokenKind::Word && (cap_title || is_in(ROLE_WORDS, &lw)) && !ctx.by_end.contains_key(&k) {
                words.push(lw);
                k -= 1;
                continue;
            }
            break;
        }
        words.reverse();
        // Honorifics say nothing of the body before them ("told the BBC Mr Howard ...").
        words.retain(|w| !is_in(HONORIFICS, w.trim_end_matches('.')));
        if words.is_empty() && k < r.start {
            continue;
        }
        // Skip a possessive: "Ukraine's President X".
        let mut hk = k;
        if hk >= 2 && possessive_at(ctx.text, ctx.toks, hk - 1).is_some() {
            hk -= 1;
        } else if hk >= 3 && possessive_at(ctx.text, ctx.toks, hk - 2) == Some(2) {
            hk -= 2;
        }
        if hk <= sent.start {
            continue;
        }
        let Some(&h) = ctx.by_end.get(&hk) else { continue };
        if h == i || out.ents[h].etype == EntityType::Person || ctx.ranges[h].start < sent.start {
            continue;
        }
        // An unknown name before a role is a body only for roles bodies have
        // ("Acme chief", "Chelsea striker"), not "Star Wars actor".
        if out.ents[h].etype == EntityType::Other && out.ents[h].subtype.is_none() && !words.last().is_some_and(|w| is_in(BODY_ROLES, w)) {
            continue;
        }
        let nationality = out.ents[h].subtype.as_deref() == Some("nationality");
        if words.is_empty() && !nationality && out.ents[h].etype != EntityType::Location {
            continue;
        }
        let Some(target) = out.holder(ctx.g, ctx.text, h) else { continue };
        let ev = ByteSpan::new(out.ents[h].span.start, out.ents[i].span.end);
        match title_relation(&words) {
            Some(("leader_of", c)) => out.push("leader_of", i, target, ev, c),
            Some((rel, c)) if !words.is_empty() => {
                let holder_is_place = out.ents[target].etype == EntityType::Location;
                let rel = if nationality || holder_is_place { "affiliated_with" } else { rel };
                out.push(rel, i, target, ev, c);
            }
            _ => {
                // "Russia's Putin", "Uzbek Rustam Aliyev": a place or nationality right before a name
                if nationality || out.ents[target].etype == EntityType::Location {
                    out.push("affiliated_with", i, target, ev, 0.6);
                }
            }
        }
    }
}

/// "X, the head of Y", "X, a spokesman for Y", "X, a Russian citizen".
fn apposition_relations(ctx: &Ctx, apps: &[super::entities::Apposition], out: &mut Out) {
    for ap in apps {
        let x = ap.head;
        if x >= ctx.ranges.len() || out.ents[x].etype == EntityType::Location {
            continue;
        }
        let d = ap.tokens.clone();
        // nationality inside the description: "a Russian citizen", "an Uzbek national"
        let mut role: Vec<String> = Vec::new();
        let mut k = d.start;
        while k < d.end {
            let w = ctx.lw(k);
            if matches!(w.as_str(), "of" | "for" | "at" | "in" | "with") {
                break;
            }
            if ctx.toks[k].kind == TokenKind::Word && !matches!(w.as_str(), "the" | "a" | "an") {
                role.push(w);
            }
            k += 1;
        }
        // "a Russian citizen": the first description word is a nationality
        if let Some(&n) = ctx.by_start.get(&(d.start + 1)).or_else(|| ctx.by_start.get(&d.start)) {
            let holder_ok = matches!(out.ents[x].etype, EntityType::Person | EntityType::Organization);
            if holder_ok && n != x && out.ents[n].subtype.as_deref() == Some("nationality") && ctx.ranges[n].end <= d.end {
                if let Some(t) = out.holder(ctx.g, ctx.text, n) {
                    let ev = ByteSpan::new(out.ents[x].span.start, ap.span.end);
                    out.push("affiliated_with", x, t, ev, 0.7);
                }
            }
        }
        // "X, who heads the SBU"
        if d.end - d.start >= 2 && ctx.lw(d.start) == "who" {
            let v = ctx.lw(d.start + 1);
            if ctx.lw(d.start) == "who" && matches!(v.as_str(), "heads" | "leads" | "runs" | "chairs" | "headed" | "led" | "ran" | "chaired" | "founded" | "commands" | "commanded") {
                let mut y0 = d.start + 2;
                if ctx.lw(y0) == "the" {
                    y0 += 1;
                }
                if let Some(&y) = ctx.by_start.get(&y0) {
                    if ctx.ranges[y].end <= d.end && possessive_at(ctx.text, ctx.toks, ctx.ranges[y].end).is_none() {
                        if let Some(t) = out.holder(ctx.g, ctx.text, y) {
                            let ev = ByteSpan::new(out.ents[x].span.start, out.ents[y].span.end);
                            let past = v.ends_with('d') || v == "ran";
                            out.push(if past { "member_of" } else { "leader_of" }, x, t, ev, if past { 0.5 } else { 0.75 });
                        }
                    }
                }
            }
            continue;
        }
        if k >= d.end || role.is_empty() {
            continue;
        }
        // The body after the preposition: "of the SBU", "for Acme Corp"; never
        // a modifier of a longer phrase ("of the Russian military's unit").
        let mut y0 = k + 1;
        if matches!(ctx.lw(y0).as_str(), "the" | "a" | "an") {
            y0 += 1;
        }
        let Some(&y) = ctx.by_start.get(&y0) else { continue };
        let yend = ctx.ranges[y].end;
        if yend > d.end || possessive_at(ctx.text, ctx.toks, yend).is_some() {
            continue;
        }
        let after = ctx.toks.get(yend);
        if yend < d.end && after.is_some_and(|t| t.kind == TokenKind::Word && t.text(ctx.text).chars().next().is_some_and(char::is_lowercase)) {
            let w = ctx.lw(yend);
            if !matches!(w.as_str(), "and" | "who" | "which" | "that" | "since" | "until" | "in" | "on" | "at" | "from") {
                continue;
            }
        }
        let nationality = out.ents[y].subtype.as_deref() == Some("nationality");
        if nationality {
            continue;
        }
        let Some(t) = out.holder(ctx.g, ctx.text, y) else { continue };
        let ev = ByteSpan::new(out.ents[x].span.start, ap.span.end);
        let last = role.last().map(String::as_str).unwrap_or("");
        let last2 = if role.len() >= 2 { format!("{} {}", role[role.len() - 2], last) } else { String::new() };
        let prep = ctx.lw(k);
        let leader = (is_in(LEADER_TITLES, last) || is_in(LEADER_TITLES, &last2)) && prep == "of";
        let not_leader = role.iter().any(|w| is_in(NOT_LEADER, w));
        if leader && !not_leader {
            out.push("leader_of", x, t, ev, 0.8);
        } else if is_in(MEMBER_ROLES, last) || leader {
            let rel = if out.ents[t].etype == EntityType::Location { "affiliated_with" } else { "member_of" };
            out.push(rel, x, t, ev, 0.7);
        }
    }
}

/// "Ukraine's SBU" → part_of; "Russia's Kursk region" → located_in.
fn possessive_relations(ctx: &Ctx, out: &mut Out) {
    for a in 0..ctx.ranges.len() {
        let ae = ctx.ranges[a].end;
        let Some(n) = possessive_at(ctx.text, ctx.toks, ae) else { continue };
        let Some(&b) = ctx.by_start.get(&(ae + n)) else { continue };
        let (ta, tb) = (out.ents[a].etype, out.ents[b].etype);
        let ev = ByteSpan::new(out.ents[a].span.start, out.ents[b].span.end);
        match (ta, tb) {
            (EntityType::Location, EntityType::Organization) if out.ents[a].subtype.as_deref() != Some("country") => {
                out.push("located_in", b, a, ev, 0.7)
            }
            (EntityType::Location | EntityType::Organization, EntityType::Organization) => out.push("part_of", b, a, ev, 0.8),
            (EntityType::Location, EntityType::Location) if out.ents[a].subtype.as_deref() == Some("country") => {
                out.push("located_in", b, a, ev, 0.8)
            }
            _ => {}
        }
    }
}

/// Organization names that carry their country: "the Russian Defence
/// Ministry", "Security Service of Ukraine".
fn org_name_relations(ctx: &Ctx, out: &mut Out) {
    let mut buf = String::new();
    for i in 0..ctx.ranges.len() {
        if out.ents[i].etype != EntityType::Organization {
            continue;
        }
        let r = ctx.ranges[i].clone();
        let span = out.ents[i].span;
        let sentence = out.ents[i].sentence;
        // A nationality right before the name: "the Russian Investigative Committee".
        if r.start > 0 {
            if let Some(&n) = ctx.by_end.get(&r.start) {
                if out.ents[n].subtype.as_deref() == Some("nationality") {
                    if let Some(t) = out.holder(ctx.g, ctx.text, n) {
                        let ev = ByteSpan::new(out.ents[n].span.start, span.end);
                        out.push("part_of", i, t, ev, 0.7);
                        continue;
                    }
                }
            }
        }
        // The first word or the words after a final "of" inside the name.
        let mut tries = vec![r.start];
        if let Some(of) = (r.start..r.end).rev().find(|&k| ctx.w(k) == "of") {
            tries.push(of + 1);
        }
        for k in tries {
            let Some((len, cands)) = ctx.g.longest_match_buf(ctx.text, ctx.toks, k, &mut buf) else { continue };
            let p = ctx.g.place(cands[0]);
            let at_end = k + len == r.end;
            let country = match p.kind {
                PlaceKind::Country if at_end || k == r.start => Some(p),
                PlaceKind::Demonym if k == r.start => ctx.g.country(&p.cc),
                _ => None,
            };
            if let Some(c) = country {
                let cspan = ByteSpan::new(ctx.toks[k].start, ctx.toks[k + len - 1].end);
                let t = out.country_entity(c, cspan, sentence);
                out.push("part_of", i, t, span, 0.7);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    fn run(text: &str) -> Extraction {
        let doc = Document { id: "t".into(), text: text.into(), date: None, title: None, url: None, origin: "t".into() };
        let a = analyze(text);
        let mut ex = Extraction::default();
        ex.entities = super::super::entities::recognize(&doc, &a, &crate::nlp::Models::default());
        extract(&doc, &a, &mut ex);
        ex
    }

    fn has(ex: &Extraction, text: &str, rel: &str, from: &str, to: &str) -> bool {
        ex.relations.iter().any(|r| {
            let (Ref::Entity(a), Ref::Entity(b)) = (r.from, r.to) else { return false };
            r.relation == rel && ex.entities[a].key(text) == from && ex.entities[b].key(text) == to
        })
    }

    const NEWS: &str = "Floods hit southern France\n\
        French President Emmanuel Macron visited Lyon, where the river burst its banks.\n\
        Claire Dubois, the head of Veolia, said repairs would take weeks.\n\
        Germany's Federal Agency for Technical Relief sent pumps to Marseille, France.\n\
        An Italian firefighter, Marco Rossi, helped; Rossi, a Spanish citizen by birth, said little.\n\
        The French Interior Ministry denied that officials in Nice had ignored warnings.\n";

    #[test]
    fn leaders_from_titles_and_appositions() {
        let ex = run(NEWS);
        assert!(has(&ex, NEWS, "leader_of", "Emmanuel Macron", "France"), "{:#?}", ex.relations);
        assert!(has(&ex, NEWS, "leader_of", "Claire Dubois", "Veolia"), "{:#?}", ex.relations);
    }

    #[test]
    fn places_and_parts() {
        let ex = run(NEWS);
        assert!(has(&ex, NEWS, "located_in", "Lyon", "France"));
        assert!(has(&ex, NEWS, "located_in", "Marseille", "France"));
        assert!(has(&ex, NEWS, "part_of", "Federal Agency for Technical Relief", "Germany"), "{:#?}", ex.relations);
        assert!(has(&ex, NEWS, "part_of", "French Interior Ministry", "France"));
        assert!(has(&ex, NEWS, "affiliated_with", "Marco Rossi", "Spain"), "{:#?}", ex.relations);
    }

    #[test]
    fn relative_clauses_titles_and_lists() {
        let t = "Ports reopen after strike\n\
                 US Secretary of State Dana Whitmore met Jon Pell, who heads the Harbour Workers Union, in Oslo, Norway.\n\
                 Acme Holdings chief executive Rita Vance said trade resumed in Paris, Berlin and Rome.\n";
        let ex = run(t);
        assert!(has(&ex, t, "leader_of", "Jon Pell", "Harbour Workers Union"), "{:#?}", ex.relations);
        assert!(has(&ex, t, "leader_of", "Rita Vance", "Acme Holdings"), "{:#?}", ex.relations);
        assert!(has(&ex, t, "located_in", "Oslo", "Norway"));
        // a secretary of state is no leader of the country
        assert!(!has(&ex, t, "leader_of", "Dana Whitmore", "United States"));
        // a list of cities is no containment
        assert!(!ex.relations.iter().any(|r| {
            let (Ref::Entity(a), Ref::Entity(b)) = (r.from, r.to) else { return false };
            ex.entities[a].key(t) == "Paris" && ex.entities[b].key(t) == "Berlin"
        }));
    }

    #[test]
    fn no_panic_on_junk() {
        for t in [
            "", "Russian", "Russian capital", "Ukraine's", "Ukraine's SBU's", "X, the head of", ", who heads",
            "A, a Russian", "Paris, France,", "Russian President", "President Putin's Russian capital, Moscow, Russia",
            "the committee", "’s SBU (Security Service of Ukraine)", "Zoë, the head of Ærø, who heads Ærø 👍",
        ] {
            let ex = run(t);
            for r in &ex.relations {
                assert!(t.is_char_boundary(r.evidence.start) && t.is_char_boundary(r.evidence.end));
                let (Ref::Entity(a), Ref::Entity(b)) = (r.from, r.to) else { panic!("not entities") };
                assert!(a < ex.entities.len() && b < ex.entities.len() && a != b);
            }
        }
    }

    #[test]
    fn a_modifier_is_no_leadership() {
        let t = "Ivan Petrov, the head of the Russian army's signals unit, was arrested in Kazan.\n";
        let ex = run(t);
        assert!(!ex.relations.iter().any(|r| r.relation == "leader_of"), "{:#?}", ex.relations);
    }
}
