//! The tagging fast path: the same scores as training's decoder (integer
//! sums of the same quantized weights, so the same tags), with less work per
//! token:
//! - a token's [`Tok`] (hashes of its forms, shape, clusters) is cached per
//!   thread by the word's bytes, so POS and NER tagging of a document, and
//!   frequent words across documents, compute it once;
//! - the features that depend on one word only ([`word_group`]: the word's
//!   own forms and affixes, its role as a ±1 / ±2 neighbour) are summed once
//!   per word and cached, so a token costs five cached vectors instead of
//!   ~35 weight lookups;
//! - the previous-tag and document-memory features without a word come from
//!   [`DynTables`] instead of the hash table.

use super::clusters::Clusters;
use super::hash::{mix, prefetch_ptr};
use super::tagger::{
    allowed, context_features, dynamic_rest, mem_index, mem_value, word_group, Scratch, Tagger, Task, BOS, MEM_INDICES,
    OFFSETS,
};
use super::token::{Tok, ALL_CAP, HAS_ALPHA, INIT_CAP};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// Words a POS tagging run holds at most (when its sentences allow): see
/// `Tagger::tag_words_chunked`.
const POS_CHUNK_WORDS: usize = 16_384;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A process-unique id (never 0) for a loaded model.
pub fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A fast 64-bit hash of a word's bytes (8 at a time), never 0.
#[inline]
fn word_key(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut h = (b.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h ^ u64::from_le_bytes(w));
    }
    let r = chunks.remainder();
    if !r.is_empty() {
        let mut w = [0u8; 8];
        w[..r.len()].copy_from_slice(r);
        h = mix(h ^ u64::from_le_bytes(w));
    }
    h | 1
}

/// Direct-mapped cache: word bytes → [`Tok`], for one cluster table.
#[derive(Debug, Default)]
pub struct TokCache {
    owner: u64,
    keys: Vec<u64>,
    toks: Vec<Tok>,
}

const TOK_SLOTS: usize = 8192;

impl TokCache {
    /// The tokens of `words` into `out`.
    pub fn fill(&mut self, words: &[&str], clusters: Option<&Clusters>, out: &mut Vec<Tok>) {
        let owner = clusters.map_or(0, |c| c.id());
        if self.owner != owner || self.keys.is_empty() {
            self.owner = owner;
            self.keys.clear();
            self.keys.resize(TOK_SLOTS, 0);
            self.toks.clear();
            self.toks.resize(TOK_SLOTS, Tok::default());
        }
        out.clear();
        out.reserve(words.len());
        for w in words {
            let k = word_key(w);
            let s = (k >> 7) as usize & (TOK_SLOTS - 1);
            if self.keys[s] != k {
                self.keys[s] = k;
                self.toks[s] = Tok::new(w, clusters);
            }
            out.push(self.toks[s]);
        }
    }
}

/// Direct-mapped cache: word ([`Tok::word`]) → the scores of its five word
/// groups (offsets -2..=2; rows of [`Linear::stride`](super::linear::Linear::stride)),
/// for one tagger; plus the groups past the sentence's edges.
#[derive(Debug, Default)]
pub struct WordCache {
    owner: u64,
    w: usize,
    keys: Vec<u64>,
    vecs: Vec<i32>,
    edge: Vec<i32>,
    mask: usize,
    /// Scratch of [`Linear::resolve`](super::linear::Linear::resolve).
    hits: Vec<(u32, u32)>,
}

impl WordCache {
    fn reset(&mut self, t: &Tagger, feats: &mut Vec<u64>) {
        let w = t.linear.stride();
        let stride = OFFSETS.len() * w;
        // At most 8192 words and 12 MB (POS, 102 classes: 4096 words, 8.5 MB;
        // NER: 8192 words, 4 MB): a hit from L3 is cheaper than the ~35
        // lookups it saves, and on BBC text 4096 direct-mapped words hit 83 %
        // of tokens against 70 % for the 1024 that a 4 MB budget gave POS.
        let fit = ((12 << 20) / (stride * 4 + 8)).clamp(256, 8192);
        let slots = 1usize << (usize::BITS - 1 - fit.leading_zeros());
        self.owner = t.id;
        self.w = w;
        self.mask = slots - 1;
        self.keys.clear();
        self.keys.resize(slots, 0);
        self.vecs.clear();
        self.vecs.resize(slots * stride, 0);
        self.edge.clear();
        self.edge.resize(stride, 0);
        for (r, &off) in OFFSETS.iter().enumerate() {
            feats.clear();
            word_group(t.task, off, None, feats);
            t.linear.add_scores_row(feats, &mut self.edge[r * w..(r + 1) * w]);
        }
    }

    /// Hints the CPU to fetch `tk`'s entry (all its lines): the cache is far
    /// larger than L2, and a word's vectors were a miss the adding waited on.
    #[inline]
    fn prefetch(&self, tk: &Tok) {
        let s = (mix(tk.word | 1) as usize) & self.mask;
        let stride = OFFSETS.len() * self.w;
        prefetch_ptr(self.keys.as_ptr().wrapping_add(s));
        let p = self.vecs.as_ptr().wrapping_add(s * stride);
        // 16 i32 to a 64-byte line.
        for at in (0..stride).step_by(16) {
            prefetch_ptr(p.wrapping_add(at));
        }
    }

    /// The five group score vectors of `tk` (each a stride long, in [`OFFSETS`] order).
    #[inline]
    fn get(&mut self, t: &Tagger, tk: &Tok, feats: &mut Vec<u64>) -> &[i32] {
        let w = self.w;
        let stride = OFFSETS.len() * w;
        let k = tk.word | 1;
        let s = (mix(k) as usize) & self.mask;
        if self.keys[s] != k {
            self.keys[s] = k;
            let v = &mut self.vecs[s * stride..(s + 1) * stride];
            v.fill(0);
            // All five groups' features looked up together (their misses overlap).
            let mut ends = [0usize; OFFSETS.len()];
            feats.clear();
            for (r, &off) in OFFSETS.iter().enumerate() {
                word_group(t.task, off, Some(tk), feats);
                ends[r] = feats.len();
            }
            t.linear.resolve(feats, &mut self.hits);
            let mut r = 0;
            for &(i, val) in &self.hits {
                while r + 1 < OFFSETS.len() && i as usize >= ends[r] {
                    r += 1;
                }
                t.linear.add_hit(val, &mut v[r * w..(r + 1) * w]);
            }
        }
        &self.vecs[s * stride..(s + 1) * stride]
    }
}

/// `dst += src` over whole chunks of 8 (rows are padded to a multiple of 8), vectorized.
#[inline(always)]
fn add(dst: &mut [i32], src: &[i32]) {
    for (d, s) in dst.chunks_exact_mut(8).zip(src.chunks_exact(8)) {
        // Both chunks are loaded before `d` is stored: written as `d[j] +=
        // s[j]`, the compiler could not rule out that `d` and `s` overlap once
        // inlined, and added one i32 at a time.
        let mut x = [0i32; 8];
        for j in 0..8 {
            x[j] = d[j].wrapping_add(s[j]);
        }
        d.copy_from_slice(&x);
    }
}

/// The first index of the largest of `s` (as a strict `>` scan keeps it),
/// in two passes the compiler vectorizes: the maximum, then where it is.
#[inline(always)]
fn argmax(s: &[i32]) -> usize {
    let m = s.iter().fold(i32::MIN, |m, &x| m.max(x));
    s.iter().position(|&x| x == m).unwrap_or(0)
}

/// As [`argmax`] over the `c` with `ok[c]`; `None` when there is none.
#[inline(always)]
fn argmax_allowed(s: &[i32], ok: &[bool]) -> Option<usize> {
    let n = s.len().min(ok.len());
    let (s, ok) = (&s[..n], &ok[..n]);
    let (mut m, mut any) = (i32::MIN, false);
    for c in 0..n {
        let x = if ok[c] { s[c] } else { i32::MIN };
        m = m.max(x);
        any |= ok[c];
    }
    if !any {
        return None;
    }
    (0..n).find(|&c| ok[c] && s[c] == m)
}

/// How many words ahead the word cache's entries are asked for.
const AHEAD: usize = 2;

impl Tagger {
    /// Tags a document: `words` split into `sents` (ranges into `words`
    /// that tile it, in order); `pos`: the NER tagger's POS feature values (empty when it
    /// uses none). One class index per word into `out`.
    pub fn tag_words(
        &self,
        words: &[&str],
        sents: &[Range<usize>],
        clusters: Option<&Clusters>,
        pos: &[u64],
        sc: &mut Scratch,
        out: &mut Vec<u16>,
    ) {
        out.clear();
        let w = self.linear.stride();
        // The sentences must tile the words in order (as every caller's do);
        // otherwise (a caller's bug) nothing is tagged rather than panicking.
        let tiles = sents.iter().try_fold(0, |at, s| (s.start == at && s.end >= s.start).then_some(s.end)) == Some(words.len());
        if !tiles {
            out.resize(words.len(), 0);
            return;
        }
        if self.task == Task::Pos && words.len() > POS_CHUNK_WORDS && sents.len() > 1 {
            self.tag_words_chunked(words, sents, clusters, sc, out);
            return;
        }
        let Scratch { toks, feats, stat, ctx, tok_cache, word_cache, gz, gzp, ends, hits, .. } = sc;
        tok_cache.fill(words, clusters, toks);
        ctx.prepare(toks, sents);
        let wc = &mut word_cache[(self.task == Task::Ner) as usize];
        if wc.owner != self.id {
            wc.reset(self, feats);
        }
        stat.clear();
        stat.resize(toks.len() * w, 0);
        let ner = self.task == Task::Ner;
        for (si, s) in sents.iter().enumerate() {
            let st = &toks[s.clone()];
            let len = st.len();
            let srow = &mut stat[s.start * w..s.end * w];
            // Word groups: each word adds its five role vectors to the tokens it is a neighbour of.
            for tk in st.iter().take(AHEAD) {
                wc.prefetch(tk);
            }
            for (j, tk) in st.iter().enumerate() {
                if let Some(next) = st.get(j + AHEAD) {
                    wc.prefetch(next);
                }
                let v = wc.get(self, tk, feats);
                for (r, &off) in OFFSETS.iter().enumerate() {
                    let i = j as isize - off;
                    if i >= 0 && (i as usize) < len {
                        let i = i as usize;
                        add(&mut srow[i * w..(i + 1) * w], &v[r * w..(r + 1) * w]);
                    }
                }
            }
            for i in 0..len {
                for (r, &off) in OFFSETS.iter().enumerate() {
                    let k = i as isize + off;
                    if k < 0 || k as usize >= len {
                        add(&mut srow[i * w..(i + 1) * w], &wc.edge[r * w..(r + 1) * w]);
                    }
                }
            }
            if ner {
                match &self.gaz {
                    Some(g) => g.mark_with_positions(st, gz, gzp),
                    None => {
                        gz.clear();
                        gzp.clear();
                    }
                }
            }
            let p = if pos.len() >= s.end { &pos[s.clone()] } else { &[][..] };
            let line = ctx.line.get(si).copied().unwrap_or(0);
            // The sentence's context features looked up together (their misses overlap).
            feats.clear();
            ends.clear();
            for i in 0..len {
                context_features(self.task, st, p, gz, gzp, line, ctx, i, feats);
                ends.push(feats.len() as u32);
            }
            self.linear.resolve(feats, hits);
            let mut i = 0;
            for &(f, val) in hits.iter() {
                while i + 1 < len && f >= ends[i] {
                    i += 1;
                }
                self.linear.add_hit(val, &mut srow[i * w..(i + 1) * w]);
            }
        }
        self.decode_fast(sents, sc, out);
    }

    /// POS tagging of a long document a run of whole sentences at a time:
    /// the POS tagger decides each sentence from its own words, so the
    /// classes are the same, and the score matrix (about 400 bytes a word)
    /// stays the size of one run instead of the document's.
    fn tag_words_chunked(&self, words: &[&str], sents: &[Range<usize>], clusters: Option<&Clusters>, sc: &mut Scratch, out: &mut Vec<u16>) {
        let mut part = Vec::new();
        let mut run: Vec<Range<usize>> = Vec::new();
        let mut first = 0;
        while first < sents.len() {
            let base = sents[first].start;
            let mut last = first + 1;
            while last < sents.len() && sents[last].end - base <= POS_CHUNK_WORDS {
                last += 1;
            }
            run.clear();
            run.extend(sents[first..last].iter().map(|s| s.start - base..s.end - base));
            self.tag_words(&words[base..sents[last - 1].end], &run, clusters, &[], sc, &mut part);
            out.extend_from_slice(&part);
            first = last;
        }
    }

    /// Greedy decoding over the static scores in `sc.stat` (the same
    /// decisions as training's decoder; see `tagger::decode`).
    fn decode_fast(&self, sents: &[Range<usize>], sc: &mut Scratch, out: &mut Vec<u16>) {
        let (n, w) = (self.linear.n_classes(), self.linear.stride());
        let Scratch { toks, feats, stat, ctx, allowed: allowed_tab, mem_now, mem_before, out_before, .. } = sc;
        let (task, iob, tabs) = (self.task, &self.iob, &self.tabs);
        let ner = task == Task::Ner;
        let bilou = iob.iter().any(|&(k, _)| k >= 3);
        if ner {
            allowed_tab.clear();
            for last in [false, true] {
                for prev in 0..=n {
                    let pv = prev.checked_sub(1);
                    allowed_tab.extend((0..n).map(|c| allowed(task, iob, bilou, pv, c, last)));
                }
            }
        }
        let passes = if ner { self.passes.clamp(1, 3) } else { 1 };
        let mut buf = [0i32; 256];
        let mut ahead: Vec<u64> = Vec::with_capacity(8);
        ctx.first.clear();
        ctx.next.clear();
        for pass in 1..=passes {
            let last_pass = pass == passes;
            out.clear();
            mem_now.clear();
            mem_now.resize(toks.len(), (0, 0));
            ctx.mem.clear();
            if pass >= 2 {
                for &(_, k, ty) in &ctx.first {
                    ctx.mem.entry(k).or_insert([0; 4])[ty as usize] += 1;
                }
            }
            for (si, s) in sents.iter().enumerate() {
                if pass >= 2 {
                    let (a, b) = sentence_entries(&ctx.first, si);
                    for &(_, k, ty) in &ctx.first[a..b] {
                        if let Some(c) = ctx.mem.get_mut(&k) {
                            c[ty as usize] = c[ty as usize].saturating_sub(1);
                        }
                    }
                }
                // The memory values (this word's, the next word's) the
                // decisions see in this sentence.
                if ner && !ctx.mem.is_empty() {
                    for i in s.clone() {
                        mem_now[i].0 = mem_value(ctx.mem.get(&toks[i].lower));
                    }
                }
                for i in s.start..s.end.saturating_sub(1) {
                    mem_now[i].1 = mem_now[i + 1].0;
                }
                // A later pass decides as the pass before up to the first
                // token whose memory values changed (the greedy decisions
                // depend only on those and on the decisions before): copy
                // that prefix instead of scoring it again.
                let mut from = s.start;
                if pass >= 2 {
                    while from < s.end && mem_now[from] == mem_before[from] {
                        from += 1;
                    }
                    out.extend_from_slice(&out_before[s.start..from]);
                }
                let mut prev: Option<usize> = (from > s.start).then(|| out[from - 1] as usize);
                let mut prev2: Option<usize> = (from > s.start + 1).then(|| out[from - 2] as usize);
                for i in from..s.end {
                    let tk = &toks[i];
                    let ph = prev.map_or(BOS, |c| self.class_hash[c]);
                    let ph2 = prev2.map_or(BOS, |c| self.class_hash[c]);
                    let (pi, pi2) = (prev.map_or(0, |c| c + 1), prev2.map_or(0, |c| c + 1));
                    let (mem, mem_next) = mem_now[i];
                    let scores = &mut buf[..w];
                    scores.copy_from_slice(&stat[i * w..(i + 1) * w]);
                    if ner {
                        let r = pi * (n + 1) + pi2;
                        add(scores, &tabs.pp[r * w..(r + 1) * w]);
                        let cap = (tk.flags & (INIT_CAP | ALL_CAP)) as usize;
                        let r = (mem_index(mem) * 4 + cap) * MEM_INDICES + mem_index(mem_next);
                        add(scores, &tabs.mm[r * w..(r + 1) * w]);
                    } else {
                        add(scores, &tabs.pp[pi * w..(pi + 1) * w]);
                    }
                    // The next word's dynamic features depend on this word's
                    // decision: guess it from the scores so far (nearly always
                    // the same) and ask for those features' slots now, so
                    // their misses overlap this word's instead of following them.
                    if let Some(next) = toks.get(i + 1).filter(|_| i + 1 < s.end) {
                        let guess = argmax(&scores[..n]);
                        let gh = self.class_hash.get(guess).copied().unwrap_or(BOS);
                        ahead.clear();
                        dynamic_rest(task, next, gh, ph, mem_now[i + 1].0, &mut ahead);
                        self.linear.prefetch(&ahead);
                    }
                    feats.clear();
                    dynamic_rest(task, tk, ph, ph2, mem, feats);
                    self.linear.add_scores_256(feats, &mut buf);
                    let scores = &buf[..n];
                    let last = i + 1 == s.end;
                    let mut best = None;
                    if ner {
                        let row = (last as usize * (n + 1) + pi) * n;
                        best = argmax_allowed(scores, &allowed_tab[row..row + n]);
                    }
                    let best = best.unwrap_or_else(|| argmax(scores));
                    out.push(best as u16);
                    prev2 = prev;
                    prev = Some(best);
                }
                if ner {
                    for i in s.clone() {
                        let (b, ty) = iob[out[i] as usize];
                        if b != 0 && toks[i].is(HAS_ALPHA) {
                            let k = toks[i].lower;
                            if !last_pass {
                                ctx.next.push((si as u32, k, ty.min(3)));
                            }
                            if pass == 1 {
                                ctx.mem.entry(k).or_insert([0; 4])[ty.min(3) as usize] += 1;
                            }
                        }
                    }
                    if pass >= 2 {
                        let (a, b) = sentence_entries(&ctx.first, si);
                        for &(_, k, ty) in &ctx.first[a..b] {
                            if let Some(c) = ctx.mem.get_mut(&k) {
                                c[ty as usize] += 1;
                            }
                        }
                    }
                }
            }
            std::mem::swap(&mut ctx.first, &mut ctx.next);
            ctx.next.clear();
            if !last_pass {
                std::mem::swap(mem_now, mem_before);
                out_before.clear();
                out_before.extend_from_slice(out);
            }
        }
    }
}

/// The entries of sentence `si` in the first-pass list (in sentence order).
fn sentence_entries(first: &[(u32, u64, u8)], si: usize) -> (usize, usize) {
    let a = first.partition_point(|e| (e.0 as usize) < si);
    let b = first.partition_point(|e| (e.0 as usize) <= si);
    (a, b)
}
