//! Word clusters learned from unlabeled text, and how often each word is
//! capitalized mid-sentence (a truecasing hint for headlines and ALL CAPS).
//!
//! Clusters come from spherical k-means over PPMI-weighted left/right
//! neighbour vectors, at several granularities; fast (seconds) and
//! deterministic, and close enough to Brown clusters as features.

use super::hash::{mix, KeyTable};
use super::token::{lower_hash, Tok, ALL_CAP, HAS_LOWER, INIT_CAP};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClusterData {
    /// Number of clusters at each level.
    pub levels: Vec<u16>,
    /// Lower-case word hashes ([`Tok::lower`]), sorted.
    pub keys: Vec<u64>,
    /// `levels.len()` ids per key.
    pub ids: Vec<u16>,
    /// Capitalization bucket per key (see [`Tok::case`]).
    pub case: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Clusters {
    pub data: ClusterData,
    table: KeyTable,
    /// Unique per loaded table, for the taggers' per-thread token cache.
    id: u64,
}

impl Clusters {
    pub fn from_data(data: ClusterData) -> Result<Clusters, String> {
        let l = data.levels.len();
        if l == 0 || data.ids.len() != data.keys.len() * l || data.case.len() != data.keys.len() {
            return Err("inconsistent cluster table".into());
        }
        if data.keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err("keys not sorted".into());
        }
        let table = KeyTable::build(&data.keys);
        Ok(Clusters { data, table, id: super::fast::next_id() })
    }

    /// Process-unique id of this table (clones share it: same data).
    pub fn id(&self) -> u64 {
        self.id
    }

    #[inline]
    pub fn lookup(&self, lower: u64) -> Option<(&[u16], u8)> {
        let i = self.table.get(lower)? as usize;
        let l = self.data.levels.len();
        Some((&self.data.ids[i * l..(i + 1) * l], self.data.case[i]))
    }

    /// Identifies this table, so a tagger trained with it can check it at load.
    pub fn fingerprint(&self) -> u64 {
        let mut h = 0u64;
        for (i, &k) in self.data.keys.iter().enumerate() {
            h = mix(h ^ k);
            h = mix(h ^ self.data.case[i] as u64);
        }
        for &x in &self.data.ids {
            h = mix(h ^ x as u64);
        }
        h
    }
}

pub struct ClusterOptions {
    pub levels: Vec<u16>,
    pub min_count: u32,
    pub max_vocab: usize,
    pub contexts: usize,
    pub iterations: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions { levels: vec![64, 256, 1024], min_count: 3, max_vocab: 60_000, contexts: 1000, iterations: 8 }
    }
}

fn case_bucket(cap: u32, low: u32) -> u8 {
    let n = cap + low;
    if n < 2 {
        return 0;
    }
    let f = cap as f32 / n as f32;
    if f < 0.05 {
        1
    } else if f < 0.5 {
        2
    } else if f < 0.95 {
        3
    } else {
        4
    }
}

/// Learns clusters from sentences of tokens.
pub fn train(sentences: &[Vec<String>], opt: &ClusterOptions, log: &mut dyn FnMut(&str)) -> ClusterData {
    // word -> (count, capitalized mid-sentence, lower-case mid-sentence)
    let mut counts: HashMap<u64, (u32, u32, u32)> = HashMap::new();
    let mut hashed: Vec<Vec<u64>> = Vec::with_capacity(sentences.len());
    for s in sentences {
        let mut hs = Vec::with_capacity(s.len());
        for (i, w) in s.iter().enumerate() {
            let t = Tok::new(w, None);
            let e = counts.entry(t.lower).or_insert((0, 0, 0));
            e.0 += 1;
            if i > 0 && !t.is(ALL_CAP) {
                if t.is(INIT_CAP) {
                    e.1 += 1;
                } else if t.is(HAS_LOWER) {
                    e.2 += 1;
                }
            }
            hs.push(t.lower);
        }
        hashed.push(hs);
    }
    let mut vocab: Vec<(u64, u32)> = counts.iter().filter(|(_, c)| c.0 >= opt.min_count).map(|(&k, c)| (k, c.0)).collect();
    vocab.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    vocab.truncate(opt.max_vocab);
    let v = vocab.len();
    log(&format!("clusters: {} sentences, {} word types kept", sentences.len(), v));
    let index: HashMap<u64, u32> = vocab.iter().enumerate().map(|(i, &(k, _))| (k, i as u32)).collect();
    // Context dimensions: left and right neighbour among the most frequent words, plus boundaries.
    let c = opt.contexts.min(v);
    let dims = 2 * (c + 1);
    let ctx = |h: Option<u64>| -> usize {
        match h {
            None => c,
            Some(h) => match index.get(&h) {
                Some(&i) if (i as usize) < c => i as usize,
                _ => usize::MAX,
            },
        }
    };
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for hs in &hashed {
        for (i, h) in hs.iter().enumerate() {
            let Some(&w) = index.get(h) else { continue };
            let l = ctx(if i == 0 { None } else { Some(hs[i - 1]) });
            if l != usize::MAX {
                pairs.push((w, l as u32));
            }
            let r = ctx(hs.get(i + 1).copied());
            if r != usize::MAX {
                pairs.push((w, (c + 1 + r) as u32));
            }
        }
    }
    pairs.sort_unstable();
    let mut wtot = vec![0f64; v];
    let mut dtot = vec![0f64; dims];
    for &(w, d) in &pairs {
        wtot[w as usize] += 1.0;
        dtot[d as usize] += 1.0;
    }
    let n = pairs.len() as f64;
    // Sparse PPMI vectors, L2-normalized.
    let mut vec_start = vec![0usize; v + 1];
    let mut vdim: Vec<u32> = Vec::new();
    let mut vval: Vec<f32> = Vec::new();
    let mut i = 0;
    for w in 0..v {
        vec_start[w] = vdim.len();
        let from = vdim.len();
        while i < pairs.len() && pairs[i].0 as usize == w {
            let d = pairs[i].1;
            let mut j = i;
            while j < pairs.len() && pairs[j] == pairs[i] {
                j += 1;
            }
            let cnt = (j - i) as f64;
            let pmi = (cnt * n / (wtot[w] * dtot[d as usize])).ln();
            if pmi > 0.0 {
                vdim.push(d);
                vval.push(pmi as f32);
            }
            i = j;
        }
        let norm = vval[from..].iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            for x in &mut vval[from..] {
                *x /= norm;
            }
        }
    }
    vec_start[v] = vdim.len();
    // No word reached min_count: k-means has nothing to seed from.
    if v == 0 {
        return ClusterData { levels: opt.levels.clone(), keys: vec![], ids: vec![], case: vec![] };
    }
    let mut ids = vec![0u16; v * opt.levels.len()];
    for (li, &k) in opt.levels.iter().enumerate() {
        let k = (k as usize).min(v).max(1);
        let assign = kmeans(&vec_start, &vdim, &vval, dims, k, opt.iterations);
        for w in 0..v {
            ids[w * opt.levels.len() + li] = assign[w] as u16;
        }
        log(&format!("clusters: level {k} done"));
    }
    let mut order: Vec<usize> = (0..v).collect();
    order.sort_unstable_by_key(|&w| vocab[w].0);
    let l = opt.levels.len();
    let mut data = ClusterData { levels: opt.levels.clone(), keys: vec![], ids: vec![], case: vec![] };
    for w in order {
        let key = vocab[w].0;
        data.keys.push(key);
        data.ids.extend_from_slice(&ids[w * l..(w + 1) * l]);
        let (_, cap, low) = counts[&key];
        data.case.push(case_bucket(cap, low));
    }
    data
}

/// Spherical k-means; centroids start at the k most frequent words.
fn kmeans(start: &[usize], dim: &[u32], val: &[f32], dims: usize, k: usize, iters: usize) -> Vec<u32> {
    let v = start.len() - 1;
    // Dimension-major centroids so the inner loop runs over clusters.
    let mut cent = vec![0f32; dims * k];
    for c in 0..k {
        for j in start[c]..start[c + 1] {
            cent[dim[j] as usize * k + c] = val[j];
        }
    }
    let mut assign = vec![0u32; v];
    let mut scores = vec![0f32; k];
    for _ in 0..iters {
        for w in 0..v {
            scores.iter_mut().for_each(|s| *s = 0.0);
            for j in start[w]..start[w + 1] {
                let row = &cent[dim[j] as usize * k..(dim[j] as usize + 1) * k];
                let x = val[j];
                for (s, &cv) in scores.iter_mut().zip(row) {
                    *s += x * cv;
                }
            }
            let mut best = 0;
            for c in 1..k {
                if scores[c] > scores[best] {
                    best = c;
                }
            }
            assign[w] = best as u32;
        }
        let mut next = vec![0f32; dims * k];
        let mut size = vec![0u32; k];
        for w in 0..v {
            let c = assign[w] as usize;
            size[c] += 1;
            for j in start[w]..start[w + 1] {
                next[dim[j] as usize * k + c] += val[j];
            }
        }
        let mut norms = vec![0f32; k];
        for d in 0..dims {
            for c in 0..k {
                norms[c] += next[d * k + c] * next[d * k + c];
            }
        }
        for d in 0..dims {
            for c in 0..k {
                if size[c] == 0 {
                    next[d * k + c] = cent[d * k + c];
                } else if norms[c] > 0.0 {
                    next[d * k + c] /= norms[c].sqrt();
                }
            }
        }
        cent = next;
    }
    assign
}

/// The lower-case key of a word, for callers outside the taggers.
pub fn key(word: &str) -> u64 {
    lower_hash(word)
}
