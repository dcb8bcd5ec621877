//! The trigger classifier: an averaged perceptron over hashed token features,
//! trained on TimeML EVENT annotations. Classes are "no event" plus the
//! TimeML event classes, so the class also hints at the event type
//! (REPORTING → Contact.Statement, STATE/I_STATE → State).

use super::lexicon::Lexicon;
use serde::{Deserialize, Serialize};

/// Class 0 is "not a trigger"; the rest are TimeML EVENT classes.
pub const CLASSES: [&str; 8] = [
    "O",
    "OCCURRENCE",
    "REPORTING",
    "STATE",
    "I_STATE",
    "I_ACTION",
    "ASPECTUAL",
    "PERCEPTION",
];
pub const K: usize = CLASSES.len();

pub fn class_index(name: &str) -> usize {
    CLASSES.iter().position(|c| *c == name).unwrap_or(1)
}

const MAGIC: &[u8; 8] = b"NGEVTRG\0";
const VERSION: u32 = 2;

/// Universal POS tags, for the word-class lexicon (ambiguity classes from a treebank).
pub const UPOS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM",
    "VERB", "X",
];

/// Word (lowercase hash) → (bit set of UPOS tags seen, most frequent tag + 1).
pub type WordClasses = std::collections::HashMap<u64, (u32, u8), FastHash>;

/// A fast hasher (FxHash's mixing) for the per-token lookups: the keys are
/// already hashes or short words from fixed tables, so SipHash's protection
/// buys nothing here and costs a large share of the trigger features' time.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

pub type FastHash = std::hash::BuildHasherDefault<FastHasher>;

impl FastHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // hashbrown takes the bucket from the low bits and a tag from the top 7:
        // fold the well-mixed high half into the low one.
        self.0 ^ (self.0 >> 32)
    }
}

#[derive(Serialize, Deserialize)]
struct ModelFile {
    version: u32,
    /// Margin an event class needs over "O" (tuned on the dev split).
    threshold: f32,
    /// Whether POS features were used in training.
    uses_pos: bool,
    /// (feature hash, K weights), sorted by hash.
    features: Vec<(u64, [f32; K])>,
    /// (word hash, UPOS bit set, majority tag + 1), sorted by hash.
    word_classes: Vec<(u64, u32, u8)>,
}

/// Weights in an open-addressing table keyed by the (already random) feature hash.
/// A slot holds the key and its weight row, so a probe costs one cache line,
/// and rows are cache-line aligned, so a hit costs one more.
#[derive(Debug)]
pub struct TriggerModel {
    /// One bit per `(key >> FILTER_SHIFT) & filter_mask`, set for every stored key:
    /// most looked-up features are absent, and this small table (in cache)
    /// rules them out without touching the large one.
    filter: Vec<u64>,
    filter_mask: usize,
    slots: Vec<Slot>,
    weights: Vec<Row>,
    mask: usize,
    pub threshold: f32,
    pub uses_pos: bool,
    pub word_classes: WordClasses,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    key: u64,
    row: u32,
}

#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Row([f32; K]);

const EMPTY: u64 = 0;

/// The filter's bits come from the key's high half; the slot index from its low bits.
const FILTER_SHIFT: u32 = 32;

/// Features looked up per batch (see [`TriggerModel::rows`]).
const BATCH: usize = 256;

/// A feature with no weights.
pub const NO_ROW: u32 = u32::MAX;

impl TriggerModel {
    pub fn from_weights(features: Vec<(u64, [f32; K])>, threshold: f32, uses_pos: bool) -> TriggerModel {
        let cap = (features.len() * 2).max(16).next_power_of_two();
        let mut slots = vec![Slot { key: EMPTY, row: 0 }; cap];
        let mut weights = Vec::with_capacity(features.len());
        for (k, w) in features {
            let k = if k == EMPTY { 1 } else { k };
            let mut slot = (k as usize) & (cap - 1);
            while slots[slot].key != EMPTY && slots[slot].key != k {
                slot = (slot + 1) & (cap - 1);
            }
            if slots[slot].key == EMPTY {
                slots[slot] = Slot { key: k, row: weights.len() as u32 };
                weights.push(Row(w));
            }
        }
        // About 24 bits per key: about 4% of absent keys pass the filter.
        let bits = (weights.len() * 24).max(64).next_power_of_two();
        let mut filter = vec![0u64; bits / 64];
        for s in slots.iter().filter(|s| s.key != EMPTY) {
            let b = (s.key >> FILTER_SHIFT) as usize & (bits - 1);
            filter[b / 64] |= 1 << (b % 64);
        }
        TriggerModel {
            filter,
            filter_mask: bits - 1,
            slots,
            weights,
            mask: cap - 1,
            threshold,
            uses_pos,
            word_classes: WordClasses::default(),
        }
    }

    /// The row of key `k`, probing from its home slot.
    #[inline]
    fn find(&self, k: u64) -> Option<u32> {
        let k = if k == EMPTY { 1 } else { k };
        let mut slot = (k as usize) & self.mask;
        loop {
            let s = self.slots[slot];
            if s.key == k {
                return Some(s.row);
            }
            if s.key == EMPTY {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    #[inline]
    pub fn get(&self, k: u64) -> Option<&[f32; K]> {
        self.find(k).and_then(|r| self.weights.get(r as usize)).map(|r| &r.0)
    }

    /// Sum of the weight rows of `feats`, added in `feats` order.
    pub fn scores(&self, feats: &[u64]) -> [f32; K] {
        let mut rows = Vec::with_capacity(feats.len());
        self.rows(feats, &mut rows);
        self.sum(&rows)
    }

    /// The weight row of each feature (`NO_ROW` when absent), into `rows`.
    /// Many features at once (a whole sentence's): the lookups are
    /// independent, so their cache misses overlap — the table is far larger
    /// than the caches, and looking features up one by one waited on each miss.
    pub fn rows(&self, feats: &[u64], rows: &mut Vec<u32>) {
        rows.clear();
        rows.resize(feats.len(), NO_ROW);
        let mut keys = [EMPTY; BATCH];
        let mut at = [0u32; BATCH];
        let mut home = [EMPTY; BATCH];
        for (c, chunk) in feats.chunks(BATCH).enumerate() {
            let base = c * BATCH;
            // Pass 0: ask for the filter's words (a prefetch retires at once,
            // so more of these misses overlap than loads in the loop below).
            for &f in chunk {
                let k = if f == EMPTY { 1 } else { f };
                let b = (k >> FILTER_SHIFT) as usize & self.filter_mask;
                crate::nlp::hash::prefetch_ptr(self.filter.as_ptr().wrapping_add(b / 64));
            }
            // Pass 1: keep the keys that may be stored (with their position), without branching.
            let mut m = 0;
            for (j, &f) in chunk.iter().enumerate() {
                let k = if f == EMPTY { 1 } else { f };
                let b = (k >> FILTER_SHIFT) as usize & self.filter_mask;
                let word = self.filter.get(b / 64).copied().unwrap_or(u64::MAX);
                keys[m] = k;
                at[m] = j as u32;
                m += ((word >> (b % 64)) & 1) as usize;
            }
            // Pass 2: touch every home slot with no branch between the loads.
            for (h, &k) in home.iter_mut().zip(&keys[..m]) {
                *h = self.slots[(k as usize) & self.mask].key;
            }
            // Pass 3: resolve (home slots are cached now); rare collisions probe on.
            for ((&h, &k), &j) in home.iter().zip(&keys[..m]).zip(&at[..m]) {
                let row = if h == k {
                    Some(self.slots[(k as usize) & self.mask].row)
                } else if h == EMPTY {
                    None
                } else {
                    self.find(k)
                };
                if let (Some(r), Some(slot)) = (row, rows.get_mut(base + j as usize)) {
                    // The weights are read later (`sum`, after the whole
                    // sentence is resolved): fetch them now, so their misses
                    // overlap with the other lookups instead of one per feature there.
                    crate::nlp::hash::prefetch_ptr(self.weights.as_ptr().wrapping_add(r as usize));
                    *slot = r;
                }
            }
        }
    }

    /// Sum of the rows, added in order (so the floating-point result is the
    /// same as adding the features' weights one at a time).
    pub fn sum(&self, rows: &[u32]) -> [f32; K] {
        let mut s = [0f32; K];
        for &r in rows {
            if let Some(w) = self.weights.get(r as usize) {
                for c in 0..K {
                    s[c] += w.0[c];
                }
            }
        }
        s
    }

    /// The predicted class (0 = no trigger) given the scores.
    pub fn decide(&self, s: &[f32; K]) -> usize {
        let mut best = 1;
        for c in 2..K {
            if s[c] > s[best] {
                best = c;
            }
        }
        if s[best] - s[0] > self.threshold {
            best
        } else {
            0
        }
    }

    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Model file bytes: magic header, then the postcard body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut features: Vec<(u64, [f32; K])> = self
            .slots
            .iter()
            .filter(|s| s.key != EMPTY)
            .filter_map(|s| self.weights.get(s.row as usize).map(|w| (s.key, w.0)))
            .collect();
        features.sort_by_key(|f| f.0);
        let mut word_classes: Vec<(u64, u32, u8)> = self.word_classes.iter().map(|(k, v)| (*k, v.0, v.1)).collect();
        word_classes.sort_unstable();
        let body = ModelFile { version: VERSION, threshold: self.threshold, uses_pos: self.uses_pos, features, word_classes };
        let mut out = MAGIC.to_vec();
        // Serializing plain vectors and numbers cannot fail.
        out.extend(postcard::to_allocvec(&body).unwrap_or_default());
        out
    }

    pub fn from_bytes(name: &str, bytes: &[u8]) -> crate::Result<TriggerModel> {
        let bad = |message: String| crate::Error::BadModel { path: name.to_string(), message };
        let body = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| bad("not an event trigger model (bad magic header)".into()))?;
        let f: ModelFile = postcard::from_bytes(body).map_err(|e| bad(e.to_string()))?;
        if f.version != VERSION {
            return Err(bad(format!("model version {} (expected {VERSION})", f.version)));
        }
        let mut m = TriggerModel::from_weights(f.features, f.threshold, f.uses_pos);
        m.word_classes = f.word_classes.into_iter().map(|(k, a, b)| (k, (a, b))).collect();
        Ok(m)
    }
}

// ---------------------------------------------------------------- features

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
fn fnv_bytes(mut h: u64, b: &[u8]) -> u64 {
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A feature: template id combined with one or two value hashes.
#[inline]
fn feat(template: u64, a: u64, b: u64) -> u64 {
    mix(mix(template.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ a).wrapping_add(b))
}

/// Hash of a string, lowercased on the fly (no allocation); digits fold to `0`
/// so numbers share features.
pub fn lower_hash(s: &str) -> u64 {
    let mut h = FNV_OFFSET;
    if s.is_ascii() {
        // Most words: the same bytes as the general path below, without the Unicode case tables.
        for &b in s.as_bytes().iter().take(40) {
            h = fnv_bytes(h, &[if b.is_ascii_digit() { b'0' } else { b.to_ascii_lowercase() }]);
        }
        return h;
    }
    let mut buf = [0u8; 4];
    for c in s.chars().take(40) {
        let c = if c.is_ascii_digit() { '0' } else { c };
        for l in c.to_lowercase() {
            h = fnv_bytes(h, l.encode_utf8(&mut buf).as_bytes());
        }
    }
    h
}

/// Hash of the last `n` characters of `s`, lowercased (0 if `s` is shorter).
fn suffix_hash(s: &str, n: usize) -> u64 {
    if s.is_ascii() {
        return if s.len() <= n { 0 } else { lower_hash(&s[s.len() - n..]) };
    }
    let count = s.chars().count();
    if count <= n {
        return 0;
    }
    let start = s.char_indices().nth(count - n).map_or(0, |(i, _)| i);
    lower_hash(&s[start..])
}

fn prefix_hash(s: &str, n: usize) -> u64 {
    if s.is_ascii() {
        return if s.len() <= n { 0 } else { lower_hash(&s[..n]) };
    }
    let count = s.chars().count();
    if count <= n {
        return 0;
    }
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    lower_hash(&s[..end])
}

/// Hash of the word without a common inflectional ending ("attacks",
/// "attacked", "attacking" → "attack"), so rare forms share evidence.
fn crude_stem_hash(word: &str) -> u64 {
    let n = word.len();
    for suf in ["ings", "ing", "ied", "ies", "ed", "es", "s"] {
        if n > suf.len() + 3 && word.is_char_boundary(n - suf.len()) && word[n - suf.len()..].eq_ignore_ascii_case(suf) {
            return lower_hash(&word[..n - suf.len()]);
        }
    }
    lower_hash(word)
}

/// Word shape with runs collapsed: "Moscow" → "Xx", "U.S." → "X.X.", "1990" → "d".
fn shape_hash(s: &str) -> u64 {
    let mut h = FNV_OFFSET;
    let mut last = 0u8;
    if s.is_ascii() {
        // The same classes as below, without the Unicode tables.
        for &b in s.as_bytes().iter().take(40) {
            let k = if b.is_ascii_uppercase() {
                b'X'
            } else if b.is_ascii_lowercase() {
                b'x'
            } else if b.is_ascii_digit() {
                b'd'
            } else {
                b
            };
            if k != last {
                h = fnv_bytes(h, &[k]);
                last = k;
            }
        }
        return h;
    }
    for c in s.chars().take(40) {
        let k = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_numeric() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'?'
        };
        if k != last {
            h = fnv_bytes(h, &[k]);
            last = k;
        }
    }
    h
}

/// What the features of one token are computed from.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokInfo {
    pub word: u64,
    pub stem: u64,
    pub suf2: u64,
    pub suf3: u64,
    pub suf4: u64,
    pub pre3: u64,
    pub shape: u64,
    pub pos: u64,
    /// Lexicon type id + 1 (0 when not in the lexicon).
    pub lex: u64,
    pub cap: bool,
    /// UPOS ambiguity class and majority tag + 1 from the word-class lexicon (0 = unknown).
    pub amb: u64,
    pub maj: u64,
    /// Coarse POS (first two letters of the tag: "NN", "VB", "JJ", ...).
    pub cpos: u64,
    /// A noun or gerund whose base is a verb in the word-class lexicon
    /// ("departure" ← depart, "seizure" ← seize, "filing" ← file): event nominals.
    pub deverbal: bool,
    /// Function-word classes the context features look for.
    pub light: bool,
    pub det: bool,
    pub copula: bool,
}

/// Verbs that take an event noun as object: "made an offer", "held talks".
const LIGHT: &[&str] = &[
    "make", "makes", "made", "making", "take", "takes", "took", "taken", "taking", "give", "gives", "gave", "given",
    "giving", "have", "has", "had", "having", "hold", "holds", "held", "holding", "conduct", "conducted", "launch",
    "launched", "carry", "carried", "stage", "staged", "complete", "completed", "announce", "announced", "begin",
    "began", "start", "started", "face", "faced", "order", "ordered", "approve", "approved", "suffer", "suffered",
    "reach", "reached", "win", "won", "seek", "sought", "expect", "expected", "report", "reported",
];
const DETERMINERS: &[&str] = &["the", "a", "an", "this", "that", "its", "his", "her", "their", "our", "any", "no", "another", "these", "those"];
const COPULA: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "become", "became", "becomes", "remain", "remained", "seem", "seemed", "'s"];

/// Derivational endings of event nouns and the verb endings that replace them.
const DERIVATION: &[(&str, &str)] = &[
    ("ications", "y"), ("ication", "y"), ("ations", "ate"), ("ation", "ate"), ("ations", "e"), ("ation", "e"), ("ations", ""), ("ation", ""),
    ("itions", "ite"), ("ition", "ite"), ("tions", "te"), ("tion", "te"), ("sions", "de"), ("sion", "de"), ("sions", "d"), ("sion", "d"),
    ("ments", ""), ("ment", ""), ("ures", "e"), ("ure", "e"), ("ures", ""), ("ure", ""), ("als", "e"), ("al", "e"),
    ("ances", "e"), ("ance", "e"), ("ances", ""), ("ance", ""), ("ences", "e"), ("ence", "e"), ("ences", ""), ("ence", ""),
    ("ings", ""), ("ings", "e"), ("ing", ""), ("ing", "e"), ("ies", "y"), ("es", ""), ("s", ""),
];
const VERB_BIT: u32 = 1 << 15;

/// Is `lower` (ASCII lowercase) derived from a verb the word-class lexicon knows?
fn is_deverbal(word: &str, wc: &WordClasses) -> bool {
    let n = word.len();
    if !(5..=30).contains(&n) || !word.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 40];
    for &(suf, rep) in DERIVATION {
        if n <= suf.len() + 2 || !word[n - suf.len()..].eq_ignore_ascii_case(suf) {
            continue;
        }
        let stem = &word.as_bytes()[..n - suf.len()];
        let len = stem.len() + rep.len();
        buf[..stem.len()].copy_from_slice(stem);
        buf[stem.len()..len].copy_from_slice(rep.as_bytes());
        // ASCII input, so the buffer is valid UTF-8.
        if let Ok(base) = std::str::from_utf8(&buf[..len]) {
            if wc.get(&lower_hash(base)).is_some_and(|&(mask, _)| mask & VERB_BIT != 0) {
                return true;
            }
        }
    }
    false
}

const BOS: u64 = 0x5eed_0001;
static OF: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| lower_hash("of"));
const EOS: u64 = 0x5eed_0002;

pub fn tok_info(word: &str, pos: Option<&str>, lex: &Lexicon, wc: Option<&WordClasses>) -> TokInfo {
    let lower = lower_hash(word);
    let (amb, maj) = wc.and_then(|w| w.get(&lower)).map_or((0, 0), |&(a, m)| (a as u64 + 1, m as u64));
    let lemma = lex.lemma_of(word);
    let fw = function_word(word);
    TokInfo {
        word: lower,
        stem: lemma.map_or_else(|| crude_stem_hash(word), |(l, _)| lower_hash(l)),
        suf2: suffix_hash(word, 2),
        suf3: suffix_hash(word, 3),
        suf4: suffix_hash(word, 4),
        pre3: prefix_hash(word, 3),
        shape: shape_hash(word),
        pos: pos.map_or(0, lower_hash),
        lex: lemma.map_or(0, |(_, t)| t as u64 + 1),
        cap: word.chars().next().is_some_and(char::is_uppercase),
        amb,
        maj,
        cpos: pos.map_or(0, |p| lower_hash(p.get(..2).unwrap_or(p))),
        deverbal: wc.is_some_and(|w| is_deverbal(word, w)),
        light: fw & FW_LIGHT != 0,
        det: fw & FW_DET != 0,
        copula: fw & FW_COPULA != 0,
    }
}

const FW_LIGHT: u8 = 1;
const FW_DET: u8 = 2;
const FW_COPULA: u8 = 4;
/// Longest word of LIGHT, DETERMINERS and COPULA.
const FW_MAX: usize = 9;

/// Which of LIGHT, DETERMINERS and COPULA hold `w` (ASCII case-insensitively):
/// one lowercasing and one hash lookup instead of ninety comparisons.
fn function_word(w: &str) -> u8 {
    static TABLE: std::sync::LazyLock<std::collections::HashMap<&'static [u8], u8, FastHash>> =
        std::sync::LazyLock::new(|| {
            let mut m = std::collections::HashMap::default();
            for (set, bit) in [(LIGHT, FW_LIGHT), (DETERMINERS, FW_DET), (COPULA, FW_COPULA)] {
                for x in set {
                    *m.entry(x.as_bytes()).or_insert(0) |= bit;
                }
            }
            m
        });
    if w.len() > FW_MAX {
        return 0;
    }
    let mut buf = [0u8; FW_MAX];
    let lower = &mut buf[..w.len()];
    lower.copy_from_slice(w.as_bytes());
    // Non-ASCII bytes stay as they are, so such words match nothing (as with eq_ignore_ascii_case).
    lower.make_ascii_lowercase();
    TABLE.get(&*lower).copied().unwrap_or(0)
}

/// Appends the features of token `i` of a sentence to `out`.
pub fn features(toks: &[TokInfo], i: usize, out: &mut Vec<u64>) {
    let at = |j: isize| -> Option<&TokInfo> {
        if j < 0 {
            None
        } else {
            toks.get(j as usize)
        }
    };
    let w = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.word);
    let i = i as isize;
    let Some(t) = at(i) else { return };
    out.push(feat(1, 0, 0));
    out.push(feat(2, t.word, 0));
    out.push(feat(3, w(i - 1), 0));
    out.push(feat(4, w(i - 2), 0));
    out.push(feat(5, w(i + 1), 0));
    out.push(feat(6, w(i + 2), 0));
    out.push(feat(7, t.suf2, 0));
    out.push(feat(8, t.suf3, 0));
    out.push(feat(9, t.suf4, 0));
    out.push(feat(10, t.shape, 0));
    out.push(feat(11, w(i - 1), t.word));
    out.push(feat(12, t.word, w(i + 1)));
    out.push(feat(13, t.stem, 0));
    out.push(feat(14, t.lex, 0));
    out.push(feat(15, (t.lex != 0) as u64, 0));
    out.push(feat(18, t.pre3, 0));
    out.push(feat(20, (t.cap && i > 0) as u64, 0));
    out.push(feat(21, at(i - 1).map_or(0, |p| p.suf2), 0));
    out.push(feat(22, at(i - 1).map_or(BOS, |p| p.shape), t.shape));
    out.push(feat(23, w(i - 2), w(i - 1)));
    out.push(feat(24, t.suf3, w(i - 1)));
    let maj = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.maj);
    out.push(feat(30, t.amb, 0));
    out.push(feat(31, t.maj, 0));
    out.push(feat(32, maj(i - 1), t.maj));
    out.push(feat(33, t.maj, maj(i + 1)));
    out.push(feat(34, maj(i - 1), 0));
    out.push(feat(35, maj(i + 1), 0));
    out.push(feat(36, t.amb, t.suf3));
    out.push(feat(37, maj(i - 2), maj(i - 1)));
    out.push(feat(38, t.amb, w(i - 1)));
    // Event nominals: derived from a verb, after a light verb, in "the X of".
    out.push(feat(43, t.deverbal as u64, t.cpos));
    out.push(feat(44, t.deverbal as u64, t.suf3));
    let light = (1..=3).any(|k| at(i - k).is_some_and(|p| p.light));
    out.push(feat(45, light as u64, t.cpos));
    let det_before = at(i - 1).is_some_and(|p| p.det) || at(i - 2).is_some_and(|p| p.det);
    out.push(feat(46, det_before as u64 * 2 + (w(i + 1) == *OF) as u64, t.deverbal as u64));
    // Predicate adjectives and participles after a copula ("were lower", "is expected").
    let cop = (1..=2).any(|k| at(i - k).is_some_and(|p| p.copula));
    out.push(feat(47, cop as u64, t.cpos));
    out.push(feat(48, cop as u64, t.word));
    if t.pos != 0 {
        out.push(feat(40, t.word, t.pos));
        out.push(feat(41, t.stem, t.cpos));
        out.push(feat(42, w(i - 1), t.cpos));
        let pos = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.pos);
        out.push(feat(49, pos(i - 2), pos(i - 1)));
        out.push(feat(50, pos(i + 1), pos(i + 2)));
        out.push(feat(51, t.word, pos(i - 1)));
        out.push(feat(52, t.word, pos(i + 1)));
        out.push(feat(16, t.pos, 0));
        out.push(feat(17, at(i - 1).map_or(BOS, |p| p.pos), t.pos));
        out.push(feat(19, t.pos, at(i + 1).map_or(EOS, |p| p.pos)));
        out.push(feat(25, t.pos, t.suf3));
    }
}

// ---------------------------------------------------------------- training

/// One training sentence: per-token feature lists and gold classes.
pub struct Example {
    pub feats: Vec<Vec<u64>>,
    pub gold: Vec<usize>,
}

/// Averaged multi-class perceptron with lazy averaging.
pub struct Trainer {
    index: std::collections::HashMap<u64, usize>,
    keys: Vec<u64>,
    w: Vec<[f32; K]>,
    /// Sum of weight values over time, up to `stamp`.
    acc: Vec<[f64; K]>,
    stamp: Vec<u64>,
    count: Vec<u32>,
    t: u64,
}

impl Default for Trainer {
    fn default() -> Self {
        Self::new()
    }
}

impl Trainer {
    pub fn new() -> Trainer {
        Trainer {
            index: Default::default(),
            keys: Vec::new(),
            w: Vec::new(),
            acc: Vec::new(),
            stamp: Vec::new(),
            count: Vec::new(),
            t: 0,
        }
    }

    fn idx(&mut self, f: u64) -> usize {
        if let Some(&i) = self.index.get(&f) {
            return i;
        }
        let i = self.keys.len();
        self.index.insert(f, i);
        self.keys.push(f);
        self.w.push([0.0; K]);
        self.acc.push([0.0; K]);
        self.stamp.push(0);
        self.count.push(0);
        i
    }

    /// Registers the features of the training data (in data order, so indices are deterministic).
    pub fn register(&mut self, data: &[Example]) {
        for ex in data {
            for fs in &ex.feats {
                for &f in fs {
                    let i = self.idx(f);
                    self.count[i] += 1;
                }
            }
        }
    }

    fn score(&self, fs: &[u64]) -> [f32; K] {
        let mut s = [0f32; K];
        for f in fs {
            if let Some(&i) = self.index.get(f) {
                for c in 0..K {
                    s[c] += self.w[i][c];
                }
            }
        }
        s
    }

    fn update(&mut self, fs: &[u64], c: usize, delta: f32) {
        for f in fs {
            if let Some(&i) = self.index.get(f) {
                let elapsed = (self.t - self.stamp[i]) as f64;
                for k in 0..K {
                    self.acc[i][k] += elapsed * self.w[i][k] as f64;
                }
                self.stamp[i] = self.t;
                self.w[i][c] += delta;
            }
        }
    }

    /// One pass over `data` in the order `order`.
    pub fn epoch(&mut self, data: &[Example], order: &[usize]) -> usize {
        let mut errors = 0;
        for &si in order {
            let ex = &data[si];
            for (fs, &g) in ex.feats.iter().zip(&ex.gold) {
                self.t += 1;
                let s = self.score(fs);
                let mut best = 0;
                for c in 1..K {
                    if s[c] > s[best] {
                        best = c;
                    }
                }
                if best != g {
                    errors += 1;
                    self.update(fs, g, 1.0);
                    self.update(fs, best, -1.0);
                }
            }
        }
        errors
    }

    /// The averaged model, keeping features seen at least `min_count` times.
    pub fn averaged(&self, min_count: u32, threshold: f32, uses_pos: bool) -> TriggerModel {
        TriggerModel::from_weights(self.averaged_weights(min_count), threshold, uses_pos)
    }

    /// The averaged weights (feature hash, K weights), in feature registration order.
    pub fn averaged_weights(&self, min_count: u32) -> Vec<(u64, [f32; K])> {
        let t = self.t.max(1) as f64;
        let mut feats = Vec::new();
        for i in 0..self.keys.len() {
            if self.count[i] < min_count {
                continue;
            }
            let elapsed = (self.t - self.stamp[i]) as f64;
            let mut avg = [0f32; K];
            let mut any = false;
            for k in 0..K {
                let a = ((self.acc[i][k] + elapsed * self.w[i][k] as f64) / t) as f32;
                // Tiny weights change no decision but cost space.
                if a.abs() >= 1e-3 {
                    avg[k] = a;
                    any = true;
                }
            }
            if any {
                feats.push((self.keys[i], avg));
            }
        }
        feats
    }
}

/// The mean of several models' weights (a bagged ensemble: perceptrons
/// trained on different shuffles disagree on rare features; their mean is steadier).
pub fn mean_weights(parts: &[Vec<(u64, [f32; K])>]) -> Vec<(u64, [f32; K])> {
    let mut all: std::collections::BTreeMap<u64, [f32; K]> = std::collections::BTreeMap::new();
    let n = parts.len().max(1) as f32;
    for p in parts {
        for (k, w) in p {
            let e = all.entry(*k).or_insert([0.0; K]);
            for c in 0..K {
                e[c] += w[c] / n;
            }
        }
    }
    all.into_iter().collect()
}

/// A small deterministic generator for shuffling (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod speed_tests {
    use super::*;

    #[test]
    fn function_word_classes_match_the_lists_in_any_case() {
        let cases = ["MADE", "Announced", "the", "THESE", "'s", "Remained", "conducted", "Москва", "", "x", "announcements", "The\u{301}"];
        for w in LIGHT.iter().chain(DETERMINERS).chain(COPULA).copied().chain(cases) {
            for v in [w.to_string(), w.to_uppercase(), w.to_lowercase()] {
                let fw = function_word(&v);
                let any = |set: &[&str]| set.iter().any(|s| v.eq_ignore_ascii_case(s));
                assert_eq!(fw & FW_LIGHT != 0, any(LIGHT), "{v}");
                assert_eq!(fw & FW_DET != 0, any(DETERMINERS), "{v}");
                assert_eq!(fw & FW_COPULA != 0, any(COPULA), "{v}");
            }
        }
    }

    #[test]
    fn batched_scores_equal_one_lookup_at_a_time() {
        let feats: Vec<(u64, [f32; K])> = (0..500u64).map(|i| (mix(i) & !0xff | (i % 3), [i as f32 * 0.001 - 0.2; K])).collect();
        let m = TriggerModel::from_weights(feats.clone(), 0.0, false);
        // Hits, misses and colliding keys, longer than one batch.
        let query: Vec<u64> = (0..150u64).map(|i| if i % 2 == 0 { feats[(i * 7 % 500) as usize].0 } else { mix(i + 10_000) }).chain([0, 1, 2]).collect();
        let mut one = [0f32; K];
        for &f in &query {
            if let Some(w) = m.get(f) {
                for c in 0..K {
                    one[c] += w[c];
                }
            }
        }
        assert_eq!(m.scores(&query), one);
        assert!(one.iter().any(|&x| x != 0.0));
    }

    #[test]
    fn ascii_fast_paths_equal_the_general_ones() {
        for w in ["Moscow", "U.S.", "1990s", "a", "ab", "abc", "abcd", "attack-style", "x\u{7f}y", "IBM's"] {
            // The general path, forced with a non-ASCII word of the same shape classes.
            let count = w.chars().count();
            for n in 2..=4 {
                let general = if count <= n { 0 } else { lower_hash(&w[w.char_indices().nth(count - n).map_or(0, |(i, _)| i)..]) };
                assert_eq!(suffix_hash(w, n), general, "{w} {n}");
            }
            let general_pre = if count <= 3 { 0 } else { lower_hash(&w[..w.char_indices().nth(3).map_or(w.len(), |(i, _)| i)]) };
            assert_eq!(prefix_hash(w, 3), general_pre, "{w}");
            let mut h = FNV_OFFSET;
            let mut last = 0u8;
            for c in w.chars() {
                let k = if c.is_uppercase() { b'X' } else if c.is_lowercase() { b'x' } else if c.is_numeric() { b'd' } else { c as u8 };
                if k != last {
                    h = fnv_bytes(h, &[k]);
                    last = k;
                }
            }
            assert_eq!(shape_hash(w), h, "{w}");
        }
    }
}
