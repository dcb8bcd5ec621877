//! The trigger lexicon (`data/events/types.tsv`): trigger words and phrases
//! with their event types, and the instrument nouns. A feature of the
//! classifier and the map from a trigger's lemma to its type.

use super::model::FastHash;
use std::collections::HashMap;

const TYPES_TSV: &str = include_str!("../../../data/events/types.tsv");
const INSTRUMENTS: &str = include_str!("../../../data/events/instruments.txt");

#[derive(Debug, Default)]
pub struct Lexicon {
    /// Type names, sorted (index = type id).
    pub types: Vec<String>,
    /// Single-word trigger (lowercase) → (entry, type id).
    words: HashMap<String, (String, usize), FastHash>,
    /// Multi-word triggers as lowercase word lists, with type id; longest first.
    pub phrases: Vec<(Vec<String>, usize)>,
    instruments: HashMap<String, (), FastHash>,
}

impl Lexicon {
    pub fn parse(tsv: &str, instruments: &str) -> Lexicon {
        let mut entries: Vec<(String, String)> = Vec::new();
        for line in tsv.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut it = line.split('\t');
            if let (Some(trig), Some(ty)) = (it.next(), it.next()) {
                entries.push((trig.trim().to_lowercase(), ty.trim().to_string()));
            }
        }
        let mut types: Vec<String> = entries.iter().map(|e| e.1.clone()).collect();
        types.sort();
        types.dedup();
        let mut lex = Lexicon::default();
        for (trig, ty) in entries {
            let Ok(t) = types.binary_search(&ty) else { continue };
            // Entries are split the way the tokenizer splits ("cease-fire" → cease - fire).
            let words = split_words(&trig);
            if words.len() == 1 {
                lex.words.entry(trig.clone()).or_insert((trig, t));
            } else if !words.is_empty() {
                lex.phrases.push((words, t));
            }
        }
        lex.phrases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        for l in instruments.lines() {
            let l = l.trim();
            if !l.is_empty() && !l.starts_with('#') {
                lex.instruments.insert(l.to_lowercase(), ());
            }
        }
        lex.types = types;
        lex
    }

    pub fn bundled() -> Lexicon {
        Lexicon::parse(TYPES_TSV, INSTRUMENTS)
    }

    pub fn type_name(&self, t: usize) -> &str {
        self.types.get(t).map_or("Occurrence", String::as_str)
    }

    pub fn is_instrument(&self, lower: &str) -> bool {
        self.instruments.contains_key(lower)
    }

    fn get(&self, w: &str) -> Option<(&str, usize)> {
        self.words.get(w).map(|(e, t)| (e.as_str(), *t))
    }

    /// The lexicon entry a word is a form of, with its type: tries the word,
    /// then the word with inflectional endings stripped.
    pub fn lemma_of(&self, word: &str) -> Option<(&str, usize)> {
        if word.len() > 30 || word.len() < 2 {
            return None;
        }
        let mut buf = [0u8; 32];
        let w = ascii_lower(word, &mut buf)?;
        if let Some(r) = self.get(w) {
            return Some(r);
        }
        let mut tmp = [0u8; 34];
        let mut try_form = |stem: &str, add: &str| -> Option<(&str, usize)> {
            let n = stem.len() + add.len();
            if stem.len() < 2 || n > tmp.len() {
                return None;
            }
            tmp[..stem.len()].copy_from_slice(stem.as_bytes());
            tmp[stem.len()..n].copy_from_slice(add.as_bytes());
            std::str::from_utf8(&tmp[..n]).ok().and_then(|s| self.get(s))
        };
        let undouble = |s: &str| -> Option<usize> {
            let b = s.as_bytes();
            let n = b.len();
            (n >= 3 && b[n - 1] == b[n - 2] && !b"aeiouls".contains(&b[n - 1])).then(|| n - 1)
        };
        if let Some(s) = w.strip_suffix("ies").or_else(|| w.strip_suffix("ied")) {
            if let Some(r) = try_form(s, "y") {
                return Some(r);
            }
        }
        let w1 = w.strip_suffix('s').filter(|_| w.ends_with("ings")).unwrap_or(w);
        if let Some(s) = w1.strip_suffix("ing") {
            for add in ["", "e"] {
                if let Some(r) = try_form(s, add) {
                    return Some(r);
                }
            }
            if let Some(n) = undouble(s) {
                if let Some(r) = try_form(&s[..n], "") {
                    return Some(r);
                }
            }
        }
        if let Some(s) = w.strip_suffix("ed") {
            for (st, add) in [(s, ""), (&w[..w.len() - 1], "")] {
                if let Some(r) = try_form(st, add) {
                    return Some(r);
                }
            }
            if let Some(n) = undouble(s) {
                if let Some(r) = try_form(&s[..n], "") {
                    return Some(r);
                }
            }
        }
        if let Some(s) = w.strip_suffix("es") {
            if let Some(r) = try_form(s, "") {
                return Some(r);
            }
        }
        if let Some(s) = w.strip_suffix('s') {
            if let Some(r) = try_form(s, "") {
                return Some(r);
            }
        }
        None
    }
}

/// Lowercases an ASCII word into `buf`; None for non-ASCII (the lexicon is English).
fn ascii_lower<'a>(word: &str, buf: &'a mut [u8; 32]) -> Option<&'a str> {
    if !word.is_ascii() || word.len() > buf.len() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(word.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..word.len()]).ok()
}

/// Splits a phrase into the tokenizer's words: alphanumeric runs and single punctuation.
pub fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_find_their_entry() {
        let lex = Lexicon::bundled();
        let ty = |w: &str| lex.lemma_of(w).map(|(_, t)| lex.type_name(t).to_string());
        assert_eq!(ty("killed").as_deref(), Some("Life.Die"));
        assert_eq!(ty("Killing").as_deref(), Some("Life.Die"));
        assert_eq!(ty("bombings").as_deref(), Some("Conflict.Attack"));
        assert_eq!(ty("arrested").as_deref(), Some("Justice.Arrest-Jail"));
        assert_eq!(ty("detained").as_deref(), Some("Justice.Arrest-Jail"));
        assert_eq!(ty("died").as_deref(), Some("Life.Die"));
        assert_eq!(ty("planned"), None);
        assert_eq!(ty("said").as_deref(), Some("Contact.Statement"));
        assert_eq!(ty("injuries").as_deref(), Some("Life.Injure"));
        assert_eq!(ty("stabbed").as_deref(), Some("Conflict.Attack"));
        assert_eq!(ty("Москва"), None);
        assert!(lex.phrases.iter().any(|(p, _)| p == &["press", "conference"]));
        assert!(lex.is_instrument("bomb"));
    }
}
