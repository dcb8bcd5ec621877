//! Gazetteers: places (countries, cities, US states, continents) and
//! demonyms from GeoNames and mledoze/countries, plus a casing lexicon
//! (how often a word is written in lower case) that tells a capitalized
//! common word from a name.
//!
//! `newsgraph train gazetteer` compiles the sources into two small TSV files
//! in `data/`; they are embedded in the binary and parsed once.

use crate::text::tokens::{tokenize_into, Token, TokenKind};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

const GAZETTEER_MAGIC: &str = "newsgraph-gazetteer\t1";
const CASING_MAGIC: &str = "newsgraph-casing\t1";

static GAZETTEER_TSV: &str = include_str!("../../data/gazetteer.tsv");
pub static CASING_TSV: &str = include_str!("../../data/casing.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKind {
    Country,
    City,
    /// A first-level division (US state).
    State,
    Continent,
    /// A nationality adjective or noun ("Russian", "Uzbeks"); `cc` is its country.
    Demonym,
}

impl PlaceKind {
    fn code(self) -> &'static str {
        match self {
            PlaceKind::Country => "C",
            PlaceKind::City => "T",
            PlaceKind::State => "S",
            PlaceKind::Continent => "K",
            PlaceKind::Demonym => "D",
        }
    }
    fn from_code(s: &str) -> Option<PlaceKind> {
        Some(match s {
            "C" => PlaceKind::Country,
            "T" => PlaceKind::City,
            "S" => PlaceKind::State,
            "K" => PlaceKind::Continent,
            "D" => PlaceKind::Demonym,
            _ => return None,
        })
    }
    /// The entity subtype of a mention of this kind.
    pub fn subtype(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::City => "city",
            PlaceKind::State => "region",
            PlaceKind::Continent => "continent",
            PlaceKind::Demonym => "nationality",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub kind: PlaceKind,
    /// GeoNames id (0 for demonyms).
    pub geonames: u32,
    /// ISO country code ("RU"); empty for continents.
    pub cc: String,
    /// First-level division code (US states: "NY").
    pub admin1: String,
    pub population: u64,
    pub canonical: String,
}

impl Place {
    pub fn external_id(&self) -> Option<String> {
        (self.geonames != 0).then(|| format!("geonames:{}", self.geonames))
    }
    pub fn is_capital(&self) -> bool {
        // Capitals are marked by the compiler with admin1 "=".
        self.kind == PlaceKind::City && self.admin1.ends_with('=')
    }
}

/// A candidate place for a name: `main` when the name is the place's own
/// name rather than an alternate one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub place: u32,
    pub main: bool,
}

#[derive(Debug, Default)]
pub struct Gazetteer {
    pub places: Vec<Place>,
    /// Key: the name's tokens joined by one space. Candidates best first.
    names: HashMap<String, Vec<Candidate>>,
    /// Every token-prefix of every name, to stop extending a match early.
    prefixes: HashSet<String>,
    pub max_tokens: usize,
    country_by_cc: HashMap<String, u32>,
    capital_by_cc: HashMap<String, u32>,
    state_by_code: HashMap<String, u32>,
    /// lower-cased word → (lower-case occurrences, capitalized occurrences not sentence-initial)
    casing: HashMap<String, (u32, u32)>,
}

/// The gazetteer shipped in the binary, parsed on first use.
pub fn gazetteer() -> &'static Gazetteer {
    static G: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::parse(GAZETTEER_TSV, CASING_TSV));
    &G
}

/// Tokens of a name joined by single spaces: the lookup key.
pub fn name_key(name: &str) -> String {
    let mut toks: Vec<Token> = Vec::new();
    tokenize_into(name, 0, &mut toks);
    let mut key = String::with_capacity(name.len());
    for t in &toks {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&name[t.start..t.end]);
    }
    key
}

/// Best first: kind (countries, then capitals and big cities), own name, population.
fn priority(p: &Place, main: bool) -> (u8, u8, u64) {
    let kind = match p.kind {
        PlaceKind::Country => 0,
        PlaceKind::Continent => 1,
        PlaceKind::Demonym => 1,
        PlaceKind::City if p.is_capital() || p.population >= 1_000_000 => 2,
        PlaceKind::State => 3,
        PlaceKind::City => 4,
    };
    (kind, u8::from(!main), u64::MAX - p.population)
}

impl Gazetteer {
    /// Parses the compiled files; bad lines are skipped (the files are ours).
    pub fn parse(gaz: &str, casing: &str) -> Gazetteer {
        let mut g = Gazetteer::default();
        let mut lines = gaz.lines();
        if lines.next() != Some(GAZETTEER_MAGIC) {
            return g;
        }
        for line in lines {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 7 {
                continue;
            }
            let Some(kind) = PlaceKind::from_code(f[0]) else { continue };
            let place = Place {
                kind,
                geonames: f[1].parse().unwrap_or(0),
                cc: f[2].to_string(),
                admin1: f[3].to_string(),
                population: f[4].parse().unwrap_or(0),
                canonical: f[5].to_string(),
            };
            let idx = g.places.len() as u32;
            match kind {
                PlaceKind::Country => {
                    g.country_by_cc.insert(place.cc.clone(), idx);
                }
                PlaceKind::City if place.admin1.ends_with('=') => {
                    // the biggest city named as capital wins ("Washington" DC over others)
                    let better = g.capital_by_cc.get(&place.cc).is_none_or(|&j| g.places[j as usize].population < place.population);
                    if better {
                        g.capital_by_cc.insert(place.cc.clone(), idx);
                    }
                }
                PlaceKind::State if !place.admin1.is_empty() => {
                    g.state_by_code.insert(format!("{}-{}", place.cc, place.admin1), idx);
                }
                _ => {}
            }
            let add = |name: &str, main: bool, g: &mut Gazetteer| {
                let key = name_key(name);
                if key.is_empty() {
                    return;
                }
                let n = key.split(' ').count();
                g.max_tokens = g.max_tokens.max(n);
                let mut pre = String::new();
                for (i, w) in key.split(' ').enumerate() {
                    if i > 0 {
                        pre.push(' ');
                    }
                    pre.push_str(w);
                    if i + 1 < n && !g.prefixes.contains(&pre) {
                        g.prefixes.insert(pre.clone());
                    }
                }
                let list = g.names.entry(key).or_default();
                if !list.iter().any(|c| c.place == idx) {
                    list.push(Candidate { place: idx, main });
                }
            };
            add(f[5], true, &mut g);
            for alt in f[6].split('|').filter(|s| !s.is_empty()) {
                add(alt, false, &mut g);
            }
            g.places.push(place);
        }
        let places = &g.places;
        for list in g.names.values_mut() {
            list.sort_by_key(|c| priority(&places[c.place as usize], c.main));
            list.truncate(4);
        }
        let mut lines = casing.lines();
        if lines.next() == Some(CASING_MAGIC) {
            for line in lines {
                let mut f = line.split('\t');
                if let (Some(w), Some(lc), Some(uc)) = (f.next(), f.next(), f.next()) {
                    g.casing.insert(w.to_string(), (lc.parse().unwrap_or(0), uc.parse().unwrap_or(0)));
                }
            }
        }
        g
    }

    /// Candidates for a lookup key (tokens joined by one space), best first.
    pub fn lookup(&self, key: &str) -> &[Candidate] {
        self.names.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn is_prefix(&self, key: &str) -> bool {
        self.prefixes.contains(key)
    }

    pub fn place(&self, c: Candidate) -> &Place {
        &self.places[c.place as usize]
    }

    pub fn country(&self, cc: &str) -> Option<&Place> {
        self.country_by_cc.get(cc).map(|&i| &self.places[i as usize])
    }

    /// The capital city of a country.
    pub fn capital(&self, cc: &str) -> Option<&Place> {
        self.capital_by_cc.get(cc).map(|&i| &self.places[i as usize])
    }

    /// The US state (or other first-level division) a city lies in, when compiled.
    pub fn state_of(&self, city: &Place) -> Option<&Place> {
        let a = city.admin1.trim_end_matches('=');
        if a.is_empty() {
            return None;
        }
        self.state_by_code.get(&format!("{}-{}", city.cc, a)).map(|&i| &self.places[i as usize])
    }

    /// Longest place name starting at `toks[i]` (all tokens of one sentence):
    /// (number of tokens, candidates). Only names that begin with a capital
    /// letter are in the gazetteer, so lower-case words never start a match.
    pub fn longest_match(&self, text: &str, toks: &[Token], i: usize) -> Option<(usize, &[Candidate])> {
        let mut key = String::new();
        self.longest_match_buf(text, toks, i, &mut key)
    }

    /// [`Gazetteer::longest_match`] with a caller's buffer, for hot loops.
    pub fn longest_match_buf(&self, text: &str, toks: &[Token], i: usize, key: &mut String) -> Option<(usize, &[Candidate])> {
        let first = toks.get(i)?;
        if !first.text(text).chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        key.clear();
        let mut best = None;
        for (n, t) in toks[i..].iter().take(self.max_tokens).enumerate() {
            // Names never run across a gap of more than one space or a line break.
            if n > 0 {
                let gap = &text[toks[i + n - 1].end..t.start];
                if gap.len() > 1 || gap.contains('\n') {
                    break;
                }
                key.push(' ');
            }
            key.push_str(t.text(text));
            let c = self.lookup(key);
            if !c.is_empty() {
                best = Some((n + 1, c));
            }
            if !self.is_prefix(key) {
                break;
            }
        }
        best
    }

    /// (lower-case count, capitalized-mid-sentence count) for a word, from the casing lexicon.
    pub fn casing(&self, word: &str) -> (u32, u32) {
        if word.chars().all(|c| !c.is_uppercase()) {
            return self.casing.get(word).copied().unwrap_or((0, 0));
        }
        let lower = word.to_lowercase();
        self.casing.get(&lower).copied().unwrap_or((0, 0))
    }

    /// Whether a capitalized word is usually a common lower-case word, so that
    /// its capital (sentence start, headline) is no evidence of a name.
    pub fn is_common_word(&self, word: &str) -> bool {
        let (lc, uc) = self.casing(word);
        lc >= 3 && lc >= uc
    }

    pub fn has_casing(&self) -> bool {
        !self.casing.is_empty()
    }
}

// ---------------------------------------------------------------------------
// Compiler (`newsgraph train gazetteer`)

/// Latin letters with their diacritics removed, lower-cased: for comparing
/// "São Paulo" with "Sao Paulo".
fn fold(s: &str) -> String {
    const FROM: &str = "àáâãäåāăąçćčďèéêëēėęěğìíîïīįıłñńňòóôõöøōőřśšşťţùúûüūůűųýÿźżžß";
    const TO: &str = "aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorsssttuuuuuuuuyyzzzs";
    let map: Vec<(char, char)> = FROM.chars().zip(TO.chars()).collect();
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| map.iter().find(|(f, _)| *f == c).map_or(c, |(_, t)| *t))
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect()
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF) && c.is_alphabetic()
}

/// A name an English text could use: Latin script, capitalized, not a code
/// ("MOW", "LED"), not too short to be safe, at most four words.
fn usable_name(s: &str) -> bool {
    let s = s.trim();
    let Some(first) = s.chars().next() else { return false };
    if !first.is_uppercase() || !is_latin_letter(first) {
        return false;
    }
    if !s.chars().all(|c| is_latin_letter(c) || matches!(c, ' ' | '-' | '.' | '\'' | '’')) {
        return false;
    }
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    letters >= 4 && upper < letters && s.split_whitespace().count() <= 4 && !s.contains("  ")
}

/// "St. Petersburg" / "St Petersburg" / "Saint Petersburg" are one name.
fn saint_variants(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (a, bs) in [("Saint ", ["St. ", "St "]), ("St. ", ["Saint ", "St "]), ("St ", ["Saint ", "St. "])] {
        if let Some(rest) = name.strip_prefix(a) {
            for b in bs {
                out.push(format!("{b}{rest}"));
            }
        }
    }
    out
}

#[derive(Default)]
struct Entry {
    kind: Option<PlaceKind>,
    geonames: u32,
    cc: String,
    admin1: String,
    population: u64,
    canonical: String,
    names: BTreeSet<String>,
}

fn read_json(dir: &Path, name: &str) -> crate::Result<serde_json::Value> {
    let path = dir.join(name);
    let input = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|source| crate::Error::Read { input: input.clone(), source })?;
    serde_json::from_slice(&bytes).map_err(|e| crate::Error::BadData { input, message: e.to_string() })
}

fn s(v: &serde_json::Value) -> &str {
    v.as_str().unwrap_or("")
}

/// Cities kept: capitals, every city of at least this many people.
const MIN_CITY_POPULATION: u64 = 50_000;
/// Cities this big keep their foreign and historical names ("Kiev", "Bombay").
const ALL_NAMES_POPULATION: u64 = 1_000_000;

/// Compiles the gazetteer TSV from the GeoNames and mledoze JSON files in
/// `dir`. `casing` (a casing lexicon) drops foreign names of cities that are
/// English words ("Commonwealth", "Mosca" stays).
pub fn compile_gazetteer(dir: &Path, casing: &str) -> crate::Result<String> {
    let lower_words: HashSet<&str> = casing
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            let w = f.next()?;
            let lc: u32 = f.next()?.parse().ok()?;
            (lc >= 1).then_some(w)
        })
        .collect();
    let english_word = |name: &str| !name.contains(' ') && lower_words.contains(name.to_lowercase().as_str());
    let countries = read_json(dir, "geonames-countries.json")?;
    let cities = read_json(dir, "geonames-cities15000.json")?;
    let states = read_json(dir, "geonames-us-states.json")?;
    let continents = read_json(dir, "geonames-continents.json")?;
    let mledoze = read_json(dir, "mledoze-countries.json")?;

    let mut out: Vec<Entry> = Vec::new();
    // Countries: GeoNames names and ids, mledoze names and spellings.
    let mut capitals: HashSet<(String, String)> = HashSet::new();
    let mut country_pop: HashMap<String, u64> = HashMap::new();
    let mut country_entry: BTreeMap<String, usize> = BTreeMap::new();
    if let Some(obj) = countries.as_object() {
        for c in obj.values() {
            let cc = s(&c["iso"]).to_string();
            let name = s(&c["name"]).trim().to_string();
            if cc.len() != 2 || name.is_empty() {
                continue;
            }
            let pop = c["population"].as_u64().unwrap_or(0);
            country_pop.insert(cc.clone(), pop);
            capitals.insert((cc.clone(), s(&c["capital"]).trim().to_string()));
            let mut e = Entry {
                kind: Some(PlaceKind::Country),
                geonames: c["geonameid"].as_u64().unwrap_or(0) as u32,
                cc: cc.clone(),
                population: pop,
                canonical: name,
                ..Entry::default()
            };
            // Short forms English news uses that the sources list only as codes.
            let extra: &[&str] = match cc.as_str() {
                "US" => &["US", "U.S.", "USA", "U.S.A.", "United States of America", "America"],
                "GB" => &["UK", "U.K.", "Britain", "Great Britain"],
                "AE" => &["UAE"],
                "CD" => &["DRC", "DR Congo"],
                _ => &[],
            };
            e.names.extend(extra.iter().map(|x| x.to_string()));
            country_entry.insert(cc, out.len());
            out.push(e);
        }
    }
    let mut demonyms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(list) = mledoze.as_array() {
        for c in list {
            let cc = s(&c["cca2"]).to_string();
            let Some(&ei) = country_entry.get(&cc) else { continue };
            let common = s(&c["name"]["common"]).to_string();
            let e = &mut out[ei];
            for n in [common.as_str(), s(&c["name"]["official"])] {
                if usable_name(n) {
                    e.names.insert(n.to_string());
                }
            }
            for a in c["altSpellings"].as_array().into_iter().flatten() {
                let a = s(a);
                let acronym = a.len() >= 3 && a.chars().all(|c| c.is_ascii_uppercase());
                if usable_name(a) || acronym {
                    e.names.insert(a.to_string());
                }
            }
            let mut dem: Vec<String> = Vec::new();
            for g in ["m", "f"] {
                let d = s(&c["demonyms"]["eng"][g]);
                if usable_name(d) && !dem.iter().any(|x| x == d) {
                    dem.push(d.to_string());
                }
            }
            // A language named after the country is its nationality word too:
            // "Uzbek" (Uzbekistan), "Kazakh", "Thai".
            for l in c["languages"].as_object().into_iter().flat_map(|o| o.values()) {
                let l = s(l);
                let stem: String = l.chars().take(4).collect();
                if l.chars().count() >= 4 && !l.contains(' ') && !l.contains('-') && common.starts_with(&stem) && usable_name(l) && !dem.iter().any(|x| x == l) {
                    dem.push(l.to_string());
                }
            }
            for d in dem {
                demonyms.entry(d).or_default().push(cc.clone());
            }
        }
    }
    for (d, mut ccs) in demonyms {
        // "Dominican": the bigger country.
        ccs.sort_by_key(|cc| std::cmp::Reverse(country_pop.get(cc).copied().unwrap_or(0)));
        let cc = ccs[0].clone();
        let mut e = Entry { kind: Some(PlaceKind::Demonym), cc, canonical: d.clone(), ..Entry::default() };
        let plural_ok = !(d.ends_with("sh") || d.ends_with("ch") || d.ends_with("ese") || d.ends_with(['s', 'x', 'z']));
        if plural_ok {
            e.names.insert(format!("{d}s"));
        }
        out.push(e);
    }
    if let Some(obj) = states.as_object() {
        for st in obj.values() {
            let name = s(&st["name"]).to_string();
            if name.is_empty() {
                continue;
            }
            out.push(Entry {
                kind: Some(PlaceKind::State),
                geonames: st["geonameid"].as_u64().unwrap_or(0) as u32,
                cc: "US".into(),
                admin1: s(&st["code"]).to_string(),
                canonical: name,
                ..Entry::default()
            });
        }
    }
    // The nations of the United Kingdom: GeoNames lists them as first-level
    // divisions (ENG, SCT, WLS, NIR) without a record in these files.
    for (name, code, dem) in [
        ("England", "ENG", &["English"][..]),
        ("", "", &["Briton"][..]),
        ("Scotland", "SCT", &["Scottish", "Scot"][..]),
        ("Wales", "WLS", &["Welsh"][..]),
        ("Northern Ireland", "NIR", &["Northern Irish"][..]),
    ] {
        if name.is_empty() {
            // nationality words of the whole kingdom
            for d in dem {
                let mut e = Entry { kind: Some(PlaceKind::Demonym), cc: "GB".into(), canonical: d.to_string(), ..Entry::default() };
                e.names.insert(format!("{d}s"));
                out.push(e);
            }
            continue;
        }
        out.push(Entry {
            kind: Some(PlaceKind::State),
            cc: "GB".into(),
            admin1: code.into(),
            canonical: name.into(),
            ..Entry::default()
        });
        for d in dem {
            let mut e = Entry { kind: Some(PlaceKind::Demonym), cc: "GB".into(), canonical: d.to_string(), ..Entry::default() };
            if *d == "Scot" {
                e.names.insert("Scots".into());
            }
            out.push(e);
        }
    }
    // Regions news names often that have no record in these files.
    for (name, cc, alts) in [
        ("West Bank", "PS", &[][..]),
        ("Gaza Strip", "PS", &["Gaza"][..]),
        ("Crimea", "UA", &[][..]),
        ("Donbas", "UA", &["Donbass"][..]),
        ("Chechnya", "RU", &["Chechen Republic"][..]),
        ("Siberia", "RU", &[][..]),
        ("Tibet", "CN", &[][..]),
        ("Xinjiang", "CN", &[][..]),
        ("Darfur", "SD", &[][..]),
        ("Catalonia", "ES", &[][..]),
        ("Kashmir", "", &[][..]),
        ("Kurdistan", "", &[][..]),
        ("Middle East", "", &["Mideast"][..]),
        ("Balkans", "", &[][..]),
        ("Caucasus", "", &[][..]),
        ("Scandinavia", "", &[][..]),
        ("Sahel", "", &[][..]),
        ("Midwest", "US", &[][..]),
    ] {
        let mut e = Entry { kind: Some(PlaceKind::State), cc: cc.into(), canonical: name.into(), ..Entry::default() };
        e.names.extend(alts.iter().map(|a| a.to_string()));
        out.push(e);
    }
    if let Some(obj) = continents.as_object() {
        for ct in obj.values() {
            let name = s(&ct["toponymName"]).to_string();
            if name.is_empty() {
                continue;
            }
            let mut e = Entry {
                kind: Some(PlaceKind::Continent),
                geonames: ct["geonameId"].as_u64().unwrap_or(0) as u32,
                population: ct["population"].as_u64().unwrap_or(0),
                canonical: name,
                ..Entry::default()
            };
            for a in ct["alternateNames"].as_array().into_iter().flatten() {
                if s(&a["lang"]) == "en" && usable_name(s(&a["name"])) {
                    e.names.insert(s(&a["name"]).to_string());
                }
            }
            out.push(e);
        }
    }
    if let Some(obj) = cities.as_object() {
        for c in obj.values() {
            let name = s(&c["name"]).trim().to_string();
            let cc = s(&c["countrycode"]).to_string();
            let pop = c["population"].as_u64().unwrap_or(0);
            let capital = capitals.contains(&(cc.clone(), name.clone()));
            if name.is_empty() || (pop < MIN_CITY_POPULATION && !capital) {
                continue;
            }
            let mut admin1 = s(&c["admin1code"]).to_string();
            if capital {
                admin1.push('=');
            }
            let mut e = Entry {
                kind: Some(PlaceKind::City),
                geonames: c["geonameid"].as_u64().unwrap_or(0) as u32,
                cc,
                admin1,
                population: pop,
                canonical: name.clone(),
                ..Entry::default()
            };
            let all = pop >= ALL_NAMES_POPULATION || capital;
            let fname = fold(&name);
            for a in c["alternatenames"].as_array().into_iter().flatten() {
                let a = s(a).trim();
                if a == name || !usable_name(a) {
                    continue;
                }
                if (all && !english_word(a)) || fold(a) == fname {
                    e.names.insert(a.to_string());
                }
            }
            for v in saint_variants(&name) {
                e.names.insert(v);
            }
            out.push(e);
        }
    }
    out.sort_by(|a, b| (a.kind, &a.cc, &a.canonical, a.geonames).cmp(&(b.kind, &b.cc, &b.canonical, b.geonames)));
    let mut tsv = String::with_capacity(2 << 20);
    tsv.push_str(GAZETTEER_MAGIC);
    tsv.push('\n');
    for e in &out {
        let Some(kind) = e.kind else { continue };
        let clean = |x: &str| x.replace(['\t', '\n', '|'], " ");
        let names: Vec<String> = e.names.iter().filter(|n| **n != e.canonical).map(|n| clean(n)).collect();
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            kind.code(),
            e.geonames,
            e.cc,
            e.admin1,
            e.population,
            clean(&e.canonical),
            names.join("|")
        ));
    }
    Ok(tsv)
}

/// Counts, over plain-text files, how often each word is written in lower
/// case and how often capitalized away from a sentence start. Words seen
/// fewer than `min_count` times are left out.
pub fn compile_casing(paths: &[std::path::PathBuf], min_count: u32) -> crate::Result<String> {
    let mut files = Vec::new();
    for p in paths {
        files.extend(crate::text::load::txt_files(p)?);
    }
    files.sort();
    let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
    for f in &files {
        let input = f.display().to_string();
        let bytes = std::fs::read(f).map_err(|source| crate::Error::Read { input, source })?;
        let text = String::from_utf8_lossy(&bytes);
        let a = crate::text::analyze(&text);
        for (si, sent) in a.sentences.iter().enumerate() {
            let _ = si;
            let toks = &a.tokens[sent.tokens.clone()];
            let mut initial = true;
            for t in toks {
                if t.kind != TokenKind::Word {
                    if matches!(t.kind, TokenKind::Quote) || matches!(t.text(&text), ":" | "(" | "-") {
                        initial = true;
                    }
                    continue;
                }
                let w = t.text(&text);
                let Some(c0) = w.chars().next() else { continue };
                if !c0.is_alphabetic() {
                    initial = false;
                    continue;
                }
                let lower = w.to_lowercase();
                if w == lower {
                    counts.entry(lower).or_default().0 += 1;
                } else if c0.is_uppercase() && !initial {
                    counts.entry(lower).or_default().1 += 1;
                }
                initial = false;
            }
        }
    }
    let sorted: BTreeMap<String, (u32, u32)> = counts.into_iter().filter(|(_, (l, u))| l + u >= min_count).collect();
    let mut tsv = String::new();
    tsv.push_str(CASING_MAGIC);
    tsv.push('\n');
    for (w, (l, u)) in sorted {
        if w.contains(['\t', '\n']) {
            continue;
        }
        tsv.push_str(&format!("{w}\t{l}\t{u}\n"));
    }
    Ok(tsv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Token> {
        let mut v = Vec::new();
        tokenize_into(text, 0, &mut v);
        v
    }

    #[test]
    fn finds_places_and_demonyms() {
        let g = gazetteer();
        let text = "Officials in Saint Petersburg and St. Petersburg met Uzbek and Russian envoys in Kyiv.";
        let t = toks(text);
        let find = |word: &str| -> Option<(usize, &Place)> {
            let i = t.iter().position(|x| x.text(text) == word)?;
            let (n, c) = g.longest_match(text, &t, i)?;
            Some((n, g.place(c[0])))
        };
        let (n, p) = find("Saint").unwrap();
        assert_eq!((n, p.kind, p.cc.as_str(), p.canonical.as_str()), (2, PlaceKind::City, "RU", "Saint Petersburg"));
        let (_, p2) = find("St.").unwrap();
        assert_eq!(p2.canonical, "Saint Petersburg");
        let (_, u) = find("Uzbek").unwrap();
        assert_eq!((u.kind, u.cc.as_str()), (PlaceKind::Demonym, "UZ"));
        assert_eq!(g.country("UZ").unwrap().canonical, "Uzbekistan");
        let (_, k) = find("Kyiv").unwrap();
        assert_eq!((k.kind, k.cc.as_str()), (PlaceKind::City, "UA"));
        assert!(k.is_capital());
        // lower-case words never start a place name
        assert!(find("met").is_none());
    }

    #[test]
    fn countries_beat_cities_of_the_same_name() {
        let g = gazetteer();
        let c = g.lookup("Russia");
        assert_eq!(g.place(c[0]).kind, PlaceKind::Country);
        assert_eq!(g.place(g.lookup(&name_key("U.S."))[0]).canonical, "United States");
        assert_eq!(g.place(g.lookup("Kiev")[0]).canonical, "Kyiv");
    }

    #[test]
    fn casing_tells_common_words_from_names() {
        let g = gazetteer();
        if !g.has_casing() {
            return;
        }
        assert!(g.is_common_word("Questions"));
        assert!(g.is_common_word("When"));
        assert!(!g.is_common_word("Blair"));
    }

    #[test]
    fn usable_names_are_latin_and_not_codes() {
        assert!(usable_name("Kiev"));
        assert!(usable_name("São Paulo"));
        assert!(!usable_name("MOW"));
        assert!(!usable_name("mosukuwa"));
        assert!(!usable_name("Москва"));
        assert!(!usable_name("Ko"));
        assert_eq!(fold("São Paulo"), "sao paulo");
    }
}
