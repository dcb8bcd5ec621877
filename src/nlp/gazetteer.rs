//! Name lists as tagger features: token sequences (lower-cased, hashed)
//! with category bits, matched at every position.

use super::hash::{mix, KeyTable};
use super::token::{lower_hash, Tok};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const CITY: u8 = 1;
pub const COUNTRY: u8 = 2;
pub const REGION: u8 = 4;
pub const CONTINENT: u8 = 8;
pub const DEMONYM: u8 = 16;

pub const MAX_LEN: usize = 5;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct GazData {
    pub keys: Vec<u64>,
    pub cats: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub data: GazData,
    table: KeyTable,
}

#[inline]
fn step(h: u64, lower: u64) -> u64 {
    mix(h ^ lower) | 1
}

/// Splits a name the way news tokenizers do: whitespace, with leading and
/// trailing punctuation as separate tokens.
fn name_tokens(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in name.split_whitespace() {
        let w2 = w.trim_matches(|c: char| matches!(c, ',' | '(' | ')' | '"'));
        if !w2.is_empty() {
            out.push(w2);
        }
    }
    out
}

impl Gazetteer {
    pub fn from_data(data: GazData) -> Result<Gazetteer, String> {
        if data.keys.len() != data.cats.len() || data.keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err("inconsistent gazetteer".into());
        }
        let table = KeyTable::build(&data.keys);
        Ok(Gazetteer { data, table })
    }

    /// Builds from (name, category) pairs.
    pub fn build<'a>(names: impl IntoIterator<Item = (&'a str, u8)>) -> GazData {
        let mut m: BTreeMap<u64, u8> = BTreeMap::new();
        for (n, c) in names {
            let toks = name_tokens(n);
            if toks.is_empty() || toks.len() > MAX_LEN {
                continue;
            }
            let mut h = 0x9a2e_7e11u64;
            for t in toks {
                h = step(h, lower_hash(t));
            }
            *m.entry(h).or_insert(0) |= c;
        }
        GazData { keys: m.keys().copied().collect(), cats: m.values().copied().collect() }
    }

    /// Per token: bits 0..8 categories of a match starting here, bits 8..16 of one continuing here.
    pub fn mark(&self, toks: &[Tok], out: &mut Vec<u16>) {
        let mut pos = Vec::new();
        self.mark_with_positions(toks, out, &mut pos);
    }

    /// As [`Gazetteer::mark`], and in `pos` each token's place in the matches
    /// covering it, by category: bits 0..8 first token of a multi-token match,
    /// 8..16 inside one, 16..24 its last token, 24..32 a one-token match
    /// (BILOU, so a match's extent is visible at every token).
    pub fn mark_with_positions(&self, toks: &[Tok], out: &mut Vec<u16>, pos: &mut Vec<u32>) {
        out.clear();
        out.resize(toks.len(), 0);
        pos.clear();
        pos.resize(toks.len(), 0);
        if self.data.keys.is_empty() {
            return;
        }
        // The hashes of the spans starting at CHUNK tokens are computed and
        // their slots prefetched before any is looked up: the (mostly
        // missing) lookups' cache misses overlap instead of queueing.
        const CHUNK: usize = 16;
        let mut hs = [0u64; CHUNK * MAX_LEN];
        let n = toks.len();
        let mut i0 = 0;
        while i0 < n {
            let i1 = (i0 + CHUNK).min(n);
            for i in i0..i1 {
                let mut h = 0x9a2e_7e11u64;
                for j in i..n.min(i + MAX_LEN) {
                    h = step(h, toks[j].lower);
                    hs[(i - i0) * MAX_LEN + (j - i)] = h;
                    self.table.prefetch(h);
                }
            }
            for i in i0..i1 {
                self.mark_at(i, &hs[(i - i0) * MAX_LEN..], n, out, pos);
            }
            i0 = i1;
        }
    }

    /// The matches starting at token `i` (`hs[d]`: the hash of tokens `i..=i + d`).
    #[inline]
    fn mark_at(&self, i: usize, hs: &[u64], n: usize, out: &mut [u16], pos: &mut [u32]) {
        for j in i..n.min(i + MAX_LEN) {
            let Some(&c) = hs.get(j - i).and_then(|&h| self.table.get(h)).and_then(|k| self.data.cats.get(k as usize))
            else {
                continue;
            };
            let c = c as u16;
            out[i] |= c;
            for o in &mut out[i + 1..=j] {
                *o |= c << 8;
            }
            let c = c as u32;
            if i == j {
                pos[i] |= c << 24;
            } else {
                pos[i] |= c;
                for o in &mut pos[i + 1..j] {
                    *o |= c << 8;
                }
                pos[j] |= c << 16;
            }
        }
    }
}

/// Names from the shared gazetteer folder (GeoNames cities, countries,
/// continents, US states; country names and demonyms).
pub fn from_dir(dir: &std::path::Path) -> crate::Result<GazData> {
    use serde_json::Value;
    let read = |f: &str| -> crate::Result<Value> {
        let p = dir.join(f);
        let t = super::train::read_text(&p)?;
        serde_json::from_str(&t).map_err(|e| crate::Error::BadData { input: p.display().to_string(), message: e.to_string() })
    };
    let mut names: Vec<(String, u8)> = Vec::new();
    let s = |v: &Value| v.as_str().map(|x| x.to_string());
    if let Value::Object(m) = read("geonames-cities15000.json")? {
        for v in m.values() {
            if let Some(n) = s(&v["name"]) {
                names.push((n, CITY));
            }
        }
    }
    if let Value::Object(m) = read("geonames-countries.json")? {
        for v in m.values() {
            if let Some(n) = s(&v["name"]) {
                names.push((n, COUNTRY));
            }
            if let Some(n) = s(&v["capital"]) {
                names.push((n, CITY));
            }
        }
    }
    if let Value::Object(m) = read("geonames-continents.json")? {
        for v in m.values() {
            for k in ["name", "toponymName", "asciiName"] {
                if let Some(n) = s(&v[k]) {
                    names.push((n, CONTINENT));
                }
            }
        }
    }
    if let Value::Object(m) = read("geonames-us-states.json")? {
        for v in m.values() {
            if let Some(n) = s(&v["name"]) {
                names.push((n, REGION));
            }
        }
    }
    if let Value::Array(a) = read("mledoze-countries.json")? {
        for v in &a {
            for k in ["common", "official"] {
                if let Some(n) = s(&v["name"][k]) {
                    names.push((n, COUNTRY));
                }
            }
            if let Some(alt) = v["altSpellings"].as_array() {
                for x in alt {
                    if let Some(n) = x.as_str() {
                        // Two-letter codes are too ambiguous ("AL", "IN").
                        if n.chars().count() > 3 {
                            names.push((n.to_string(), COUNTRY));
                        }
                    }
                }
            }
            for g in ["f", "m"] {
                if let Some(n) = s(&v["demonyms"]["eng"][g]) {
                    names.push((n, DEMONYM));
                }
            }
        }
    }
    Ok(Gazetteer::build(names.iter().map(|(n, c)| (n.as_str(), *c))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_show_each_matchs_extent() {
        let g = Gazetteer::from_data(Gazetteer::build([("New York City", CITY), ("York", CITY), ("Spain", COUNTRY)]))
            .expect("valid gazetteer");
        let toks: Vec<Tok> = ["Flights", "from", "New", "York", "City", "to", "Spain"].iter().map(|w| Tok::new(w, None)).collect();
        let (mut marks, mut pos) = (Vec::new(), Vec::new());
        g.mark_with_positions(&toks, &mut marks, &mut pos);
        let c = CITY as u32;
        // "New York City": B at New, I at York (which is also a one-token city), L at City.
        assert_eq!(pos[2], c);
        assert_eq!(pos[3], c << 8 | c << 24);
        assert_eq!(pos[4], c << 16);
        assert_eq!(pos[6], (COUNTRY as u32) << 24);
        assert_eq!(pos[0] | pos[1] | pos[5], 0);
        // The plain marks are unchanged: starts, and continuations.
        assert_eq!(marks[2], CITY as u16);
        assert_eq!(marks[3], CITY as u16 | (CITY as u16) << 8);
    }
}
