//! A multi-class linear model over hashed features: the averaged perceptron
//! trainer and the compact, quantized model it exports.

use super::hash::{prefetch_ptr, KeyTable};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The stored form: feature keys sorted, each with a sparse row of
/// (class, i16 weight); real weight = q * scale.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LinearData {
    pub classes: Vec<String>,
    pub scale: f32,
    pub keys: Vec<u64>,
    /// Number of entries of each key's row.
    pub row_len: Vec<u8>,
    pub cls: Vec<u8>,
    pub w: Vec<i16>,
}

/// The model ready for scoring.
#[derive(Debug, Clone)]
pub struct Linear {
    pub data: LinearData,
    table: KeyTable,
    /// Short rows: (class, weight) entries side by side, one cache line per row.
    entries: Vec<(u8, i16)>,
    /// Long rows (the frequent features: bias, common words and suffixes),
    /// expanded to one weight per class and zero-padded to [`Linear::stride`]:
    /// adding one is a vectorized loop over whole chunks of 8 instead of a
    /// scatter of (class, weight) pairs.
    dense: Vec<i16>,
    stride: usize,
    /// At most two classes: each slot's value is the row itself, both i16
    /// weights packed (class 0 low, class 1 high), so a hit costs the one
    /// cache line of its slot instead of a second miss in `entries`.
    packed: bool,
}

/// How many features ahead [`Linear::resolve`] asks for slots.
const RESOLVE_AHEAD: usize = 16;

/// The weights of classes 0 and 1 from a packed slot value.
#[inline]
fn unpack(v: u32) -> (i32, i32) {
    (v as u16 as i16 as i32, (v >> 16) as u16 as i16 as i32)
}

/// Whether a row of `len` entries over `n` classes is stored dense.
#[inline]
fn is_dense(len: usize, n: usize) -> bool {
    len >= 4 && len * 5 >= n
}

impl Linear {
    pub fn from_data(data: LinearData) -> Result<Linear, String> {
        if data.row_len.len() != data.keys.len() || data.cls.len() != data.w.len() {
            return Err("inconsistent weight table".into());
        }
        let n = data.classes.len();
        if n == 0 || n > 256 {
            return Err(format!("{n} classes"));
        }
        let mut row_start = Vec::with_capacity(data.keys.len() + 1);
        let mut at = 0u32;
        for &l in &data.row_len {
            row_start.push(at);
            at += l as u32;
        }
        row_start.push(at);
        if at as usize != data.w.len() {
            return Err("row lengths do not add up".into());
        }
        if data.cls.iter().any(|&c| c as usize >= n) {
            return Err("class index out of range".into());
        }
        if data.keys.windows(2).any(|w| w[0] >= w[1]) || data.keys.first() == Some(&0) {
            return Err("feature keys not sorted".into());
        }
        if at >= 1 << 24 {
            return Err("too many weights (at most 2^24)".into());
        }
        let stride = n.div_ceil(8) * 8;
        // Packed only when no row names a class twice (no trained model
        // does; a row that did would need more than an i16 per class).
        let distinct = |i: usize| {
            let r = row_start[i] as usize..row_start[i + 1] as usize;
            r.len() <= 1 || (r.len() == 2 && data.cls[r.start] != data.cls[r.start + 1])
        };
        if n <= 2 && (0..data.keys.len()).all(distinct) {
            let mut slot = vec![0u32; data.keys.len()];
            for (i, v) in slot.iter_mut().enumerate() {
                let r = row_start[i] as usize..row_start[i + 1] as usize;
                for (&c, &w) in data.cls[r.clone()].iter().zip(&data.w[r]) {
                    *v |= (w as u16 as u32) << (16 * c as u32);
                }
            }
            let table = KeyTable::build_with(&data.keys, |i| slot[i]);
            return Ok(Linear { data, table, entries: Vec::new(), dense: Vec::new(), stride, packed: true });
        }
        // Slot value: row start << 8 | row length, so scoring needs no row
        // table; length 0 marks a dense row, the start is then its index.
        let mut entries = Vec::new();
        let mut dense = Vec::new();
        let mut slot = Vec::with_capacity(data.keys.len());
        for (i, &l) in data.row_len.iter().enumerate() {
            let r = row_start[i] as usize..row_start[i + 1] as usize;
            if is_dense(l as usize, n) {
                slot.push(((dense.len() / stride) as u32) << 8);
                let at = dense.len();
                dense.resize(at + stride, 0i16);
                for (&c, &w) in data.cls[r.clone()].iter().zip(&data.w[r]) {
                    dense[at + c as usize] = w;
                }
            } else {
                slot.push((entries.len() as u32) << 8 | l as u32);
                entries.extend(data.cls[r.clone()].iter().copied().zip(data.w[r].iter().copied()));
            }
        }
        let table = KeyTable::build_with(&data.keys, |i| slot[i]);
        Ok(Linear { data, table, entries, dense, stride, packed: false })
    }

    pub fn n_classes(&self) -> usize {
        self.data.classes.len()
    }

    /// The number of classes rounded up to a multiple of 8: the length of
    /// score rows that vectorized loops add whole.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Adds the weights of `feats` into `scores` (len = classes).
    pub fn add_scores(&self, feats: &[u64], scores: &mut [i32]) {
        let mut all = [0i32; 256];
        self.add_scores_256(feats, &mut all);
        for (s, &x) in scores.iter_mut().zip(all.iter()) {
            *s += x;
        }
    }

    /// Adds the weights of `feats` into `scores[..classes]` (and zeros into
    /// the padding up to [`Linear::stride`]): a class index is a u8, so
    /// indexing this array needs no bounds check per weight.
    #[inline]
    pub fn add_scores_256(&self, feats: &[u64], scores: &mut [i32; 256]) {
        if self.packed {
            let (a, b) = self.sum_packed(feats);
            scores[0] += a;
            scores[1] += b;
            return;
        }
        for &f in feats {
            self.table.prefetch(f);
        }
        let k = self.stride;
        for &f in feats {
            if let Some(r) = self.table.get(f) {
                let (a, n) = ((r >> 8) as usize, (r & 0xff) as usize);
                if n == 0 {
                    if let Some(row) = self.dense.get(a * k..(a + 1) * k) {
                        for (s8, w8) in scores[..k].chunks_exact_mut(8).zip(row.chunks_exact(8)) {
                            for j in 0..8 {
                                s8[j] += w8[j] as i32;
                            }
                        }
                    }
                    continue;
                }
                for &(c, w) in self.entries.get(a..a + n).unwrap_or(&[]) {
                    scores[c as usize] += w as i32;
                }
            }
        }
    }

    /// Adds the weights of `feats` into `row`, a score row at least
    /// [`Linear::stride`] long (padding included), without a scratch buffer.
    #[inline]
    pub fn add_scores_row(&self, feats: &[u64], row: &mut [i32]) {
        let k = self.stride;
        let Some(row) = row.get_mut(..k) else {
            self.add_scores(feats, row);
            return;
        };
        if self.packed {
            let (a, b) = self.sum_packed(feats);
            row[0] += a;
            row[1] += b;
            return;
        }
        for &f in feats {
            self.table.prefetch(f);
        }
        for &f in feats {
            if let Some(r) = self.table.get(f) {
                self.add_value(r, row);
            }
        }
    }

    /// Hints the CPU to fetch the slots of `feats` (looked up soon after).
    #[inline]
    pub fn prefetch(&self, feats: &[u64]) {
        for &f in feats {
            self.table.prefetch(f);
        }
    }

    /// Looks up many features at once (several tokens' or word groups'):
    /// each present feature's index in `feats` and slot value into `hits`,
    /// with the CPU told to fetch its weights; adding them next
    /// ([`Linear::add_hit`]) then finds them on their way, instead of
    /// waiting on a slot miss and then a weight-row miss per feature.
    pub fn resolve(&self, feats: &[u64], hits: &mut Vec<(u32, u32)>) {
        hits.clear();
        // A rolling window of slots asked for ahead: asking for a whole
        // sentence's (hundreds) at once overran the CPU's queue of misses.
        for &f in feats.iter().take(RESOLVE_AHEAD) {
            self.table.prefetch(f);
        }
        for (i, &f) in feats.iter().enumerate() {
            if let Some(&g) = feats.get(i + RESOLVE_AHEAD) {
                self.table.prefetch(g);
            }
            if let Some(v) = self.table.get(f) {
                self.prefetch_row(v);
                hits.push((i as u32, v));
            }
        }
    }

    /// Hints the CPU to fetch the weights of slot value `v` (first and last line).
    #[inline]
    fn prefetch_row(&self, v: u32) {
        if self.packed {
            return;
        }
        let (a, n) = ((v >> 8) as usize, (v & 0xff) as usize);
        if n == 0 {
            let p = self.dense.as_ptr().wrapping_add(a * self.stride);
            prefetch_ptr(p);
            prefetch_ptr(p.wrapping_add(self.stride - 1));
        } else {
            let p = self.entries.as_ptr().wrapping_add(a);
            prefetch_ptr(p);
            prefetch_ptr(p.wrapping_add(n - 1));
        }
    }

    /// Adds the weights of a slot value found by [`Linear::resolve`] into
    /// `row` (at least [`Linear::stride`] long; a shorter one is left alone).
    #[inline]
    pub fn add_hit(&self, v: u32, row: &mut [i32]) {
        let Some(row) = row.get_mut(..self.stride) else { return };
        if self.packed {
            let (a, b) = unpack(v);
            row[0] += a;
            row[1] += b;
            return;
        }
        self.add_value(v, row);
    }

    /// Adds the row of (unpacked) slot value `r` into `row` (exactly a stride long).
    #[inline(always)]
    fn add_value(&self, r: u32, row: &mut [i32]) {
        let k = self.stride;
        let (a, n) = ((r >> 8) as usize, (r & 0xff) as usize);
        if n == 0 {
            if let Some(d) = self.dense.get(a * k..(a + 1) * k) {
                for (s8, w8) in row.chunks_exact_mut(8).zip(d.chunks_exact(8)) {
                    for j in 0..8 {
                        s8[j] += w8[j] as i32;
                    }
                }
            }
            return;
        }
        for &(c, w) in self.entries.get(a..a + n).unwrap_or(&[]) {
            if let Some(x) = row.get_mut(c as usize) {
                *x += w as i32;
            }
        }
    }

    /// The summed weights of classes 0 and 1 of a packed model.
    #[inline]
    fn sum_packed(&self, feats: &[u64]) -> (i32, i32) {
        for &f in feats {
            self.table.prefetch(f);
        }
        let (mut a, mut b) = (0i32, 0i32);
        for &f in feats {
            if let Some(v) = self.table.get(f) {
                let (x, y) = unpack(v);
                a += x;
                b += y;
            }
        }
        (a, b)
    }

    /// Class `c`'s score minus the other class's (`c` is 0 or 1), for a
    /// two-class model: the same integers as the difference of
    /// [`Linear::add_scores_256`]'s two scores, without a score row to clear.
    #[inline]
    pub fn margin(&self, feats: &[u64], c: usize) -> i32 {
        let (a, b) = if self.packed {
            self.sum_packed(feats)
        } else {
            let mut s = [0i32; 256];
            self.add_scores_256(feats, &mut s);
            (s[0], s[1])
        };
        if c == 0 {
            a - b
        } else {
            b - a
        }
    }

    pub fn class_index(&self, name: &str) -> Option<usize> {
        self.data.classes.iter().position(|c| c == name)
    }
}

/// One class's weight in a training row: the weight, its running total for
/// lazy averaging, and when it last changed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub(crate) c: u16,
    pub(crate) w: f32,
    pub(crate) total: f64,
    pub(crate) ts: u64,
}

/// Averaged perceptron with lazy averaging and sparse rows.
#[derive(Debug, Default)]
pub struct Trainer {
    pub classes: Vec<String>,
    /// Feature key → row; keys are already hashes, so a one-multiply hasher
    /// (export sorts the keys, so the map's order never shows).
    index: HashMap<u64, u32, super::tagger::BuildMix>,
    rows: Vec<Vec<Entry>>,
    /// Instances seen: the averaging clock.
    pub now: u64,
}

impl Trainer {
    pub fn new(classes: Vec<String>) -> Trainer {
        Trainer { classes, ..Default::default() }
    }

    pub fn scores(&self, feats: &[u64], scores: &mut [f32]) {
        for s in scores.iter_mut() {
            *s = 0.0;
        }
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for e in &self.rows[r as usize] {
                    scores[e.c as usize] += e.w;
                }
            }
        }
    }

    /// The perceptron update for one instance: +1 to the gold class, -1 to the guess.
    pub fn update(&mut self, feats: &[u64], gold: usize, guess: usize) {
        if gold == guess {
            return;
        }
        let now = self.now;
        for &f in feats {
            let next = self.rows.len() as u32;
            let r = *self.index.entry(f).or_insert(next);
            if r == next {
                self.rows.push(Vec::new());
            }
            let row = &mut self.rows[r as usize];
            for (c, d) in [(gold, 1.0f32), (guess, -1.0f32)] {
                let e = match row.iter_mut().position(|e| e.c as usize == c) {
                    Some(i) => &mut row[i],
                    None => {
                        row.push(Entry { c: c as u16, w: 0.0, total: 0.0, ts: now });
                        let l = row.len() - 1;
                        &mut row[l]
                    }
                };
                e.total += (now - e.ts) as f64 * e.w as f64;
                e.ts = now;
                e.w += d;
            }
        }
    }

    /// Averaged weights, pruned (|w| < `prune` of the largest) and quantized to i16.
    pub fn export(&self, prune: f32) -> LinearData {
        let now = self.now.max(1);
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(&k, &r)| (k, r)).collect();
        keys.sort_unstable();
        let avg = |e: &Entry| ((e.total + (now - e.ts) as f64 * e.w as f64) / now as f64) as f32;
        let mut max = 0f32;
        for row in &self.rows {
            for e in row {
                max = max.max(avg(e).abs());
            }
        }
        let scale = if max > 0.0 { max / 32000.0 } else { 1.0 };
        let cut = (prune * max).max(scale * 0.5);
        let mut d = LinearData { classes: self.classes.clone(), scale, keys: vec![], row_len: vec![], cls: vec![], w: vec![] };
        let mut tmp: Vec<(u8, i16)> = Vec::new();
        for (k, r) in keys {
            tmp.clear();
            for e in &self.rows[r as usize] {
                let a = avg(e);
                if a.abs() >= cut {
                    tmp.push((e.c as u8, (a / scale).round().clamp(-32767.0, 32767.0) as i16));
                }
            }
            if tmp.is_empty() {
                continue;
            }
            tmp.sort_unstable();
            // Rows longer than 255 cannot occur: at most 256 classes, and a row
            // of all 256 would still fit after truncation to the stored u8 length.
            tmp.truncate(255);
            d.keys.push(k);
            d.row_len.push(tmp.len() as u8);
            for &(c, w) in &tmp {
                d.cls.push(c);
                d.w.push(w);
            }
        }
        d
    }
}


/// The mean of models over the same classes (a missing weight counts 0),
/// requantized; weights below `prune` of the largest are dropped. Deterministic.
pub fn average(models: &[&LinearData], prune: f32) -> LinearData {
    let mut sum: BTreeMap<(u64, u8), f64> = BTreeMap::new();
    for m in models {
        let mut at = 0usize;
        for (&k, &l) in m.keys.iter().zip(&m.row_len) {
            for j in at..at + l as usize {
                *sum.entry((k, m.cls[j])).or_insert(0.0) += m.w[j] as f64 * m.scale as f64;
            }
            at += l as usize;
        }
    }
    let k = models.len().max(1) as f64;
    let max = sum.values().fold(0f64, |a, &v| a.max((v / k).abs()));
    let scale = if max > 0.0 { (max / 32000.0) as f32 } else { 1.0 };
    let cut = (prune as f64 * max).max(scale as f64 * 0.5);
    let classes = models.first().map_or_else(Vec::new, |m| m.classes.clone());
    let mut d = LinearData { classes, scale, keys: vec![], row_len: vec![], cls: vec![], w: vec![] };
    for (&(key, c), &v) in &sum {
        let a = v / k;
        if a.abs() < cut {
            continue;
        }
        if d.keys.last() != Some(&key) {
            d.keys.push(key);
            d.row_len.push(0);
        }
        if let Some(l) = d.row_len.last_mut() {
            *l = l.saturating_add(1);
        }
        d.cls.push(c);
        d.w.push((a / scale as f64).round().clamp(-32767.0, 32767.0) as i16);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::hash::feat;

    /// A model over `n` classes: key i has weights (c, w) from `rows[i]`.
    fn model(n: usize, rows: &[&[(u8, i16)]]) -> Linear {
        let mut d = LinearData {
            classes: (0..n).map(|c| format!("C{c}")).collect(),
            scale: 0.5,
            keys: vec![],
            row_len: vec![],
            cls: vec![],
            w: vec![],
        };
        let mut keyed: Vec<(u64, &[(u8, i16)])> = rows.iter().enumerate().map(|(i, r)| (feat(7, i as u64), *r)).collect();
        keyed.sort_by_key(|k| k.0);
        for (k, r) in keyed {
            d.keys.push(k);
            d.row_len.push(r.len() as u8);
            for &(c, w) in r {
                d.cls.push(c);
                d.w.push(w);
            }
        }
        Linear::from_data(d).expect("valid model")
    }

    /// Every way of scoring (a score row, a scratch row, batched hits, the
    /// two-class margin) adds up the same integers, packed or not.
    #[test]
    fn all_scoring_paths_agree() {
        let two: &[&[(u8, i16)]] = &[&[(0, 5), (1, -7)], &[(1, 32767)], &[(0, -32767)], &[], &[(0, 3)]];
        let three: &[&[(u8, i16)]] = &[&[(0, 5), (2, -7)], &[(1, 300), (2, 1)], &[(0, 1), (1, 2), (2, 3)], &[(2, -9)]];
        for (n, rows) in [(2usize, two), (3, three)] {
            let m = model(n, rows);
            assert_eq!(m.packed, n == 2);
            // Present keys (some twice), and absent ones.
            let feats: Vec<u64> = [0u64, 1, 2, 3, 4, 0, 99, 1000].iter().map(|&i| feat(7, i)).collect();
            let mut want = vec![0i32; n];
            for &f in &feats {
                if let Some(i) = (0..rows.len()).find(|&i| feat(7, i as u64) == f) {
                    for &(c, w) in rows[i] {
                        want[c as usize] += w as i32;
                    }
                }
            }
            let mut a = [0i32; 256];
            m.add_scores_256(&feats, &mut a);
            assert_eq!(&a[..n], &want[..]);
            let mut row = vec![0i32; m.stride()];
            m.add_scores_row(&feats, &mut row);
            assert_eq!(&row[..n], &want[..]);
            let (mut hits, mut row2) = (Vec::new(), vec![0i32; m.stride()]);
            m.resolve(&feats, &mut hits);
            for &(_, v) in &hits {
                m.add_hit(v, &mut row2);
            }
            assert_eq!(row2, row);
            if n == 2 {
                assert_eq!(m.margin(&feats, 1), want[1] - want[0]);
                assert_eq!(m.margin(&feats, 0), want[0] - want[1]);
            }
        }
    }

    /// A two-class row naming one class twice (no trained model has one)
    /// is still added whole: such a model is not packed.
    #[test]
    fn repeated_class_in_a_row_is_not_packed() {
        let m = model(2, &[&[(1, 30000), (1, 30000)], &[(0, 1)]]);
        assert!(!m.packed);
        let mut a = [0i32; 256];
        m.add_scores_256(&[feat(7, 0), feat(7, 1)], &mut a);
        assert_eq!(&a[..2], &[1, 60000]);
    }
}
