//! A greedy arc-hybrid parser over a BiLSTM (Kiperwasser & Goldberg 2016):
//! each word is embedded (lower-cased form, predicted XPOS, 1024-way
//! cluster, hashed 3-letter suffix, hashed shape), one bidirectional LSTM
//! layer reads the sentence, and an MLP over the BiLSTM vectors of s0, s1,
//! s2 and b0 scores the three moves; a second output layer scores the
//! labels of the chosen arc direction. Trained from scratch with hinge
//! losses, Adam and the dynamic oracle of [`super::system`] (exploration
//! from an early epoch). Pure f32 loops; the few hot kernels are compiled
//! a second time for AVX2 and chosen at run time.
//!
//! Speed: at parse time the input layer is a table lookup (every embedding
//! row is multiplied into the LSTM input weights when the model is loaded),
//! and the MLP's first layer is applied once per word and position (s0, s1,
//! s2, b0), not once per move (Chen & Manning 2014's precomputation), so a
//! move costs four vector adds, a tanh and a 3-way output layer.
//!
//! Model file: kind `PNN\0` ([`KIND_BILSTM`]), the project's header.

use super::conllu::{Attachment, Tree};
use super::system::{Move, State, NONE};
use super::train::{gold_pos, trainable_heads};
use crate::nlp::clusters::Clusters;
use crate::nlp::hash::{mix, Rng};
use crate::nlp::token::Tok;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const KIND_BILSTM: &[u8; 4] = b"PNN\0";

/// Hash buckets of the suffix and shape tables.
const NS: usize = 2048;
const NX: usize = 256;
/// Cluster ids at the finest level (+1; 0 = unknown).
const NCLUS: usize = 1025;
/// Table rows 0 and 1 of every table: unknown, and the artificial root.
const UNK: u32 = 0;
const ROOTROW: u32 = 1;

/// Sizes of the network.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Dims {
    /// Embedding widths: word, XPOS, cluster, suffix, shape.
    pub dw: u32,
    pub dp: u32,
    pub dc: u32,
    pub ds: u32,
    pub dx: u32,
    /// LSTM hidden units per direction.
    pub h: u32,
    /// MLP hidden units.
    pub m: u32,
}

impl Default for Dims {
    fn default() -> Self {
        Dims { dw: 64, dp: 16, dc: 16, ds: 16, dx: 8, h: 64, m: 100 }
    }
}

/// The stored form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BilstmData {
    pub dims: Dims,
    /// Vocabulary: `Tok::lower` hashes, sorted (row = 2 + index).
    pub words: Vec<u64>,
    /// POS tags, sorted (row = 2 + index): XPOS, or joint "UPOS XPOS"
    /// classes of the POS tagger when trained on those (then every tag has
    /// a space; see [`BilstmParser::reads_joint_pos`]).
    pub tags: Vec<String>,
    pub labels: Vec<String>,
    /// Fingerprint of the clusters it was trained with; 0 = none.
    pub clusters: u64,
    /// All weights, laid out as [`Layout`] says.
    pub w: Vec<f32>,
    /// Stacked BiLSTM layers (1 or more).
    pub layers: u32,
    /// Width of the biaffine arc scorer's MLPs; 0 = the greedy transition
    /// parser (the same encoder, a different head on top).
    pub arc: u32,
}

/// The stored form before the biaffine head (always a transition parser).
#[derive(Deserialize)]
struct BilstmDataV2 {
    dims: Dims,
    words: Vec<u64>,
    tags: Vec<String>,
    labels: Vec<String>,
    clusters: u64,
    w: Vec<f32>,
    layers: u32,
}

/// The stored form before stacked layers (one layer).
#[derive(Deserialize)]
struct BilstmDataV1 {
    dims: Dims,
    words: Vec<u64>,
    tags: Vec<String>,
    labels: Vec<String>,
    clusters: u64,
    w: Vec<f32>,
}

/// Offsets of the tensors in the flat weight vector.
#[derive(Debug, Clone, Default)]
struct Layout {
    /// Embedding tables: word, XPOS, cluster, suffix, shape (rows × width).
    emb: [usize; 5],
    rows: [usize; 5],
    width: [usize; 5],
    /// Per layer and direction: input weights [in × 4H] (in = E, then 2H),
    /// recurrent [H × 4H], bias [4H]. Layers after the first are stored
    /// last, so a one-layer file's layout does not depend on the field.
    wx: Vec<[usize; 2]>,
    wh: Vec<[usize; 2]>,
    b: Vec<[usize; 2]>,
    in_w: Vec<usize>,
    layers: usize,
    /// The BiLSTM vector of an empty position (2H).
    pad: usize,
    /// MLP first layer, per position s0 s1 s2 b0: [2H × M]; bias [M].
    w1: [usize; 4],
    b1: usize,
    /// Move scores [M × 3], bias [3]; label scores per direction [M × L], bias [2L].
    w2s: usize,
    b2s: usize,
    w2l: [usize; 2],
    b2l: usize,
    /// Biaffine head (`arc` > 0): dependent and head MLPs [2H × A] with
    /// biases [A]; the bilinear form U [A × A] and the head bias [A].
    arc: usize,
    ad: usize,
    bad: usize,
    ah: usize,
    bah: usize,
    u: usize,
    wb: usize,
    /// Labels: dependent and head projections [2H × M], bias per arc
    /// direction [2 × M] (head left, head right), output [M × L], bias [L].
    ld: usize,
    lh: usize,
    bl: usize,
    wl: usize,
    bll: usize,
    total: usize,
    e: usize,
    h: usize,
    m: usize,
    nl: usize,
}

impl Layout {
    fn new(d: &Dims, layers: usize, arc: usize, n_words: usize, n_tags: usize, nl: usize) -> Layout {
        let layers = layers.max(1);
        let mut l = Layout { h: d.h as usize, m: d.m as usize, nl, layers, arc, ..Default::default() };
        let mut at = 0usize;
        let mut take = |n: usize| {
            let s = at;
            at += n;
            s
        };
        l.rows = [2 + n_words, 2 + n_tags, 2 + NCLUS, 2 + NS, 2 + NX];
        l.width = [d.dw as usize, d.dp as usize, d.dc as usize, d.ds as usize, d.dx as usize];
        for i in 0..5 {
            l.emb[i] = take(l.rows[i] * l.width[i]);
        }
        l.e = l.width.iter().sum();
        let (e, h, m) = (l.e, l.h, l.m);
        l.wx = vec![[0; 2]; layers];
        l.wh = vec![[0; 2]; layers];
        l.b = vec![[0; 2]; layers];
        l.in_w = (0..layers).map(|k| if k == 0 { e } else { 2 * h }).collect();
        for d in 0..2 {
            l.wx[0][d] = take(e * 4 * h);
            l.wh[0][d] = take(h * 4 * h);
            l.b[0][d] = take(4 * h);
        }
        if arc == 0 {
            l.pad = take(2 * h);
            for k in 0..4 {
                l.w1[k] = take(2 * h * m);
            }
            l.b1 = take(m);
            l.w2s = take(m * 3);
            l.b2s = take(3);
            l.w2l = [take(m * nl), take(m * nl)];
            l.b2l = take(2 * nl);
        } else {
            l.ad = take(2 * h * arc);
            l.bad = take(arc);
            l.ah = take(2 * h * arc);
            l.bah = take(arc);
            l.u = take(arc * arc);
            l.wb = take(arc);
            l.ld = take(2 * h * m);
            l.lh = take(2 * h * m);
            l.bl = take(2 * m);
            l.wl = take(m * nl);
            l.bll = take(nl);
        }
        for k in 1..layers {
            for d in 0..2 {
                l.wx[k][d] = take(2 * h * 4 * h);
                l.wh[k][d] = take(h * 4 * h);
                l.b[k][d] = take(4 * h);
            }
        }
        l.total = at;
        l
    }
}

// ---------------------------------------------------------------- kernels

/// Defines a kernel twice, plain and compiled for AVX2 + FMA (with fused
/// multiply-adds), and a dispatcher that picks one at run time.
macro_rules! kernel {
    ($name:ident, $avx:ident, $imp:ident, ($($a:ident: $t:ty),*) -> $r:ty) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        unsafe fn $avx($($a: $t),*) -> $r {
            $imp::<true>($($a),*)
        }
        #[inline]
        fn $name($($a: $t),*) -> $r {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
                // SAFETY: the CPU has the features the function was compiled for.
                return unsafe { $avx($($a),*) };
            }
            $imp::<false>($($a),*)
        }
    };
}

/// a·b + c, fused when compiled for FMA (without it `mul_add` is a slow library call).
#[inline(always)]
fn fmadd<const F: bool>(a: f32, b: f32, c: f32) -> f32 {
    if F {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// y[c..c+C] += Σ_j x[j]·W[j, c..c+C] (W row-major, `n` columns), the C
/// sums kept in registers across all rows (C/8 vector accumulators).
#[inline(always)]
fn gemv_panel<const F: bool, const C: usize>(y: &mut [f32], x: &[f32], w: &[f32], n: usize, c: usize) {
    let Some(Ok(yc)) = y.get_mut(c..c + C).map(<&mut [f32; C]>::try_from) else { return };
    let mut acc = *yc;
    for (j, &xj) in x.iter().enumerate() {
        let Some(Ok(wr)) = w.get(j * n + c..j * n + c + C).map(<&[f32; C]>::try_from) else { break };
        for u in 0..C {
            acc[u] = fmadd::<F>(xj, wr[u], acc[u]);
        }
    }
    *yc = acc;
}

/// y += xᵀW, W row-major [x.len() × y.len()]: panels of 64 and then 8
/// columns held in registers (y is read and written once), the last
/// columns one at a time.
#[inline(always)]
fn gemv_imp<const F: bool>(y: &mut [f32], x: &[f32], w: &[f32]) {
    let n = y.len();
    if n == 0 {
        return;
    }
    let rows = x.len().min(w.len() / n);
    let x = &x[..rows];
    let mut c = 0;
    while c + 64 <= n {
        gemv_panel::<F, 64>(y, x, w, n, c);
        c += 64;
    }
    while c + 8 <= n {
        gemv_panel::<F, 8>(y, x, w, n, c);
        c += 8;
    }
    if c < n {
        // The last (< 8) columns: rows in the outer loop, so their sums are
        // independent chains (one chain per column waits on the FMA latency
        // at every row); each sum still adds the rows in order.
        let rem = n - c;
        let mut acc = [0f32; 8];
        acc[..rem].copy_from_slice(&y[c..]);
        for (j, &xj) in x.iter().enumerate() {
            let wr = &w[j * n + c..j * n + n];
            for (a, &wu) in acc[..rem].iter_mut().zip(wr) {
                *a = fmadd::<F>(xj, wu, *a);
            }
        }
        y[c..].copy_from_slice(&acc[..rem]);
    }
}

/// Y += X·W for a block of tokens: `y` is [T × N], `x` [T × K], W [K × N]
/// (row-major). Four tokens at a time, in panels of 16 columns whose 4×16
/// sums stay in registers across all K rows: each weight row is loaded
/// once per four tokens and Y is read and written once.
#[inline(always)]
fn gemm_imp<const F: bool>(y: &mut [f32], x: &[f32], w: &[f32], n: usize) {
    if n == 0 {
        return;
    }
    let k_in = w.len() / n;
    if k_in == 0 {
        return;
    }
    let tokens = (y.len() / n).min(x.len() / k_in);
    let mut t = 0;
    while t + 4 <= tokens {
        let xs = &x[t * k_in..(t + 4) * k_in];
        let (x0, x1, x2, x3) = (&xs[..k_in], &xs[k_in..2 * k_in], &xs[2 * k_in..3 * k_in], &xs[3 * k_in..]);
        let ys = &mut y[t * n..(t + 4) * n];
        let mut c = 0;
        while c + 16 <= n {
            let mut acc = [[0f32; 16]; 4];
            for (r, a) in acc.iter_mut().enumerate() {
                a.copy_from_slice(&ys[r * n + c..r * n + c + 16]);
            }
            for j in 0..k_in {
                let Some(Ok(wr)) = w.get(j * n + c..j * n + c + 16).map(<&[f32; 16]>::try_from) else { break };
                let (a0, a1, a2, a3) = (x0[j], x1[j], x2[j], x3[j]);
                for u in 0..16 {
                    acc[0][u] = fmadd::<F>(a0, wr[u], acc[0][u]);
                    acc[1][u] = fmadd::<F>(a1, wr[u], acc[1][u]);
                    acc[2][u] = fmadd::<F>(a2, wr[u], acc[2][u]);
                    acc[3][u] = fmadd::<F>(a3, wr[u], acc[3][u]);
                }
            }
            for (r, a) in acc.iter().enumerate() {
                ys[r * n + c..r * n + c + 16].copy_from_slice(a);
            }
            c += 16;
        }
        if c < n {
            // The last (< 16) columns, rows in the outer loop (independent
            // chains, as in `gemv_imp`); each sum adds the rows in order.
            let rem = n - c;
            let mut acc = [[0f32; 16]; 4];
            for (r, a) in acc.iter_mut().enumerate() {
                a[..rem].copy_from_slice(&ys[r * n + c..r * n + n]);
            }
            for j in 0..k_in {
                let wr = &w[j * n + c..j * n + n];
                let xs = [x0[j], x1[j], x2[j], x3[j]];
                for (a, &xj) in acc.iter_mut().zip(&xs) {
                    for (au, &wu) in a[..rem].iter_mut().zip(wr) {
                        *au = fmadd::<F>(xj, wu, *au);
                    }
                }
            }
            for (r, a) in acc.iter().enumerate() {
                ys[r * n + c..r * n + n].copy_from_slice(&a[..rem]);
            }
        }
        t += 4;
    }
    while t < tokens {
        gemv_imp::<F>(&mut y[t * n..(t + 1) * n], &x[t * k_in..(t + 1) * k_in], w);
        t += 1;
    }
}

/// Dot product with eight independent sums (vectorizable without reassociation).
#[inline(always)]
fn dot_imp<const F: bool>(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] = fmadd::<F>(x[i], y[i], acc[i]);
        }
    }
    let mut s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// out[j] += W[j,:]·d, W row-major [out.len() × d.len()].
#[inline(always)]
fn gemv_t_imp<const F: bool>(out: &mut [f32], w: &[f32], d: &[f32]) {
    let n = d.len();
    if n == 0 {
        return;
    }
    for (o, row) in out.iter_mut().zip(w.chunks_exact(n)) {
        *o += dot_imp::<F>(row, d);
    }
}

/// W[j,:] += x[j]·d (outer-product accumulation).
#[inline(always)]
fn ger_imp<const F: bool>(w: &mut [f32], x: &[f32], d: &[f32]) {
    let n = d.len();
    if n == 0 {
        return;
    }
    for (&xj, row) in x.iter().zip(w.chunks_exact_mut(n)) {
        if xj == 0.0 {
            continue;
        }
        for (r, &dd) in row.iter_mut().zip(d) {
            *r = fmadd::<F>(xj, dd, *r);
        }
    }
}

/// Eigen's rational tanh for f32 (max error ~1e-7 in the clamped range): vectorizes, unlike libm's.
#[inline(always)]
fn tanh1<const F: bool>(x: f32) -> f32 {
    let x = x.clamp(-7.905_311, 7.905_311);
    let x2 = x * x;
    let mut p = fmadd::<F>(x2, -2.760_768_5e-16, 2.000_188e-13);
    p = fmadd::<F>(x2, p, -8.604_672e-11);
    p = fmadd::<F>(x2, p, 5.122_297e-8);
    p = fmadd::<F>(x2, p, 1.485_722_4e-5);
    p = fmadd::<F>(x2, p, 6.372_619_3e-4);
    p = fmadd::<F>(x2, p, 4.893_524_6e-3);
    p *= x;
    let mut q = fmadd::<F>(x2, 1.198_258_4e-6, 1.185_347_1e-4);
    q = fmadd::<F>(x2, q, 2.268_434_6e-3);
    q = fmadd::<F>(x2, q, 4.893_525e-3);
    p / q
}

#[inline(always)]
fn tanh_imp<const F: bool>(v: &mut [f32]) {
    for x in v.iter_mut() {
        *x = tanh1::<F>(*x);
    }
}

#[inline(always)]
fn sigmoid_imp<const F: bool>(v: &mut [f32]) {
    for x in v.iter_mut() {
        *x = 0.5 * tanh1::<F>(0.5 * *x) + 0.5;
    }
}

kernel!(gemv, gemv_avx, gemv_imp, (y: &mut [f32], x: &[f32], w: &[f32]) -> ());
kernel!(gemm, gemm_avx, gemm_imp, (y: &mut [f32], x: &[f32], w: &[f32], n: usize) -> ());
kernel!(gemv_t, gemv_t_avx, gemv_t_imp, (out: &mut [f32], w: &[f32], d: &[f32]) -> ());
kernel!(ger, ger_avx, ger_imp, (w: &mut [f32], x: &[f32], d: &[f32]) -> ());
kernel!(vtanh, vtanh_avx, tanh_imp, (v: &mut [f32]) -> ());
kernel!(vsigmoid, vsigmoid_avx, sigmoid_imp, (v: &mut [f32]) -> ());

#[inline]
fn add(y: &mut [f32], x: &[f32]) {
    for (a, &b) in y.iter_mut().zip(x) {
        *a += b;
    }
}

// ---------------------------------------------------------------- model

/// Table rows of one token: word, XPOS, cluster, suffix, shape.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TokIn(pub [u32; 5]);

/// The parser: weights, their layout and the parse-time tables.
#[derive(Debug, Clone)]
pub struct BilstmParser {
    pub data: BilstmData,
    lay: Layout,
    vocab: HashMap<u64, u32>,
    root: Option<u16>,
    nonroot: u16,
    /// Every embedding row times the input weights of both directions: [rows × 8H], tables in order.
    proj: Vec<f32>,
    proj_row0: [usize; 5],
    /// Joint-tag model: the row a bare XPOS falls back to (see `tok_in`).
    xpos_rows: HashMap<String, u32>,
}

/// Reusable buffers of [`BilstmParser::parse_batch`].
#[derive(Debug, Default)]
pub struct Batch {
    scratch: Vec<Scratch>,
    /// Sentence indices, longest first.
    order: Vec<usize>,
    /// The running outputs and gate rows of one step's sentences.
    xb: Vec<f32>,
    yb: Vec<f32>,
}

/// Reusable buffers of one sentence.
#[derive(Debug, Default)]
pub struct Scratch {
    pub ins: Vec<TokIn>,
    x: Vec<f32>,
    /// Gate activations per layer × direction [n × 4H] (i, f, g, o).
    gates: Vec<Vec<f32>>,
    c: Vec<Vec<f32>>,
    tc: Vec<Vec<f32>>,
    h: Vec<Vec<f32>>,
    /// Each layer's output [n × 2H] (after dropout).
    vl: Vec<Vec<f32>>,
    hbuf: Vec<f32>,
    /// The running cell state of each direction [2 × H].
    cbuf: Vec<f32>,
    /// BiLSTM vectors [(n+1) × 2H], row n = the pad.
    v: Vec<f32>,
    /// First-layer projections [(n+1) × 4 × M].
    p: Vec<f32>,
    hid: Vec<f32>,
    lab: Vec<f32>,
    pub state: State,
    /// Training only: dropout rate of the LSTM inputs and outputs, its
    /// generator state, and the masks (0 or 1/(1-p)) of the sentence.
    dropout: f32,
    drop_seed: u64,
    xmask: Vec<f32>,
    /// Per layer, the mask of its output.
    omask: Vec<Vec<f32>>,
    /// Biaffine head: masks of the dependent and head MLP outputs (training).
    amask_d: Vec<f32>,
    amask_h: Vec<f32>,
    /// Dependent and head MLP outputs [n × A] (after dropout), U·dependent [n × A],
    /// the head bias term per token [n], arc scores [dependent × head].
    hd: Vec<f32>,
    hh: Vec<f32>,
    q: Vec<f32>,
    r: Vec<f32>,
    s: Vec<f32>,
    /// Label projections of each token as dependent and as head [n × M].
    pd: Vec<f32>,
    ph: Vec<f32>,
    /// The decoder's tables and the chosen heads.
    eisner: Eisner,
    heads: Vec<u32>,
    /// Parse-time labelling: the words that get a label from the label
    /// MLP, each head's row in `ph` (only heads of the tree are projected),
    /// the heads' BiLSTM vectors, and the label MLP's hidden layers and
    /// scores of those words [words × M], [words × L].
    labelled: Vec<u32>,
    head_slot: Vec<u32>,
    head_v: Vec<f32>,
    lhid: Vec<f32>,
    lout: Vec<f32>,
}

/// For joint "UPOS XPOS" tags: each XPOS's row when given alone, the joint
/// tag whose UPOS comes first in a rough order of frequency (VBZ: VERB
/// before AUX); empty for XPOS tags.
fn xpos_fallback_rows(tags: &[String]) -> HashMap<String, u32> {
    const USUAL: [&str; 17] = ["NOUN", "VERB", "ADJ", "PROPN", "ADP", "DET", "PRON", "ADV", "NUM", "CCONJ", "PUNCT", "PART", "SCONJ", "AUX", "INTJ", "SYM", "X"];
    let rank = |u: &str| USUAL.iter().position(|x| *x == u).unwrap_or(USUAL.len());
    let mut best: HashMap<String, (usize, u32)> = HashMap::new();
    for (i, t) in tags.iter().enumerate() {
        let Some((u, x)) = t.split_once(' ') else { continue };
        let cand = (rank(u), 2 + i as u32);
        let e = best.entry(x.to_string()).or_insert(cand);
        if cand < *e {
            *e = cand;
        }
    }
    best.into_iter().map(|(x, (_, r))| (x, r)).collect()
}

/// Row of a string hashed into `n` buckets, after the two special rows.
#[inline]
fn bucket(h: u64, n: usize) -> u32 {
    2 + (mix(h) % n as u64) as u32
}

impl BilstmParser {
    pub fn from_data(data: BilstmData) -> Result<BilstmParser, String> {
        let d = data.dims;
        if [d.dw, d.dp, d.dc, d.ds, d.dx].iter().any(|&x| x > 4096) || d.h == 0 || d.h > 4096 || d.m == 0 || d.m > 4096 {
            return Err("implausible network sizes".into());
        }
        if data.labels.is_empty() || data.labels.len() > 1000 {
            return Err(format!("{} labels", data.labels.len()));
        }
        if data.words.windows(2).any(|w| w[0] >= w[1]) || data.tags.windows(2).any(|w| w[0] >= w[1]) {
            return Err("vocabulary not sorted".into());
        }
        if data.layers == 0 || data.layers > 4 {
            return Err(format!("{} BiLSTM layers", data.layers));
        }
        if data.arc > 4096 {
            return Err("implausible arc scorer width".into());
        }
        let lay = Layout::new(&d, data.layers as usize, data.arc as usize, data.words.len(), data.tags.len(), data.labels.len());
        if data.w.len() != lay.total {
            return Err(format!("{} weights, the sizes need {}", data.w.len(), lay.total));
        }
        let vocab = data.words.iter().enumerate().map(|(i, &k)| (k, 2 + i as u32)).collect();
        let root = data.labels.iter().position(|l| l == "root").map(|i| i as u16);
        let nonroot = if root == Some(0) { 1 } else { 0 };
        let xpos_rows = xpos_fallback_rows(&data.tags);
        let mut p = BilstmParser { data, lay, vocab, root, nonroot, proj: Vec::new(), proj_row0: [0; 5], xpos_rows };
        p.build_proj();
        Ok(p)
    }

    /// The parse-time input tables (after any change of the weights).
    fn build_proj(&mut self) {
        let l = &self.lay;
        let h4 = 4 * l.h;
        let total: usize = l.rows.iter().sum();
        self.proj.clear();
        self.proj.resize(total * 2 * h4, 0.0);
        let w = &self.data.w;
        let mut row0 = 0;
        let mut eoff = 0;
        for t in 0..5 {
            self.proj_row0[t] = row0;
            let wd = l.width[t];
            for r in 0..l.rows[t] {
                let emb = &w[l.emb[t] + r * wd..l.emb[t] + (r + 1) * wd];
                for d in 0..2 {
                    let dst = &mut self.proj[(row0 + r) * 2 * h4 + d * h4..(row0 + r) * 2 * h4 + (d + 1) * h4];
                    let wx = &w[l.wx[0][d] + eoff * h4..l.wx[0][d] + (eoff + wd) * h4];
                    gemv(dst, emb, wx);
                }
            }
            row0 += l.rows[t];
            eoff += wd;
        }
    }

    /// Whether `c` are the clusters it was trained with (always, when it recorded none).
    pub fn fits_clusters(&self, c: Option<&Clusters>) -> bool {
        self.data.clusters == 0 || self.data.clusters == c.map_or(0, |c| c.fingerprint())
    }

    pub fn labels(&self) -> &[String] {
        &self.data.labels
    }

    pub fn label(&self, l: u16) -> &str {
        self.data.labels.get(l as usize).map_or("dep", |s| s.as_str())
    }

    /// Whether it was trained on the POS tagger's joint "UPOS XPOS" tags
    /// (what `parse_words` should then be given; a bare XPOS still works).
    pub fn reads_joint_pos(&self) -> bool {
        self.data.tags.first().is_some_and(|t| t.contains(' '))
    }

    /// The tag table's row of a POS tag: XPOS or "UPOS XPOS", whichever the
    /// model was trained on; given the other kind, the XPOS part, or for a
    /// joint model the joint tag of that XPOS with the most usual UPOS.
    fn tag_row(&self, tag: &str) -> u32 {
        let find = |t: &str| self.data.tags.binary_search_by(|x| x.as_str().cmp(t)).ok().map(|i| 2 + i as u32);
        if let Some(r) = find(tag) {
            return r;
        }
        match tag.split_once(' ') {
            Some((_, x)) if !self.reads_joint_pos() => find(x).unwrap_or(UNK),
            Some(_) => UNK,
            None => self.xpos_rows.get(tag).copied().unwrap_or(UNK),
        }
    }

    /// The table rows of a word with its predicted POS tag (see [`BilstmParser::tag_row`]).
    pub fn tok_in(&self, word: &str, xpos: &str, clusters: Option<&Clusters>) -> TokIn {
        let t = Tok::new(word, clusters);
        let w = self.vocab.get(&t.lower).copied().unwrap_or(UNK);
        let p = self.tag_row(xpos);
        let c = 2 + (t.clus[2] as usize).min(NCLUS - 1) as u32;
        let s = bucket(t.suf[2] ^ 0x5, NS);
        let x = bucket(t.shape ^ (t.flags as u64) << 48, NX);
        TokIn([w, p, c, s, x])
    }

    /// BiLSTM and first-layer projections of `sc.ins` (`ins[0]` = the root).
    /// `train`: the inputs are built from the embeddings (kept for the
    /// backward pass), not from the parse-time tables.
    fn forward(&self, sc: &mut Scratch, train: bool) {
        self.encode(sc, train);
        let l = &self.lay;
        let w = &self.data.w;
        let n = sc.ins.len();
        let (h, m) = (l.h, l.m);
        let nlay = l.layers;
        sc.v.clear();
        sc.v.extend_from_slice(&sc.vl[nlay - 1]);
        sc.v.extend_from_slice(&w[l.pad..l.pad + 2 * h]);
        sc.p.clear();
        sc.p.resize((n + 1) * 4 * m, 0.0);
        // Position-major: [k][(n+1) × M], one token-blocked product per position.
        for (k, pk) in sc.p.chunks_exact_mut((n + 1) * m).enumerate() {
            gemm(pk, &sc.v, &w[l.w1[k]..l.w1[k] + 2 * h * m], m);
        }
    }

    /// The BiLSTM layers over `sc.ins`: each layer's output into `sc.vl`.
    fn encode(&self, sc: &mut Scratch, train: bool) {
        self.encode_prepare(sc, train);
        for layer in 0..self.lay.layers {
            self.layer_inputs(sc, layer, train);
            let n = sc.ins.len();
            for step in 0..n {
                // Both directions advance together: their recurrences are
                // independent, so one's products overlap the other's latency.
                for d in 0..2 {
                    let t = if d == 0 { step } else { n - 1 - step };
                    if step > 0 {
                        let li = layer * 2 + d;
                        let h = self.lay.h;
                        let wh = &self.data.w[self.lay.wh[layer][d]..self.lay.wh[layer][d] + h * 4 * h];
                        gemv(&mut sc.gates[li][t * 4 * h..(t + 1) * 4 * h], &sc.hbuf[d * h..(d + 1) * h], wh);
                    }
                    self.cell_step(sc, layer, d, t);
                }
            }
            self.layer_output(sc, layer);
        }
    }

    /// `encode` for several sentences at once (parse time only), longest
    /// first: at each step the recurrent product of every sentence still
    /// running is one token-blocked product, so each recurrent weight is
    /// read once per four sentences instead of once per sentence (the
    /// recurrent weights do not fit the L1 cache). Same sums in the same
    /// order as `encode`: bit-identical results.
    fn encode_batch(&self, scs: &mut [Scratch], xb: &mut Vec<f32>, yb: &mut Vec<f32>) {
        let h = self.lay.h;
        let h4 = 4 * h;
        for sc in scs.iter_mut() {
            self.encode_prepare(sc, false);
        }
        let longest = scs.iter().map(|sc| sc.ins.len()).max().unwrap_or(0);
        for layer in 0..self.lay.layers {
            for sc in scs.iter_mut() {
                self.layer_inputs(sc, layer, false);
            }
            for step in 0..longest {
                for d in 0..2 {
                    let li = layer * 2 + d;
                    let at = |sc: &Scratch| if d == 0 { step } else { sc.ins.len() - 1 - step };
                    // Longest first: the sentences still running are a prefix.
                    let running = scs.iter().take_while(|sc| sc.ins.len() > step).count();
                    if step > 0 {
                        xb.clear();
                        yb.clear();
                        for sc in &scs[..running] {
                            let t = at(sc);
                            xb.extend_from_slice(&sc.hbuf[d * h..(d + 1) * h]);
                            yb.extend_from_slice(&sc.gates[li][t * h4..(t + 1) * h4]);
                        }
                        gemm(yb, xb, &self.data.w[self.lay.wh[layer][d]..self.lay.wh[layer][d] + h * h4], h4);
                        for (sc, y) in scs[..running].iter_mut().zip(yb.chunks_exact(h4)) {
                            let t = at(sc);
                            sc.gates[li][t * h4..(t + 1) * h4].copy_from_slice(y);
                        }
                    }
                    for sc in scs[..running].iter_mut() {
                        let t = at(sc);
                        self.cell_step(sc, layer, d, t);
                    }
                }
            }
            for sc in scs.iter_mut() {
                self.layer_output(sc, layer);
            }
        }
    }

    /// Buffers of `encode` for `sc.ins`, and with `train` the inputs from
    /// the embeddings and the sentence's dropout masks.
    fn encode_prepare(&self, sc: &mut Scratch, train: bool) {
        let l = &self.lay;
        let w = &self.data.w;
        let n = sc.ins.len();
        let (e, h) = (l.e, l.h);
        let nlay = l.layers;
        for v in [&mut sc.gates, &mut sc.c, &mut sc.tc, &mut sc.h] {
            v.resize_with(2 * nlay, Vec::new);
        }
        sc.vl.resize_with(nlay, Vec::new);
        sc.omask.resize_with(nlay, Vec::new);
        sc.xmask.clear();
        sc.omask.iter_mut().for_each(|v| v.clear());
        sc.amask_d.clear();
        sc.amask_h.clear();
        if train {
            sc.x.clear();
            sc.x.resize(n * e, 0.0);
            for (t, ti) in sc.ins.iter().enumerate() {
                let mut off = 0;
                for k in 0..5 {
                    let wd = l.width[k];
                    let r = (ti.0[k] as usize).min(l.rows[k] - 1);
                    sc.x[t * e + off..t * e + off + wd].copy_from_slice(&w[l.emb[k] + r * wd..l.emb[k] + (r + 1) * wd]);
                    off += wd;
                }
            }
            if sc.dropout > 0.0 {
                let p = sc.dropout.min(0.9);
                let keep = 1.0 / (1.0 - p);
                let mut r = Rng::new(sc.drop_seed);
                let mut draw = |k: usize, out: &mut Vec<f32>| out.extend((0..k).map(|_| if uniform(&mut r, 0.5) + 0.5 < p { 0.0 } else { keep }));
                draw(n * e, &mut sc.xmask);
                for mk in sc.omask.iter_mut() {
                    draw(n * 2 * h, mk);
                }
                if l.arc > 0 {
                    sc.amask_d.clear();
                    sc.amask_h.clear();
                    draw(n * l.arc, &mut sc.amask_d);
                    draw(n * l.arc, &mut sc.amask_h);
                }
                sc.drop_seed = r.next_u64();
                for (x, m) in sc.x.iter_mut().zip(&sc.xmask) {
                    *x *= m;
                }
            }
        }
    }

    /// Layer `layer`'s gate inputs of both directions (bias plus the input
    /// product, or the parse-time tables for the first layer), and zeroed
    /// running state.
    fn layer_inputs(&self, sc: &mut Scratch, layer: usize, train: bool) {
        let l = &self.lay;
        let w = &self.data.w;
        let n = sc.ins.len();
        let h = l.h;
        let h4 = 4 * h;
        let inw = l.in_w[layer];
        for d in 0..2 {
            let li = layer * 2 + d;
            let g = &mut sc.gates[li];
            g.clear();
            g.resize(n * h4, 0.0);
            let bias = &w[l.b[layer][d]..l.b[layer][d] + h4];
            let wx = &w[l.wx[layer][d]..l.wx[layer][d] + inw * h4];
            for z in g.chunks_exact_mut(h4) {
                z.copy_from_slice(bias);
            }
            if layer > 0 {
                gemm(g, &sc.vl[layer - 1], wx, h4);
            } else if train {
                gemm(g, &sc.x, wx, h4);
            }
            if layer == 0 && !train {
                for (t, z) in g.chunks_exact_mut(h4).enumerate() {
                    for k in 0..5 {
                        let r = self.proj_row0[k] + (sc.ins[t].0[k] as usize).min(l.rows[k] - 1);
                        add(z, &self.proj[r * 2 * h4 + d * h4..r * 2 * h4 + (d + 1) * h4]);
                    }
                }
            }
            for v in [&mut sc.c[li], &mut sc.tc[li], &mut sc.h[li]] {
                v.clear();
                v.resize(n * h, 0.0);
            }
        }
        sc.hbuf.clear();
        sc.hbuf.resize(2 * h, 0.0);
        sc.cbuf.clear();
        sc.cbuf.resize(2 * h, 0.0);
    }

    /// The LSTM cell of direction `d` of `layer` at token `t`, whose gate
    /// pre-activations are complete: the running cell and output advance.
    #[inline]
    fn cell_step(&self, sc: &mut Scratch, layer: usize, d: usize, t: usize) {
        let h = self.lay.h;
        let h4 = 4 * h;
        let li = layer * 2 + d;
        let z = &mut sc.gates[li][t * h4..(t + 1) * h4];
        let hb = &mut sc.hbuf[d * h..(d + 1) * h];
        let cb = &mut sc.cbuf[d * h..(d + 1) * h];
        vsigmoid(&mut z[..2 * h]);
        vtanh(&mut z[2 * h..3 * h]);
        vsigmoid(&mut z[3 * h..]);
        // Zipped slices, so the cell update vectorizes.
        let (zi, rest) = z.split_at(h);
        let (zf, rest) = rest.split_at(h);
        let (zg, zo) = rest.split_at(h);
        for (((c, &i), &f), &gg) in cb.iter_mut().zip(zi).zip(zf).zip(zg) {
            *c = f * *c + i * gg;
        }
        let tc = &mut sc.tc[li][t * h..(t + 1) * h];
        tc.copy_from_slice(cb);
        vtanh(tc);
        for ((hv, &o), &tcu) in hb.iter_mut().zip(zo).zip(tc.iter()) {
            *hv = o * tcu;
        }
        sc.c[li][t * h..(t + 1) * h].copy_from_slice(cb);
        sc.h[li][t * h..(t + 1) * h].copy_from_slice(hb);
    }

    /// Layer `layer`'s output rows [n × 2H] (with its dropout mask) from both directions.
    fn layer_output(&self, sc: &mut Scratch, layer: usize) {
        let n = sc.ins.len();
        let h = self.lay.h;
        let out = &mut sc.vl[layer];
        out.clear();
        out.resize(n * 2 * h, 0.0);
        for t in 0..n {
            out[t * 2 * h..t * 2 * h + h].copy_from_slice(&sc.h[2 * layer][t * h..(t + 1) * h]);
            out[t * 2 * h + h..(t + 1) * 2 * h].copy_from_slice(&sc.h[2 * layer + 1][t * h..(t + 1) * h]);
        }
        if !sc.omask[layer].is_empty() {
            for (x, m) in out.iter_mut().zip(&sc.omask[layer]) {
                *x *= m;
            }
        }
    }

    /// The BiLSTM rows of s0, s1, s2, b0 (n = the pad).
    #[inline]
    fn positions(st: &State) -> [usize; 4] {
        let n = st.n;
        let ls = st.stack.len();
        let s = |k: usize| if k < ls { st.stack[ls - 1 - k] as usize } else { n };
        [s(0), s(1), s(2), if st.b < n { st.b } else { n }]
    }

    /// MLP hidden layer of a configuration into `sc.hid`; returns the three move scores.
    #[inline]
    fn hidden(&self, sc: &mut Scratch, pos: &[usize; 4]) -> [f32; 3] {
        let l = &self.lay;
        let w = &self.data.w;
        let m = l.m;
        sc.hid.clear();
        sc.hid.extend_from_slice(&w[l.b1..l.b1 + m]);
        let stride = sc.p.len() / 4;
        for (k, &t) in pos.iter().enumerate() {
            let at = k * stride + t * m;
            add(&mut sc.hid, &sc.p[at..at + m]);
        }
        vtanh(&mut sc.hid);
        let mut s = [w[l.b2s], w[l.b2s + 1], w[l.b2s + 2]];
        gemv(&mut s, &sc.hid, &w[l.w2s..l.w2s + 3 * m]);
        s
    }

    /// Label scores of arc direction `dir` (0 left, 1 right) into `sc.lab`.
    #[inline]
    fn label_scores(&self, sc: &mut Scratch, dir: usize) {
        let l = &self.lay;
        let w = &self.data.w;
        sc.lab.clear();
        sc.lab.extend_from_slice(&w[l.b2l + dir * l.nl..l.b2l + (dir + 1) * l.nl]);
        gemv(&mut sc.lab, &sc.hid, &w[l.w2l[dir]..l.w2l[dir] + l.m * l.nl]);
    }

    /// Which of SHIFT, LEFT, RIGHT may be taken.
    fn allowed3(&self, st: &State) -> [bool; 3] {
        let r = self.root.unwrap_or(self.nonroot);
        [st.allowed(Move::Shift, self.root), st.allowed(Move::Left(self.nonroot), self.root), st.allowed(Move::Right(self.nonroot), self.root) || st.allowed(Move::Right(r), self.root)]
    }

    /// Whether the right arc now would attach s0 to the root token.
    fn right_to_root(st: &State) -> bool {
        let ls = st.stack.len();
        ls >= 2 && st.stack[ls - 2] == 0
    }

    /// The best allowed label of direction `dir` in `sc.lab`.
    fn best_label(&self, sc: &Scratch, st: &State, dir: usize) -> u16 {
        if dir == 1 && Self::right_to_root(st) {
            if let Some(r) = self.root {
                return r;
            }
        }
        let mut best = (f32::NEG_INFINITY, self.nonroot);
        for (i, &s) in sc.lab.iter().enumerate() {
            if Some(i as u16) != self.root && s > best.0 {
                best = (s, i as u16);
            }
        }
        best.1
    }

    /// Parses a sentence whose table rows are in `sc.ins` (`ins[0]` = the
    /// root); `out[i]` = (head, label index) of word i+1, head 0 = root.
    pub fn parse_ins(&self, sc: &mut Scratch, out: &mut Vec<(u32, u16)>) {
        out.clear();
        let n = sc.ins.len();
        if n <= 1 {
            return;
        }
        if self.is_biaffine() {
            return self.parse_biaffine(sc, out);
        }
        self.forward(sc, false);
        let mut st = std::mem::take(&mut sc.state);
        st.reset(n);
        let mut budget = 2 * n + 2;
        while !st.terminal() && budget > 0 {
            budget -= 1;
            let pos = Self::positions(&st);
            let s = self.hidden(sc, &pos);
            let ok = self.allowed3(&st);
            let mut best: Option<usize> = None;
            for c in 0..3 {
                if ok[c] && best.is_none_or(|b| s[c] > s[b]) {
                    best = Some(c);
                }
            }
            let mv = match best {
                Some(0) => Move::Shift,
                Some(c) => {
                    let dir = c - 1;
                    let lab = if dir == 1 && Self::right_to_root(&st) && self.root.is_some() {
                        self.root.unwrap_or(0)
                    } else {
                        self.label_scores(sc, dir);
                        self.best_label(sc, &st, dir)
                    };
                    if dir == 0 {
                        Move::Left(lab)
                    } else {
                        Move::Right(lab)
                    }
                }
                None => break,
            };
            st.apply(mv);
        }
        st.arcs_into(self.root.unwrap_or(0), out);
        sc.state = st;
    }

    /// Parses several sentences of words with their (predicted) XPOS tags:
    /// `outs[k]` gets the arcs of `sentences[k]`, the same as `parse_words`
    /// gives, faster for the biaffine parser (its encoder runs the sentences
    /// side by side, see `encode_batch`). Callers pass a handful at a time
    /// (16 or so); `batch` keeps the buffers between calls.
    pub fn parse_batch(&self, sentences: &[(&[&str], &[&str])], clusters: Option<&Clusters>, batch: &mut Batch, outs: &mut Vec<Vec<(u32, u16)>>) {
        outs.resize_with(sentences.len(), Vec::new);
        batch.order.clear();
        batch.order.extend(0..sentences.len());
        // Longest first (stable, so ties keep their order): see `encode_batch`.
        batch.order.sort_by_key(|&k| std::cmp::Reverse(sentences[k].0.len()));
        if batch.scratch.len() < sentences.len() {
            batch.scratch.resize_with(sentences.len(), Scratch::default);
        }
        for (sc, &k) in batch.scratch.iter_mut().zip(&batch.order) {
            let (words, xpos) = sentences[k];
            sc.ins.clear();
            sc.ins.push(TokIn([ROOTROW; 5]));
            for (i, w) in words.iter().enumerate() {
                sc.ins.push(self.tok_in(w, xpos.get(i).copied().unwrap_or("XX"), clusters));
            }
        }
        let scs = &mut batch.scratch[..sentences.len()];
        if !self.is_biaffine() {
            for (sc, &k) in scs.iter_mut().zip(&batch.order) {
                self.parse_ins(sc, &mut outs[k]);
            }
            return;
        }
        // Sentences of the root alone have no arcs (as in `parse_ins`).
        let parsed = scs.iter().take_while(|sc| sc.ins.len() > 1).count();
        self.encode_batch(&mut scs[..parsed], &mut batch.xb, &mut batch.yb);
        for (i, (sc, &k)) in scs.iter_mut().zip(&batch.order).enumerate() {
            outs[k].clear();
            if i < parsed {
                self.decode_biaffine(sc, &mut outs[k]);
            }
        }
    }

    /// Parses one sentence of words with their (predicted) XPOS tags.
    pub fn parse_words(&self, words: &[&str], xpos: &[&str], clusters: Option<&Clusters>, sc: &mut Scratch, out: &mut Vec<(u32, u16)>) {
        sc.ins.clear();
        sc.ins.push(TokIn([ROOTROW; 5]));
        for (i, w) in words.iter().enumerate() {
            let t = self.tok_in(w, xpos.get(i).copied().unwrap_or("XX"), clusters);
            sc.ins.push(t);
        }
        self.parse_ins(sc, out);
    }
}

// ---------------------------------------------------------------- biaffine head

/// Sentences parsed side by side by callers of [`BilstmParser::parse_batch`].
pub const BATCH: usize = 16;

/// Sentences longer than this (with the root) are decoded greedily (each
/// word's best head, cycles broken), not by Eisner's cubic algorithm.
const EISNER_MAX: usize = 300;

/// Tables of Eisner's algorithm (projective, one child of the root):
/// complete and incomplete spans pointing right (head left) and left.
#[derive(Debug, Default, Clone)]
struct Eisner {
    cr: Vec<f32>,
    cl: Vec<f32>,
    ir: Vec<f32>,
    il: Vec<f32>,
    bcr: Vec<u32>,
    bcl: Vec<u32>,
    bir: Vec<u32>,
    bil: Vec<u32>,
    stack: Vec<(u8, u32, u32)>,
}

/// The first split point of `ks` with the highest score, and that score
/// (−∞ and the range's start when none beats it, so that a table of NaNs
/// still backtracks to a tree).
#[inline]
fn best_split(ks: std::ops::Range<usize>, score: impl Fn(usize) -> f32) -> (f32, usize) {
    let mut best = (f32::NEG_INFINITY, ks.start);
    for k in ks {
        let v = score(k);
        if v > best.0 {
            best = (v, k);
        }
    }
    best
}

impl Eisner {
    /// The best projective tree with exactly one child of token 0 under
    /// `s[d * n + h]` = score of head h for dependent d; `heads[d]` (heads[0] = 0).
    fn decode(&mut self, n: usize, s: &[f32], heads: &mut Vec<u32>) {
        heads.clear();
        heads.resize(n, 0);
        if n < 2 {
            return;
        }
        for v in [&mut self.cr, &mut self.cl, &mut self.ir, &mut self.il] {
            v.clear();
            v.resize(n * n, f32::NEG_INFINITY);
        }
        for v in [&mut self.bcr, &mut self.bcl, &mut self.bir, &mut self.bil] {
            v.clear();
            v.resize(n * n, 0);
        }
        for a in 0..n {
            self.cr[a * n + a] = 0.0;
            self.cl[a * n + a] = 0.0;
        }
        for len in 1..n {
            for a in 0..n - len {
                let b = a + len;
                let (best, bk) = if a == 0 {
                    // The root's only child: nothing else hangs between them.
                    (self.cl[n + b], a)
                } else {
                    best_split(a..b, |k| self.cr[a * n + k] + self.cl[(k + 1) * n + b])
                };
                self.ir[a * n + b] = best + s[b * n + a];
                self.bir[a * n + b] = bk as u32;
                if a > 0 {
                    self.il[a * n + b] = best + s[a * n + b];
                    self.bil[a * n + b] = bk as u32;
                }
                let (best, bk) = best_split(a..b, |k| self.cl[a * n + k] + self.il[k * n + b]);
                self.cl[a * n + b] = best;
                self.bcl[a * n + b] = bk as u32;
                let (best, bk) = best_split(a + 1..b + 1, |k| self.ir[a * n + k] + self.cr[k * n + b]);
                self.cr[a * n + b] = best;
                self.bcr[a * n + b] = bk as u32;
            }
        }
        const CR: u8 = 0;
        const CL: u8 = 1;
        const IR: u8 = 2;
        const IL: u8 = 3;
        self.stack.clear();
        self.stack.push((CR, 0, n as u32 - 1));
        while let Some((kind, a, b)) = self.stack.pop() {
            if a >= b {
                continue;
            }
            let at = a as usize * n + b as usize;
            match kind {
                CR => {
                    let k = self.bcr[at];
                    self.stack.push((IR, a, k));
                    self.stack.push((CR, k, b));
                }
                CL => {
                    let k = self.bcl[at];
                    self.stack.push((CL, a, k));
                    self.stack.push((IL, k, b));
                }
                _ => {
                    if kind == IR {
                        heads[b as usize] = a;
                    } else {
                        heads[a as usize] = b;
                    }
                    let k = if kind == IR { self.bir[at] } else { self.bil[at] };
                    self.stack.push((CR, a, k));
                    self.stack.push((CL, k + 1, b));
                }
            }
        }
    }
}

impl BilstmParser {
    /// Whether this is the biaffine (graph-based) parser.
    pub fn is_biaffine(&self) -> bool {
        self.lay.arc > 0
    }

    /// The biaffine head's per-token products over the top BiLSTM layer:
    /// MLP outputs (with their dropout masks when training), U·dependent,
    /// the head bias terms and the label projections.
    fn arc_forward(&self, sc: &mut Scratch) {
        let l = &self.lay;
        let w = &self.data.w;
        let n = sc.ins.len();
        let (h2, a, m) = (2 * l.h, l.arc, l.m);
        let v = &sc.vl[l.layers - 1];
        for (out, wt, bias, mask) in [(&mut sc.hd, l.ad, l.bad, &sc.amask_d), (&mut sc.hh, l.ah, l.bah, &sc.amask_h)] {
            out.clear();
            for _ in 0..n {
                out.extend_from_slice(&w[bias..bias + a]);
            }
            gemm(out, v, &w[wt..wt + h2 * a], a);
            vtanh(out);
            if !mask.is_empty() {
                for (x, k) in out.iter_mut().zip(mask) {
                    *x *= k;
                }
            }
        }
        sc.q.clear();
        sc.q.resize(n * a, 0.0);
        gemm(&mut sc.q, &sc.hd, &w[l.u..l.u + a * a], a);
        sc.r.clear();
        sc.r.resize(n, 0.0);
        gemv_t(&mut sc.r, &sc.hh, &w[l.wb..l.wb + a]);
        for (out, wt) in [(&mut sc.pd, l.ld), (&mut sc.ph, l.lh)] {
            out.clear();
            out.resize(n * m, 0.0);
            gemm(out, v, &w[wt..wt + h2 * m], m);
        }
    }

    /// [`BilstmParser::arc_forward`] at parse time, only what the arc
    /// scores read: the dependent side (MLP, U·dependent) of the words, not
    /// of the root (its row left at 0), and the head side of every token.
    /// The label projections come after decoding (`label_tree`). Each
    /// output row is computed exactly as in `arc_forward` (the kernels sum
    /// every element in the same order whatever the block of rows).
    fn arc_forward_parse(&self, sc: &mut Scratch) {
        let l = &self.lay;
        let w = &self.data.w;
        let n = sc.ins.len();
        let (h2, a) = (2 * l.h, l.arc);
        let v = &sc.vl[l.layers - 1];
        for (out, wt, bias, skip) in [(&mut sc.hd, l.ad, l.bad, 1), (&mut sc.hh, l.ah, l.bah, 0)] {
            out.clear();
            out.resize(skip * a, 0.0);
            for _ in skip..n {
                out.extend_from_slice(&w[bias..bias + a]);
            }
            gemm(&mut out[skip * a..], &v[skip * h2..], &w[wt..wt + h2 * a], a);
            vtanh(&mut out[skip * a..]);
        }
        sc.q.clear();
        sc.q.resize(n * a, 0.0);
        if n > 1 {
            gemm(&mut sc.q[a..], &sc.hd[a..], &w[l.u..l.u + a * a], a);
        }
        sc.r.clear();
        sc.r.resize(n, 0.0);
        gemv_t(&mut sc.r, &sc.hh, &w[l.wb..l.wb + a]);
    }

    /// Labels of the decoded tree (`sc.heads`) into `out`: the root's child
    /// gets `root`, every other word its best label but `root` under its
    /// head, from the label MLP (the same sums as `label_hidden`, batched;
    /// the head projection only for the words that are heads).
    fn label_tree(&self, sc: &mut Scratch, out: &mut Vec<(u32, u16)>) {
        let l = &self.lay;
        let w = &self.data.w;
        let n = sc.ins.len();
        let (h2, m, nl) = (2 * l.h, l.m, l.nl);
        let v = &sc.vl[l.layers - 1];
        sc.labelled.clear();
        sc.head_slot.clear();
        sc.head_slot.resize(n, u32::MAX);
        sc.head_v.clear();
        let mut heads_n = 0u32;
        for i in 1..n {
            let hd = sc.heads[i] as usize;
            if hd == 0 && self.root.is_some() {
                continue;
            }
            sc.labelled.push(i as u32);
            if sc.head_slot[hd] == u32::MAX {
                sc.head_slot[hd] = heads_n;
                heads_n += 1;
                sc.head_v.extend_from_slice(&v[hd * h2..(hd + 1) * h2]);
            }
        }
        let k = sc.labelled.len();
        sc.ph.clear();
        sc.ph.resize(heads_n as usize * m, 0.0);
        gemm(&mut sc.ph, &sc.head_v, &w[l.lh..l.lh + h2 * m], m);
        // The dependent projection of every word (rows 1..n; most get a label).
        sc.pd.clear();
        sc.pd.resize(n * m, 0.0);
        gemm(&mut sc.pd[m..], &v[h2..], &w[l.ld..l.ld + h2 * m], m);
        sc.lhid.clear();
        for &i in &sc.labelled {
            let i = i as usize;
            let hd = sc.heads[i] as usize;
            let dir = usize::from(hd > i);
            let at = sc.lhid.len();
            sc.lhid.extend_from_slice(&w[l.bl + dir * m..l.bl + (dir + 1) * m]);
            let row = &mut sc.lhid[at..];
            add(row, &sc.pd[i * m..(i + 1) * m]);
            let slot = sc.head_slot[hd] as usize;
            add(row, &sc.ph[slot * m..(slot + 1) * m]);
        }
        vtanh(&mut sc.lhid);
        sc.lout.clear();
        for _ in 0..k {
            sc.lout.extend_from_slice(&w[l.bll..l.bll + nl]);
        }
        gemm(&mut sc.lout, &sc.lhid, &w[l.wl..l.wl + m * nl], nl);
        let mut next = 0;
        for i in 1..n {
            let hd = sc.heads[i] as usize;
            let lab = match self.root {
                Some(r) if hd == 0 => r,
                _ => {
                    let scores = &sc.lout[next * nl..(next + 1) * nl];
                    next += 1;
                    let mut best = (f32::NEG_INFINITY, self.nonroot);
                    for (c, &x) in scores.iter().enumerate() {
                        if (hd == 0 || Some(c as u16) != self.root) && x > best.0 {
                            best = (x, c as u16);
                        }
                    }
                    best.1
                }
            };
            out.push((hd as u32, lab));
        }
    }

    /// Arc scores of dependent `i` over every head into `row` (n entries).
    #[inline]
    fn score_row(&self, sc: &Scratch, i: usize, row: &mut [f32]) {
        let a = self.lay.arc;
        row.copy_from_slice(&sc.r);
        gemv_t(row, &sc.hh, &sc.q[i * a..(i + 1) * a]);
    }

    /// All arc scores into `sc.s` [dependent × head] (row 0, the root, left at 0).
    fn score_all(&self, sc: &mut Scratch) {
        let n = sc.ins.len();
        let mut s = std::mem::take(&mut sc.s);
        s.clear();
        s.resize(n * n, 0.0);
        for i in 1..n {
            self.score_row(sc, i, &mut s[i * n..(i + 1) * n]);
        }
        sc.s = s;
    }

    /// Label MLP hidden layer of dependent `i` under head `hd` into `sc.hid`.
    #[inline]
    fn label_hidden(&self, sc: &mut Scratch, i: usize, hd: usize) {
        let l = &self.lay;
        let m = l.m;
        let dir = usize::from(hd > i);
        sc.hid.clear();
        sc.hid.extend_from_slice(&self.data.w[l.bl + dir * m..l.bl + (dir + 1) * m]);
        add(&mut sc.hid, &sc.pd[i * m..(i + 1) * m]);
        add(&mut sc.hid, &sc.ph[hd * m..(hd + 1) * m]);
        vtanh(&mut sc.hid);
        sc.lab.clear();
        sc.lab.extend_from_slice(&self.data.w[l.bll..l.bll + l.nl]);
        gemv(&mut sc.lab, &sc.hid, &self.data.w[l.wl..l.wl + m * l.nl]);
    }

    /// Each word's best head, then every cycle broken by attaching one of
    /// its words to the root's child (whose path ends at the root), one row
    /// of scores at a time (for sentences too long for Eisner's tables).
    fn greedy_heads(&self, sc: &mut Scratch) {
        let n = sc.ins.len();
        let mut row = std::mem::take(&mut sc.s);
        row.clear();
        row.resize(n, 0.0);
        let mut heads = std::mem::take(&mut sc.heads);
        heads.clear();
        heads.resize(n, 0);
        let mut root_child = (f32::NEG_INFINITY, 1usize);
        for (i, head) in heads.iter_mut().enumerate().skip(1) {
            self.score_row(sc, i, &mut row);
            if row[0] > root_child.0 || i == 1 {
                root_child = (row[0], i);
            }
            let mut best = (f32::NEG_INFINITY, if i == 1 { 2 } else { 1 });
            for (j, &x) in row.iter().enumerate().skip(1) {
                if j != i && x > best.0 {
                    best = (x, j);
                }
            }
            *head = best.1 as u32;
        }
        let r = root_child.1;
        heads[r] = 0;
        // 0 unvisited, 1 on the current path, 2 known to reach the root.
        let mut state = vec![0u8; n];
        state[0] = 2;
        let mut path = Vec::new();
        for start in 1..n {
            let mut x = start;
            path.clear();
            while state[x] == 0 {
                state[x] = 1;
                path.push(x);
                x = heads[x] as usize;
            }
            if state[x] == 1 {
                heads[x] = r as u32;
            }
            for &p in &path {
                state[p] = 2;
            }
        }
        sc.s = row;
        sc.heads = heads;
    }

    /// Parses with the biaffine head: arc scores, the best tree, then the best label of each arc.
    fn parse_biaffine(&self, sc: &mut Scratch, out: &mut Vec<(u32, u16)>) {
        self.encode(sc, false);
        self.decode_biaffine(sc, out);
    }

    /// `parse_biaffine` after the encoder has run.
    fn decode_biaffine(&self, sc: &mut Scratch, out: &mut Vec<(u32, u16)>) {
        let n = sc.ins.len();
        self.arc_forward_parse(sc);
        if n <= EISNER_MAX {
            self.score_all(sc);
            let mut heads = std::mem::take(&mut sc.heads);
            sc.eisner.decode(n, &sc.s, &mut heads);
            sc.heads = heads;
        } else {
            self.greedy_heads(sc);
        }
        self.label_tree(sc, out);
    }

    /// Cross-entropy of each word's gold head over all tokens (the root
    /// included) and of its gold label under the gold head (not for the
    /// root's child, whose label is fixed), gradients added into `gr.g`.
    fn biaffine_loss(&self, ex: &Example, sc: &mut Scratch, gr: &mut Grad, aux: Option<&mut AuxTagger>) -> f32 {
        let n = sc.ins.len();
        if n <= 1 {
            return 0.0;
        }
        self.encode(sc, true);
        self.arc_forward(sc);
        self.score_all(sc);
        let l = &self.lay;
        let w = &self.data.w;
        let (h2, a, m, nl) = (2 * l.h, l.arc, l.m, l.nl);
        let mut loss = 0f32;
        match aux {
            Some(aux) => loss += aux.loss(&sc.vl[0], h2, &ex.gt, &mut gr.daux),
            None => gr.daux.clear(),
        }
        gr.ds.clear();
        gr.ds.resize(n * n, 0.0);
        for i in 1..n {
            let g = ex.gh.get(i).map_or(usize::MAX, |&g| g as usize);
            if g >= n || g == i {
                continue;
            }
            let row = &sc.s[i * n..(i + 1) * n];
            let lse = log_sum_exp(row, i);
            let drow = &mut gr.ds[i * n..(i + 1) * n];
            for (j, d) in drow.iter_mut().enumerate() {
                if j != i {
                    *d = (row[j] - lse).exp();
                }
            }
            // Cross-entropy against the target: the gold head (weight
            // `hard`) plus the teachers' probabilities, if any.
            loss += ex.hard * (lse - row[g]);
            drow[g] -= ex.hard;
            if let Some(t) = ex.th.get(i * n..(i + 1) * n) {
                for (j, (d, &tj)) in drow.iter_mut().zip(t).enumerate() {
                    if j != i && tj > 0.0 {
                        loss += tj * (lse - row[j]);
                        *d -= tj;
                    }
                }
            }
        }
        // Through s(i,j) = q_i·hh_j + wb·hh_j, q_i = hd_i U.
        gr.dq.clear();
        gr.dq.resize(n * a, 0.0);
        gr.dhh.clear();
        gr.dhh.resize(n * a, 0.0);
        gr.dhd.clear();
        gr.dhd.resize(n * a, 0.0);
        let mut colsum = vec![0f32; n];
        for i in 1..n {
            let drow = &gr.ds[i * n..(i + 1) * n];
            gemv(&mut gr.dq[i * a..(i + 1) * a], drow, &sc.hh);
            ger(&mut gr.dhh, drow, &sc.q[i * a..(i + 1) * a]);
            add(&mut colsum, drow);
            ger(&mut gr.g[l.u..l.u + a * a], &sc.hd[i * a..(i + 1) * a], &gr.dq[i * a..(i + 1) * a]);
            gemv_t(&mut gr.dhd[i * a..(i + 1) * a], &w[l.u..l.u + a * a], &gr.dq[i * a..(i + 1) * a]);
        }
        ger(&mut gr.dhh, &colsum, &w[l.wb..l.wb + a]);
        gemv(&mut gr.g[l.wb..l.wb + a], &colsum, &sc.hh);
        // Labels under the gold heads.
        gr.dpd.clear();
        gr.dpd.resize(n * m, 0.0);
        gr.dph.clear();
        gr.dph.resize(n * m, 0.0);
        gr.dl.resize(nl, 0.0);
        gr.dhid.resize(m, 0.0);
        for i in 1..n {
            let g = ex.gh.get(i).map_or(usize::MAX, |&g| g as usize);
            if g == 0 || g >= n || g == i {
                continue;
            }
            let y = ex.gl.get(i).map_or(0, |&y| y as usize).min(nl - 1);
            self.label_hidden(sc, i, g);
            let lse = log_sum_exp(&sc.lab, usize::MAX);
            for (d, &x) in gr.dl.iter_mut().zip(&sc.lab) {
                *d = (x - lse).exp();
            }
            loss += ex.hard * (lse - sc.lab[y]);
            gr.dl[y] -= ex.hard;
            if let Some(t) = ex.tl.get(i * nl..(i + 1) * nl) {
                for ((d, &tk), &x) in gr.dl.iter_mut().zip(t).zip(&sc.lab) {
                    if tk > 0.0 {
                        loss += tk * (lse - x);
                        *d -= tk;
                    }
                }
            }
            ger(&mut gr.g[l.wl..l.wl + m * nl], &sc.hid, &gr.dl);
            add(&mut gr.g[l.bll..l.bll + nl], &gr.dl);
            gr.dhid.iter_mut().for_each(|x| *x = 0.0);
            gemv_t(&mut gr.dhid, &w[l.wl..l.wl + m * nl], &gr.dl);
            for (d, &hv) in gr.dhid.iter_mut().zip(&sc.hid) {
                *d *= 1.0 - hv * hv;
            }
            let dir = usize::from(g > i);
            add(&mut gr.g[l.bl + dir * m..l.bl + (dir + 1) * m], &gr.dhid);
            add(&mut gr.dpd[i * m..(i + 1) * m], &gr.dhid);
            add(&mut gr.dph[g * m..(g + 1) * m], &gr.dhid);
        }
        // Through the MLPs' dropout and tanh (t = output / mask where kept).
        for (dout, out, mask) in [(&mut gr.dhd, &sc.hd, &sc.amask_d), (&mut gr.dhh, &sc.hh, &sc.amask_h)] {
            for (k, (d, &o)) in dout.iter_mut().zip(out).enumerate() {
                let keep = mask.get(k).copied().unwrap_or(1.0);
                let t = if keep != 0.0 { o / keep } else { 0.0 };
                *d *= keep * (1.0 - t * t);
            }
        }
        gr.dv.clear();
        gr.dv.resize(n * h2, 0.0);
        let v = &sc.vl[l.layers - 1];
        for (dpre, wt, bias, width) in [(&gr.dhd, l.ad, Some(l.bad), a), (&gr.dhh, l.ah, Some(l.bah), a), (&gr.dpd, l.ld, None, m), (&gr.dph, l.lh, None, m)] {
            for t in 0..n {
                let d = &dpre[t * width..(t + 1) * width];
                if let Some(b) = bias {
                    add(&mut gr.g[b..b + width], d);
                }
                ger(&mut gr.g[wt..wt + h2 * width], &v[t * h2..(t + 1) * h2], d);
                gemv_t(&mut gr.dv[t * h2..(t + 1) * h2], &w[wt..wt + h2 * width], d);
            }
        }
        self.backward_encoder(sc, gr);
        loss
    }
}

/// Decodes a `PNN\0` model file.
pub fn decode(name: &str, bytes: &[u8]) -> crate::Result<BilstmParser> {
    // Older files are shorter (postcard has no optional trailing fields): try the newest form first.
    let d: BilstmData = match crate::nlp::format::decode(name, KIND_BILSTM, bytes) {
        Ok(d) => d,
        Err(e) => match crate::nlp::format::decode::<BilstmDataV2>(name, KIND_BILSTM, bytes) {
            Ok(v) => BilstmData { dims: v.dims, words: v.words, tags: v.tags, labels: v.labels, clusters: v.clusters, w: v.w, layers: v.layers, arc: 0 },
            Err(_) => match crate::nlp::format::decode::<BilstmDataV1>(name, KIND_BILSTM, bytes) {
                Ok(v) => BilstmData { dims: v.dims, words: v.words, tags: v.tags, labels: v.labels, clusters: v.clusters, w: v.w, layers: 1, arc: 0 },
                Err(_) => return Err(e),
            },
        },
    };
    BilstmParser::from_data(d).map_err(|message| crate::error::Error::BadModel { path: name.to_string(), message })
}

/// Whether model file bytes are a BiLSTM parser (by their kind).
pub fn is_bilstm_file(bytes: &[u8]) -> bool {
    bytes.len() >= 16 && &bytes[..8] == crate::nlp::format::MAGIC && &bytes[8..12] == KIND_BILSTM
}

/// UAS / LAS on trees with the given predicted XPOS.
pub fn evaluate(p: &BilstmParser, trees: &[Tree], xpos: &[Vec<String>], clusters: Option<&Clusters>) -> Attachment {
    let mut a = Attachment::default();
    let mut batch = Batch::default();
    let mut outs = Vec::new();
    let tokens: Vec<(Vec<&str>, Vec<&str>)> =
        trees.iter().zip(xpos).map(|(t, x)| (t.words.iter().map(|w| w.as_str()).collect(), x.iter().map(|w| w.as_str()).collect())).collect();
    let mut sentences: Vec<(&[&str], &[&str])> = Vec::new();
    for (chunk, trees) in tokens.chunks(BATCH).zip(trees.chunks(BATCH)) {
        sentences.clear();
        sentences.extend(chunk.iter().map(|(w, x)| (w.as_slice(), x.as_slice())));
        p.parse_batch(&sentences, clusters, &mut batch, &mut outs);
        for (t, out) in trees.iter().zip(&outs) {
            for (i, &(h, l)) in out.iter().enumerate() {
                a.add(t.head[i], &t.deprel[i], h, p.label(l));
            }
        }
    }
    a
}

/// Runs `net` over one sentence (with the root) into `sc`: its arc scores
/// in `sc.s`, and what `label_hidden` reads.
fn score_sentence<W: AsRef<str>>(net: &BilstmParser, sc: &mut Scratch, words: &[W], tags: &[&str], clusters: Option<&Clusters>) {
    sc.ins.clear();
    sc.ins.push(TokIn([ROOTROW; 5]));
    for (i, w) in words.iter().enumerate() {
        sc.ins.push(net.tok_in(w.as_ref(), tags.get(i).copied().unwrap_or("XX"), clusters));
    }
    net.encode(sc, false);
    net.arc_forward(sc);
    net.score_all(sc);
}

/// log Σ exp over `row` without entry `skip` (a word is not its own head).
fn log_sum_exp(row: &[f32], skip: usize) -> f32 {
    let mx = row.iter().enumerate().filter(|&(j, _)| j != skip).map(|(_, &v)| v).fold(f32::NEG_INFINITY, f32::max);
    mx + row.iter().enumerate().filter(|&(j, _)| j != skip).map(|(_, &v)| (v - mx).exp()).sum::<f32>().ln()
}

/// Several biaffine parsers parsing together: per word, the mean of their
/// log-softmaxed head scores, Eisner over the means, then per word the
/// label with the best mean log-probability under the chosen head.
/// (Labels are read by name from the first parser.)
#[derive(Debug)]
pub struct Ensemble {
    nets: Vec<BilstmParser>,
    scs: Vec<Scratch>,
    eisner: Eisner,
    heads: Vec<u32>,
    mean: Vec<f32>,
    lmean: Vec<f32>,
}

impl Ensemble {
    /// The parsers must be biaffine with the same labels; else the error is
    /// the index of the first that is not (0 when there are none).
    pub fn new(nets: Vec<BilstmParser>) -> Result<Ensemble, usize> {
        let Some(first) = nets.first() else { return Err(0) };
        if let Some(bad) = nets.iter().position(|n| !n.is_biaffine() || n.labels() != first.labels()) {
            return Err(bad);
        }
        let scs = nets.iter().map(|_| Scratch::default()).collect();
        Ok(Ensemble { nets, scs, eisner: Eisner::default(), heads: Vec::new(), mean: Vec::new(), lmean: Vec::new() })
    }

    /// The first parser: its labels name the ensemble's.
    pub fn first(&self) -> &BilstmParser {
        &self.nets[0]
    }

    /// Parses one sentence into `out` (1-based heads, 0 = root; label indices of [`Ensemble::first`]).
    pub fn parse_words<W: AsRef<str>>(&mut self, words: &[W], tags: &[&str], clusters: Option<&Clusters>, out: &mut Vec<(u32, u16)>) {
        out.clear();
        let n = words.len() + 1;
        self.mean.clear();
        self.mean.resize(n * n, 0.0);
        for (net, sc) in self.nets.iter().zip(self.scs.iter_mut()) {
            score_sentence(net, sc, words, tags, clusters);
            for i in 1..n {
                let row = &sc.s[i * n..(i + 1) * n];
                let lse = log_sum_exp(row, i);
                for j in 0..n {
                    self.mean[i * n + j] += if j == i { -1e9 } else { row[j] - lse };
                }
            }
        }
        self.eisner.decode(n, &self.mean, &mut self.heads);
        let first = &self.nets[0];
        for i in 1..n {
            let hd = self.heads.get(i).copied().unwrap_or(0) as usize;
            let label = if hd == 0 {
                first.root.unwrap_or(first.nonroot)
            } else {
                self.lmean.clear();
                self.lmean.resize(first.lay.nl, 0.0);
                for (net, sc) in self.nets.iter().zip(self.scs.iter_mut()) {
                    net.label_hidden(sc, i, hd);
                    let lse = log_sum_exp(&sc.lab, usize::MAX);
                    for (m, &v) in self.lmean.iter_mut().zip(&sc.lab) {
                        *m += v - lse;
                    }
                }
                let mut best = (f32::NEG_INFINITY, first.nonroot);
                for (c, &v) in self.lmean.iter().enumerate() {
                    if Some(c as u16) != first.root && v > best.0 {
                        best = (v, c as u16);
                    }
                }
                best.1
            };
            out.push((hd as u32, label));
        }
    }
}

/// UAS/LAS of an [`Ensemble`].
pub fn evaluate_ensemble(ens: &mut Ensemble, trees: &[Tree], xpos: &[Vec<String>], clusters: Option<&Clusters>) -> Attachment {
    let mut a = Attachment::default();
    let mut tags: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (t, x) in trees.iter().zip(xpos) {
        tags.clear();
        tags.extend(x.iter().map(|s| s.as_str()));
        ens.parse_words(&t.words, &tags, clusters, &mut out);
        for (i, &(hd, label)) in out.iter().enumerate() {
            a.add(t.head[i], &t.deprel[i], hd, ens.first().label(label));
        }
    }
    a
}

// ---------------------------------------------------------------- training

#[derive(Debug, Clone)]
pub struct BilstmTrainOptions {
    pub dims: Dims,
    pub epochs: usize,
    pub patience: usize,
    pub seed: u64,
    pub lr: f32,
    /// Sentences per Adam step.
    pub batch: usize,
    /// From this epoch on, follow the model's own (possibly wrong) moves...
    pub explore_from: usize,
    /// ... this often (per mille).
    pub explore_rate: u32,
    /// Word dropout: a word seen c times is replaced by UNK with probability alpha / (alpha + c).
    pub word_dropout: f32,
    /// Tag dropout: each word's POS input is UNK with this probability (so
    /// the parser learns to read a word without its, possibly wrong, tag).
    pub tag_dropout: f32,
    /// Words seen fewer times are not in the vocabulary.
    pub min_count: usize,
    /// Lift non-projective training trees (else they are skipped).
    pub projectivize: bool,
    /// Dropout rate of the LSTM inputs and of the BiLSTM vectors.
    pub dropout: f32,
    /// Stacked BiLSTM layers.
    pub layers: usize,
    /// Width of the biaffine arc scorer's MLPs; 0 = the greedy transition
    /// parser (then `dims.m` is its MLP, else the label MLP's width).
    pub arc: usize,
    /// Adam's second-moment decay (Dozat & Manning use 0.9).
    pub beta2: f32,
    /// The learning rate is multiplied by this after every epoch.
    pub lr_decay: f32,
    /// Decay of an exponential moving average of the weights after every
    /// Adam step (0 = none): each epoch is then scored with the averaged
    /// weights as well, and the better of the two is kept.
    pub ema: f32,
    /// Weight of an auxiliary loss (0 = none): a softmax layer over the
    /// first BiLSTM layer's vectors predicts each word's gold "UPOS XPOS"
    /// tag, so the encoder learns to see past the tagger's mistakes. The
    /// layer is used in training only and is not stored.
    pub aux_pos: f32,
    /// Distillation weight: with teacher parsers given to [`train`], each
    /// word's target is this much the teachers' mean head (and label)
    /// distribution and the rest the gold one.
    pub distill: f32,
    /// Continue training this model (its vocabulary, tags, shape and
    /// weights) instead of starting from random weights; `dims`, `layers`,
    /// `arc` and `min_count` are then its own.
    pub init: Option<BilstmData>,
}

impl Default for BilstmTrainOptions {
    fn default() -> Self {
        BilstmTrainOptions { dims: Dims::default(), epochs: 20, patience: 3, seed: 20241219, lr: 1e-3, batch: 8, explore_from: 2, explore_rate: 900, word_dropout: 0.25, tag_dropout: 0.0, min_count: 2, projectivize: true, dropout: 0.0, layers: 1, arc: 0, beta2: 0.999, lr_decay: 1.0, ema: 0.0, aux_pos: 0.0, distill: 0.0, init: None }
    }
}

/// A training sentence.
struct Example {
    ins: Vec<TokIn>,
    gh: Vec<u32>,
    gl: Vec<u16>,
    /// Gold joint tag rows (root: `u16::MAX`), for the auxiliary loss.
    gt: Vec<u16>,
    /// Distillation: teachers' mean head probabilities [n × n] (row 0
    /// unused) and label probabilities under the gold head [n × labels],
    /// already weighted; empty = none. The gold head and label get the
    /// weight `hard` (1 without teachers).
    th: Vec<f32>,
    tl: Vec<f32>,
    hard: f32,
}

/// The auxiliary tagging layer of training: [2H × T] weights, bias [T].
struct AuxTagger {
    w: Vec<f32>,
    g: Vec<f32>,
    adam: Adam,
    n_tags: usize,
    weight: f32,
    logits: Vec<f32>,
}

impl AuxTagger {
    /// Weights `w` ([2H × T] then the bias [T]) for `n_tags` tags, a fresh Adam.
    fn new(w: Vec<f32>, n_tags: usize, weight: f32, lr: f32, b2: f32) -> AuxTagger {
        let total = w.len();
        AuxTagger { w, g: vec![0.0; total], adam: Adam::new(total, lr, b2), n_tags, weight, logits: Vec::new() }
    }

    /// Adds the weighted cross-entropy of the gold tags given the first
    /// layer's vectors `v` [n × 2H] and its gradient to `dv`; returns the loss.
    fn loss(&mut self, v: &[f32], h2: usize, gt: &[u16], dv: &mut Vec<f32>) -> f32 {
        let nt = self.n_tags;
        let n = v.len() / h2;
        dv.clear();
        dv.resize(n * h2, 0.0);
        let mut loss = 0f32;
        let (wm, bias) = self.w.split_at(h2 * nt);
        for t in 0..n {
            let Some(&y) = gt.get(t) else { continue };
            let y = y as usize;
            if y >= nt {
                continue;
            }
            let x = &v[t * h2..(t + 1) * h2];
            self.logits.clear();
            self.logits.extend_from_slice(bias);
            gemv(&mut self.logits, x, wm);
            let lse = log_sum_exp(&self.logits, usize::MAX);
            loss += self.weight * (lse - self.logits[y]);
            for q in self.logits.iter_mut() {
                *q = self.weight * (*q - lse).exp();
            }
            self.logits[y] -= self.weight;
            let (gw, gb) = self.g.split_at_mut(h2 * nt);
            ger(gw, x, &self.logits);
            add(gb, &self.logits);
            gemv_t(&mut dv[t * h2..(t + 1) * h2], wm, &self.logits);
        }
        loss
    }
}

/// Gradients and the per-sentence backward buffers.
#[derive(Default)]
struct Grad {
    g: Vec<f32>,
    dp: Vec<f32>,
    dp_on: Vec<bool>,
    dv: Vec<f32>,
    dvl: Vec<f32>,
    dx: Vec<f32>,
    dz: Vec<f32>,
    dh: Vec<f32>,
    dc: Vec<f32>,
    dhid: Vec<f32>,
    dl: Vec<f32>,
    /// Biaffine head: score gradients [n × n], and of U·dependent, the MLP
    /// outputs and the label projections.
    ds: Vec<f32>,
    dq: Vec<f32>,
    dhd: Vec<f32>,
    dhh: Vec<f32>,
    dpd: Vec<f32>,
    dph: Vec<f32>,
    /// Gradient of the auxiliary loss at the first layer's output (empty = none).
    daux: Vec<f32>,
}

impl Grad {
    fn new(total: usize) -> Grad {
        Grad { g: vec![0.0; total], ..Default::default() }
    }
}

/// A number in [0, 1) from the top 24 bits of the next draw (exact in f32).
fn unit(rng: &mut Rng) -> f32 {
    (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32
}

fn uniform(rng: &mut Rng, a: f32) -> f32 {
    (2.0 * unit(rng) - 1.0) * a
}

/// A freshly initialized network (Glorot-uniform weights, forget-gate bias 1).
fn init_weights(lay: &Layout, rng: &mut Rng) -> Vec<f32> {
    let mut w = vec![0f32; lay.total];
    let (e, h, m, nl) = (lay.e, lay.h, lay.m, lay.nl);
    let mut fill = |w: &mut Vec<f32>, off: usize, len: usize, a: f32| {
        for x in &mut w[off..off + len] {
            *x = uniform(rng, a);
        }
    };
    for t in 0..5 {
        let wd = lay.width[t];
        fill(&mut w, lay.emb[t], lay.rows[t] * wd, (3.0 / wd.max(1) as f32).sqrt() * 0.5);
    }
    for k in 0..lay.layers {
        let inw = if k == 0 { e } else { 2 * h };
        for d in 0..2 {
            fill(&mut w, lay.wx[k][d], inw * 4 * h, (6.0 / (inw + h) as f32).sqrt());
            fill(&mut w, lay.wh[k][d], h * 4 * h, (6.0 / (2 * h) as f32).sqrt());
            for u in 0..h {
                w[lay.b[k][d] + h + u] = 1.0;
            }
        }
    }
    let a = lay.arc;
    if a > 0 {
        fill(&mut w, lay.ad, 2 * h * a, (6.0 / (2 * h + a) as f32).sqrt());
        fill(&mut w, lay.ah, 2 * h * a, (6.0 / (2 * h + a) as f32).sqrt());
        fill(&mut w, lay.u, a * a, (6.0 / (2 * a) as f32).sqrt());
        fill(&mut w, lay.ld, 2 * h * m, (6.0 / (4 * h + m) as f32).sqrt());
        fill(&mut w, lay.lh, 2 * h * m, (6.0 / (4 * h + m) as f32).sqrt());
        fill(&mut w, lay.wl, m * nl, (6.0 / (m + nl) as f32).sqrt());
        return w;
    }
    fill(&mut w, lay.pad, 2 * h, 0.1);
    for k in 0..4 {
        fill(&mut w, lay.w1[k], 2 * h * m, (6.0 / (8 * h + m) as f32).sqrt());
    }
    fill(&mut w, lay.w2s, 3 * m, (6.0 / (m + 3) as f32).sqrt());
    fill(&mut w, lay.w2l[0], m * nl, (6.0 / (m + nl) as f32).sqrt());
    fill(&mut w, lay.w2l[1], m * nl, (6.0 / (m + nl) as f32).sqrt());
    w
}

impl BilstmParser {
    /// Hinge losses of one sentence (moves, and the label of every arc the
    /// oracle allows to attach s0 to its gold head), their gradients added
    /// into `gr.g`. The parser follows the best-scoring zero-cost move or,
    /// when `explore` says so, its own best move. `sc.ins` must be set.
    fn sentence_loss(&self, ex: &Example, sc: &mut Scratch, gr: &mut Grad, explore: &mut dyn FnMut() -> bool) -> f32 {
        let n = sc.ins.len();
        if n <= 1 {
            return 0.0;
        }
        self.forward(sc, true);
        let l = self.lay.clone();
        let w = &self.data.w;
        let (h, m, nl) = (l.h, l.m, l.nl);
        gr.dp.clear();
        gr.dp.resize((n + 1) * 4 * m, 0.0);
        gr.dp_on.clear();
        gr.dp_on.resize((n + 1) * 4, false);
        gr.dhid.resize(m, 0.0);
        gr.dl.resize(nl, 0.0);
        let mut loss = 0.0;
        let mut st = std::mem::take(&mut sc.state);
        st.reset(n);
        let mut budget = 2 * n + 2;
        while !st.terminal() && budget > 0 {
            budget -= 1;
            let pos = Self::positions(&st);
            let s = self.hidden(sc, &pos);
            let ok = self.allowed3(&st);
            let k = st.costs(&ex.gh);
            let cost = [k.shift, k.left, k.right];
            let Some(min) = (0..3).filter(|&c| ok[c]).map(|c| cost[c]).min() else { break };
            let (mut g, mut wr, mut pred) = (None::<usize>, None::<usize>, None::<usize>);
            for c in 0..3 {
                if !ok[c] {
                    continue;
                }
                if pred.is_none_or(|p| s[c] > s[p]) {
                    pred = Some(c);
                }
                if cost[c] == min {
                    if g.is_none_or(|x| s[c] > s[x]) {
                        g = Some(c);
                    }
                } else if wr.is_none_or(|x| s[c] > s[x]) {
                    wr = Some(c);
                }
            }
            let Some(g) = g else { break };
            let mut ds = [0f32; 3];
            if let Some(wr) = wr {
                let margin = s[g] - s[wr];
                if margin < 1.0 {
                    loss += 1.0 - margin;
                    ds[g] -= 1.0;
                    ds[wr] += 1.0;
                }
            }
            gr.dhid.iter_mut().for_each(|x| *x = 0.0);
            let mut any = ds != [0.0; 3];
            if any {
                for j in 0..m {
                    gr.dhid[j] += w[l.w2s + j * 3] * ds[0] + w[l.w2s + j * 3 + 1] * ds[1] + w[l.w2s + j * 3 + 2] * ds[2];
                }
                ger(&mut gr.g[l.w2s..l.w2s + 3 * m], &sc.hid, &ds);
                add(&mut gr.g[l.b2s..l.b2s + 3], &ds);
            }
            // Labels: of each arc direction that gives s0 its gold head at no cost.
            let s0 = st.stack.last().copied().unwrap_or(0) as usize;
            for dir in 0..2 {
                let head_ok = if dir == 0 { k.left_head } else { k.right_head && !Self::right_to_root(&st) };
                if !(ok[1 + dir] && head_ok && cost[1 + dir] == min) {
                    continue;
                }
                let gold = ex.gl[s0] as usize;
                if Some(gold as u16) == self.root {
                    continue;
                }
                self.label_scores(sc, dir);
                let mut wl: Option<usize> = None;
                for (i, &x) in sc.lab.iter().enumerate() {
                    if i != gold && Some(i as u16) != self.root && wl.is_none_or(|b| x > sc.lab[b]) {
                        wl = Some(i);
                    }
                }
                let Some(wl) = wl else { continue };
                let margin = sc.lab[gold] - sc.lab[wl];
                if margin < 1.0 {
                    loss += 1.0 - margin;
                    gr.dl.iter_mut().for_each(|x| *x = 0.0);
                    gr.dl[gold] = -1.0;
                    gr.dl[wl] = 1.0;
                    let wd = &w[l.w2l[dir]..l.w2l[dir] + m * nl];
                    gemv_t(&mut gr.dhid, wd, &gr.dl);
                    ger(&mut gr.g[l.w2l[dir]..l.w2l[dir] + m * nl], &sc.hid, &gr.dl);
                    add(&mut gr.g[l.b2l + dir * nl..l.b2l + (dir + 1) * nl], &gr.dl);
                    any = true;
                }
            }
            if any {
                for j in 0..m {
                    gr.dhid[j] *= 1.0 - sc.hid[j] * sc.hid[j];
                }
                add(&mut gr.g[l.b1..l.b1 + m], &gr.dhid);
                for (kk, &t) in pos.iter().enumerate() {
                    add(&mut gr.dp[(t * 4 + kk) * m..(t * 4 + kk + 1) * m], &gr.dhid);
                    gr.dp_on[t * 4 + kk] = true;
                }
            }
            let follow = if pred != Some(g) && explore() { pred.unwrap_or(g) } else { g };
            let mv = match follow {
                0 => Move::Shift,
                1 => Move::Left(self.nonroot),
                _ => Move::Right(if Self::right_to_root(&st) { self.root.unwrap_or(self.nonroot) } else { self.nonroot }),
            };
            st.apply(mv);
        }
        sc.state = st;
        // First layer: projections → BiLSTM vectors and W1.
        gr.dv.clear();
        gr.dv.resize((n + 1) * 2 * h, 0.0);
        for t in 0..=n {
            for kk in 0..4 {
                if !gr.dp_on[t * 4 + kk] {
                    continue;
                }
                let d = &gr.dp[(t * 4 + kk) * m..(t * 4 + kk + 1) * m];
                ger(&mut gr.g[l.w1[kk]..l.w1[kk] + 2 * h * m], &sc.v[t * 2 * h..(t + 1) * 2 * h], d);
                gemv_t(&mut gr.dv[t * 2 * h..(t + 1) * 2 * h], &w[l.w1[kk]..l.w1[kk] + 2 * h * m], d);
            }
        }
        add(&mut gr.g[l.pad..l.pad + 2 * h], &gr.dv[n * 2 * h..]);
        self.backward_encoder(sc, gr);
        loss
    }

    /// Back through the BiLSTM layers and into the embedding rows, from the
    /// gradient of the top layer's output in `gr.dv` (rows of 2H, at least n).
    fn backward_encoder(&self, sc: &Scratch, gr: &mut Grad) {
        let n = sc.ins.len();
        let l = &self.lay;
        let w = &self.data.w;
        let (e, h) = (l.e, l.h);
        let h4 = 4 * h;
        // BiLSTM, top layer first, each direction back through time; `upper`
        // is the gradient of the layer's (masked) output, rows of 2H.
        let nlay = l.layers;
        let mut upper = std::mem::take(&mut gr.dv);
        let mut lower = std::mem::take(&mut gr.dvl);
        gr.dz.resize(h4, 0.0);
        for layer in (0..nlay).rev() {
            if layer == 0 && gr.daux.len() == upper.len() {
                add(&mut upper, &gr.daux);
            }
            let inw = l.in_w[layer];
            let din: &mut Vec<f32> = if layer == 0 { &mut gr.dx } else { &mut lower };
            din.clear();
            din.resize(n * inw, 0.0);
            for d in 0..2 {
                let li = layer * 2 + d;
                let (wx, wh, b) = (l.wx[layer][d], l.wh[layer][d], l.b[layer][d]);
                gr.dh.clear();
                gr.dh.resize(h, 0.0);
                gr.dc.clear();
                gr.dc.resize(h, 0.0);
                for step in (0..n).rev() {
                    let t = if d == 0 { step } else { n - 1 - step };
                    let prev = if step == 0 { None } else if d == 0 { Some(t - 1) } else { Some(t + 1) };
                    let z = &sc.gates[li][t * h4..(t + 1) * h4];
                    let tc = &sc.tc[li][t * h..(t + 1) * h];
                    for u in 0..h {
                        let mask = sc.omask[layer].get(t * 2 * h + d * h + u).copied().unwrap_or(1.0);
                        let dh = upper[t * 2 * h + d * h + u] * mask + gr.dh[u];
                        let (i, f, g, o) = (z[u], z[h + u], z[2 * h + u], z[3 * h + u]);
                        let cp = prev.map_or(0.0, |p| sc.c[li][p * h + u]);
                        let dc = gr.dc[u] + dh * o * (1.0 - tc[u] * tc[u]);
                        gr.dz[u] = dc * g * i * (1.0 - i);
                        gr.dz[h + u] = dc * cp * f * (1.0 - f);
                        gr.dz[2 * h + u] = dc * i * (1.0 - g * g);
                        gr.dz[3 * h + u] = dh * tc[u] * o * (1.0 - o);
                        gr.dc[u] = dc * f;
                    }
                    add(&mut gr.g[b..b + h4], &gr.dz);
                    let input = if layer == 0 { &sc.x[t * e..(t + 1) * e] } else { &sc.vl[layer - 1][t * 2 * h..(t + 1) * 2 * h] };
                    ger(&mut gr.g[wx..wx + inw * h4], input, &gr.dz);
                    gemv_t(&mut din[t * inw..(t + 1) * inw], &w[wx..wx + inw * h4], &gr.dz);
                    gr.dh.iter_mut().for_each(|x| *x = 0.0);
                    if let Some(p) = prev {
                        ger(&mut gr.g[wh..wh + h * h4], &sc.h[li][p * h..(p + 1) * h], &gr.dz);
                        gemv_t(&mut gr.dh, &w[wh..wh + h * h4], &gr.dz);
                    }
                }
            }
            if layer > 0 {
                std::mem::swap(&mut upper, &mut lower);
            }
        }
        gr.dv = upper;
        gr.dvl = lower;
        // Embedding rows.
        if !sc.xmask.is_empty() {
            for (x, m) in gr.dx.iter_mut().zip(&sc.xmask) {
                *x *= m;
            }
        }
        for (t, ti) in sc.ins.iter().enumerate() {
            let mut off = 0;
            for kk in 0..5 {
                let wd = l.width[kk];
                let r = (ti.0[kk] as usize).min(l.rows[kk] - 1);
                add(&mut gr.g[l.emb[kk] + r * wd..l.emb[kk] + (r + 1) * wd], &gr.dx[t * e + off..t * e + off + wd]);
                off += wd;
            }
        }
    }
}

/// Adam (Kingma & Ba 2015) over the flat weights, after clipping the gradient's norm to 5.
struct Adam {
    m: Vec<f32>,
    v: Vec<f32>,
    t: i32,
    lr: f32,
    b2: f32,
}

impl Adam {
    /// Zero moments for `n` weights.
    fn new(n: usize, lr: f32, b2: f32) -> Adam {
        Adam { m: vec![0.0; n], v: vec![0.0; n], t: 0, lr, b2 }
    }

    fn step(&mut self, w: &mut [f32], g: &mut [f32]) {
        let norm = g.iter().map(|x| (*x as f64) * (*x as f64)).sum::<f64>().sqrt() as f32;
        let scale = if norm > 5.0 { 5.0 / norm } else { 1.0 };
        self.t += 1;
        let (b1, b2) = (0.9f32, self.b2);
        let c1 = 1.0 - b1.powi(self.t);
        let c2 = 1.0 - b2.powi(self.t);
        let a = self.lr * c2.sqrt() / c1;
        for i in 0..w.len() {
            let gi = g[i] * scale;
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * gi;
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * gi * gi;
            w[i] -= a * self.m[i] / (self.v[i].sqrt() + 1e-8);
            g[i] = 0.0;
        }
    }
}

/// Trains a BiLSTM parser on `train` (with its predicted XPOS, e.g.
/// jackknifed) and keeps the epoch with the best dev LAS; `save` is called
/// with each new best (a checkpoint). Deterministic for a seed.
#[allow(clippy::too_many_arguments)]
pub fn train(
    train: &[Tree],
    train_x: &[Vec<String>],
    dev: &[Tree],
    dev_x: &[Vec<String>],
    clusters: Option<&Clusters>,
    opt: &BilstmTrainOptions,
    teachers: &[BilstmParser],
    log: &mut dyn FnMut(&str),
    save: &mut dyn FnMut(&BilstmData, &Attachment),
) -> Result<(BilstmData, Attachment), String> {
    let labels: BTreeSet<&str> = train.iter().flat_map(|t| t.deprel.iter().map(|s| s.as_str())).collect();
    let labels: Vec<String> = labels.into_iter().map(String::from).collect();
    if labels.is_empty() || labels.len() > 1000 {
        return Err(format!("{} dependency labels in the training data", labels.len()));
    }
    let tags: BTreeSet<&str> = train_x.iter().flat_map(|x| x.iter().map(|s| s.as_str())).collect();
    let tags: Vec<String> = tags.into_iter().map(String::from).collect();
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for t in train {
        for w in &t.words {
            *counts.entry(Tok::new(w, clusters).lower).or_default() += 1;
        }
    }
    let words: Vec<u64> = counts.iter().filter(|(_, &c)| c >= opt.min_count.max(1)).map(|(&k, _)| k).collect();
    // The auxiliary loss's classes: the trees' own joint tags (trees
    // without tags, "_", e.g. automatically parsed ones, have no tag loss).
    let tree_tags = gold_pos(train, true);
    let gold_tags: BTreeSet<&String> = tree_tags.iter().flatten().filter(|g| !g.starts_with('_')).collect();
    let gold_tags: Vec<String> = gold_tags.into_iter().cloned().collect();
    let fp = clusters.map_or(0, |c| c.fingerprint());
    let mut rng = Rng::new(opt.seed);
    let data = match &opt.init {
        Some(d) => {
            if d.labels != labels || (d.arc > 0) != (opt.arc > 0) || d.clusters != fp {
                return Err("the model to continue has other labels, another kind of head or other word clusters than this training".into());
            }
            d.clone()
        }
        None => {
            let lay = Layout::new(&opt.dims, opt.layers, opt.arc, words.len(), tags.len(), labels.len());
            let w = init_weights(&lay, &mut rng);
            BilstmData { dims: opt.dims, words, tags, labels: labels.clone(), clusters: fp, w, layers: lay.layers as u32, arc: opt.arc as u32 }
        }
    };
    let mut net = BilstmParser::from_data(data)?;
    // Count of each vocabulary row, for word dropout.
    let mut row_count = vec![0usize; net.lay.rows[0]];
    for (i, k) in net.data.words.iter().enumerate() {
        row_count[2 + i] = counts.get(k).copied().unwrap_or(0);
    }
    let (mut skipped, mut lifted) = (0, 0);
    let mut examples = Vec::new();
    for (ti, (t, x)) in train.iter().zip(train_x).enumerate() {
        if !t.well_formed() || t.words.is_empty() {
            skipped += 1;
            continue;
        }
        // The graph-based parser learns the trees as they are (it decodes projectively, but scores every arc).
        let Some((heads, was_lifted)) = (if opt.arc > 0 { Some((t.head.clone(), false)) } else { trainable_heads(&t.head, opt.projectivize) }) else {
            skipped += 1;
            continue;
        };
        lifted += usize::from(was_lifted);
        let mut ins = vec![TokIn([ROOTROW; 5])];
        for (i, w) in t.words.iter().enumerate() {
            ins.push(net.tok_in(w, x.get(i).map_or("XX", |s| s.as_str()), clusters));
        }
        let mut gh = vec![NONE];
        gh.extend_from_slice(&heads);
        let mut gl = vec![0u16];
        gl.extend(t.deprel.iter().map(|r| labels.binary_search(r).unwrap_or(0) as u16));
        let mut gt = vec![u16::MAX];
        gt.extend((0..t.words.len()).map(|i| tree_tags[ti].get(i).and_then(|g| gold_tags.binary_search(g).ok()).map_or(u16::MAX, |k| k as u16)));
        examples.push(Example { ins, gh, gl, gt, th: Vec::new(), tl: Vec::new(), hard: 1.0 });
    }
    if opt.distill > 0.0 && opt.arc > 0 && !teachers.is_empty() {
        if teachers.iter().any(|t| !t.is_biaffine() || t.data.labels != labels) {
            return Err("distillation: every teacher must be a biaffine parser with the training data's labels".into());
        }
        let (mut scs, mut tags): (Vec<Scratch>, Vec<&str>) = (teachers.iter().map(|_| Scratch::default()).collect(), Vec::new());
        let share = opt.distill / teachers.len() as f32;
        let mut kept = 0;
        for ((t, x), ex) in train.iter().zip(train_x).filter(|(t, _)| t.well_formed() && !t.words.is_empty()).zip(examples.iter_mut()) {
            tags.clear();
            tags.extend(x.iter().map(|s| s.as_str()));
            soft_targets(teachers, &mut scs, t, &tags, &ex.gh, clusters, share, &mut ex.th, &mut ex.tl);
            ex.hard = 1.0 - opt.distill;
            kept += 1;
        }
        log(&format!("bilstm: soft targets of {} teachers for {kept} sentences (weight {})", teachers.len(), opt.distill));
    }
    log(&format!(
        "bilstm: {} training sentences ({lifted} projectivized, {skipped} skipped), {} words in the vocabulary, {} tags, {} labels, {} weights",
        examples.len(),
        net.data.words.len(),
        net.data.tags.len(),
        labels.len(),
        net.lay.total
    ));
    let mut gr = Grad::new(net.lay.total);
    let mut adam = Adam::new(net.lay.total, opt.lr, opt.beta2);
    let mut sc = Scratch { dropout: opt.dropout, drop_seed: opt.seed ^ 0xd0d0, ..Default::default() };
    let mut aux = (opt.aux_pos > 0.0 && opt.arc > 0).then(|| {
        let (h2, nt) = (2 * net.lay.h, gold_tags.len());
        let mut arng = Rng::new(opt.seed ^ 0xa0a0);
        let a = (6.0 / (h2 + nt) as f32).sqrt();
        let mut w: Vec<f32> = (0..h2 * nt).map(|_| uniform(&mut arng, a)).collect();
        w.resize(h2 * nt + nt, 0.0);
        AuxTagger::new(w, nt, opt.aux_pos, opt.lr, opt.beta2)
    });
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut ema = if opt.ema > 0.0 { net.data.w.clone() } else { Vec::new() };
    // A continued model is the one to beat: no epoch worse than it is kept.
    let mut best: Option<(BilstmData, Attachment)> = match opt.init {
        Some(_) => {
            let a = evaluate(&net, dev, dev_x, clusters);
            log(&format!("bilstm: the model to continue: dev UAS {:.2} LAS {:.2} (base-label LAS {:.2})", a.uas(), a.las(), a.las_base()));
            Some((net.data.clone(), a))
        }
        None => None,
    };
    let mut since = 0;
    for epoch in 1..=opt.epochs {
        rng.shuffle(&mut order);
        adam.lr = opt.lr * opt.lr_decay.powi(epoch as i32 - 1);
        if let Some(aux) = aux.as_mut() {
            aux.adam.lr = adam.lr;
        }
        let exploring = epoch >= opt.explore_from;
        let mut total = 0f64;
        let mut in_batch = 0;
        for &ei in &order {
            let ex = &examples[ei];
            sc.ins.clear();
            for (i, ti) in ex.ins.iter().enumerate() {
                let mut ti = *ti;
                let r = ti.0[0] as usize;
                if i > 0 && r >= 2 && opt.word_dropout > 0.0 {
                    let c = row_count.get(r).copied().unwrap_or(0) as f32;
                    let pdrop = opt.word_dropout / (opt.word_dropout + c);
                    if unit(&mut rng) < pdrop {
                        ti.0[0] = UNK;
                    }
                }
                if i > 0 && opt.tag_dropout > 0.0 && unit(&mut rng) < opt.tag_dropout {
                    ti.0[1] = UNK;
                }
                sc.ins.push(ti);
            }
            let rate = opt.explore_rate as u64;
            let mut r2 = Rng::new(rng.next_u64());
            let mut explore = || exploring && r2.next_u64() % 1000 < rate;
            total += if opt.arc > 0 { net.biaffine_loss(ex, &mut sc, &mut gr, aux.as_mut()) } else { net.sentence_loss(ex, &mut sc, &mut gr, &mut explore) } as f64;
            in_batch += 1;
            if in_batch >= opt.batch.max(1) {
                adam.step(&mut net.data.w, &mut gr.g);
                if let Some(aux) = aux.as_mut() {
                    aux.adam.step(&mut aux.w, &mut aux.g);
                }
                average(&mut ema, &net.data.w, opt.ema);
                in_batch = 0;
            }
        }
        if in_batch > 0 {
            adam.step(&mut net.data.w, &mut gr.g);
            if let Some(aux) = aux.as_mut() {
                aux.adam.step(&mut aux.w, &mut aux.g);
            }
            average(&mut ema, &net.data.w, opt.ema);
        }
        net.build_proj();
        let mut a = evaluate(&net, dev, dev_x, clusters);
        log(&format!("bilstm epoch {epoch}: loss {:.4} per sentence, dev UAS {:.2} LAS {:.2} (base-label LAS {:.2})", total / examples.len().max(1) as f64, a.uas(), a.las(), a.las_base()));
        // The averaged weights, scored (and kept) in place of the trained ones when better.
        let mut trained = None;
        if !ema.is_empty() {
            let mut averaged = net.clone();
            averaged.data.w.copy_from_slice(&ema);
            averaged.build_proj();
            let b = evaluate(&averaged, dev, dev_x, clusters);
            log(&format!("bilstm epoch {epoch}: averaged weights: dev UAS {:.2} LAS {:.2}", b.uas(), b.las()));
            if b.las() > a.las() {
                a = b;
                trained = Some(std::mem::replace(&mut net, averaged));
            }
        }
        let better = best.as_ref().is_none_or(|b| a.las() > b.1.las());
        let keep = better.then(|| (net.data.clone(), a));
        if let Some(t) = trained {
            net = t;
        }
        if let Some((data, a)) = keep {
            save(&data, &a);
            best = Some((data, a));
            since = 0;
        } else {
            since += 1;
            if since >= opt.patience {
                break;
            }
        }
    }
    best.ok_or_else(|| "no training epochs".to_string())
}

/// The teachers' mean head probabilities of every word of `t` (rows of
/// `th`, [n × n] with the root as row 0) and their mean label
/// probabilities under each word's gold head (`tl`, [n × labels]), each
/// multiplied by `share` (the distillation weight over the number of teachers).
#[allow(clippy::too_many_arguments)]
fn soft_targets(teachers: &[BilstmParser], scs: &mut [Scratch], t: &Tree, tags: &[&str], gh: &[u32], clusters: Option<&Clusters>, share: f32, th: &mut Vec<f32>, tl: &mut Vec<f32>) {
    let n = t.words.len() + 1;
    let nl = teachers.first().map_or(0, |p| p.lay.nl);
    th.clear();
    th.resize(n * n, 0.0);
    tl.clear();
    tl.resize(n * nl, 0.0);
    for (net, sc) in teachers.iter().zip(scs.iter_mut()) {
        score_sentence(net, sc, &t.words, tags, clusters);
        for i in 1..n {
            let row = &sc.s[i * n..(i + 1) * n];
            let lse = log_sum_exp(row, i);
            for (j, out) in th[i * n..(i + 1) * n].iter_mut().enumerate() {
                if j != i {
                    *out += share * (row[j] - lse).exp();
                }
            }
            let g = gh.get(i).map_or(usize::MAX, |&g| g as usize);
            if g == 0 || g >= n || g == i {
                continue;
            }
            net.label_hidden(sc, i, g);
            let lse = log_sum_exp(&sc.lab, usize::MAX);
            for (out, &v) in tl[i * nl..(i + 1) * nl].iter_mut().zip(&sc.lab) {
                *out += share * (v - lse).exp();
            }
        }
    }
}

/// ema ← decay·ema + (1 − decay)·w (nothing when `ema` is empty).
fn average(ema: &mut [f32], w: &[f32], decay: f32) {
    for (e, &x) in ema.iter_mut().zip(w) {
        *e = decay * *e + (1.0 - decay) * x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(words: &str, heads: &[u32], rels: &str, tags: &str) -> Tree {
        let words: Vec<String> = words.split(' ').map(String::from).collect();
        Tree {
            upos: words.iter().map(|_| "X".to_string()).collect(),
            xpos: tags.split(' ').map(String::from).collect(),
            head: heads.to_vec(),
            deprel: rels.split(' ').map(String::from).collect(),
            words,
        }
    }

    fn corpus() -> Vec<Tree> {
        vec![
            tree("Police arrested two men .", &[2, 0, 4, 2, 2], "nsubj root nummod obj punct", "NNS VBD CD NNS ."),
            tree("The mayor resigned on Friday .", &[2, 3, 0, 5, 3, 3], "det nsubj root case obl punct", "DT NN VBD IN NNP ."),
            tree("Officials said the fire was contained .", &[2, 0, 6, 4, 6, 2, 2], "nsubj root det nsubj:pass aux:pass ccomp punct", "NNS VBD DT NN VBD VBN ."),
            tree("Two men were arrested .", &[2, 4, 4, 0, 4], "nummod nsubj:pass aux:pass root punct", "CD NNS VBD VBN ."),
            tree("The council approved the budget on Monday .", &[2, 3, 0, 5, 3, 7, 3, 3], "det nsubj root det obj case obl punct", "DT NN VBD DT NN IN NNP ."),
        ]
    }

    fn vt(x: f32) -> f32 {
        let mut v = [x];
        vtanh(&mut v);
        v[0]
    }

    #[test]
    fn fast_tanh_matches_libm() {
        let mut worst = 0f32;
        for i in -2000..=2000 {
            let x = i as f32 / 100.0;
            worst = worst.max((tanh1::<false>(x) - x.tanh()).abs()).max((vt(x) - x.tanh()).abs());
        }
        assert!(worst < 1e-5, "{worst}");
    }

    #[test]
    fn kernels_agree_with_plain_loops() {
        // Widths that use each path: the scalar tail, 8- and 16-column panels, 64-column panels.
        for (r, c) in [(7, 13), (5, 16), (9, 100), (6, 256), (11, 51), (3, 4)] {
            kernels_agree(r, c);
        }
    }

    fn kernels_agree(r: usize, c: usize) {
        let mut rng = Rng::new(1);
        let w: Vec<f32> = (0..r * c).map(|_| uniform(&mut rng, 1.0)).collect();
        let x: Vec<f32> = (0..r).map(|_| uniform(&mut rng, 1.0)).collect();
        let d: Vec<f32> = (0..c).map(|_| uniform(&mut rng, 1.0)).collect();
        let mut y = vec![0.5f32; c];
        gemv(&mut y, &x, &w);
        for k in 0..c {
            let want: f32 = 0.5 + (0..r).map(|j| x[j] * w[j * c + k]).sum::<f32>();
            assert!((y[k] - want).abs() < 1e-4);
        }
        // Five tokens: a block of four and one more.
        let xs: Vec<f32> = (0..5 * r).map(|_| uniform(&mut rng, 1.0)).collect();
        let mut ys = vec![0.25f32; 5 * c];
        gemm(&mut ys, &xs, &w, c);
        for t in 0..5 {
            for k in 0..c {
                let want: f32 = 0.25 + (0..r).map(|j| xs[t * r + j] * w[j * c + k]).sum::<f32>();
                assert!((ys[t * c + k] - want).abs() < 1e-4);
            }
            // Bit for bit the product of the token alone: a row's sums do
            // not depend on the block it is computed in (the parse-time
            // shortcuts rely on it).
            let mut alone = vec![0.25f32; c];
            gemv(&mut alone, &xs[t * r..(t + 1) * r], &w);
            assert_eq!(alone.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), ys[t * c..(t + 1) * c].iter().map(|v| v.to_bits()).collect::<Vec<_>>());
        }
        let mut o = vec![0f32; r];
        gemv_t(&mut o, &w, &d);
        for j in 0..r {
            let want: f32 = (0..c).map(|k| w[j * c + k] * d[k]).sum();
            assert!((o[j] - want).abs() < 1e-4);
        }
    }

    fn tiny(layers: usize, arc: usize) -> (BilstmParser, Vec<Example>) {
        let trees = corpus();
        let x: Vec<Vec<String>> = trees.iter().map(|t| t.xpos.clone()).collect();
        let dims = Dims { dw: 3, dp: 2, dc: 2, ds: 2, dx: 2, h: 3, m: 4 };
        let labels: BTreeSet<&str> = trees.iter().flat_map(|t| t.deprel.iter().map(|s| s.as_str())).collect();
        let labels: Vec<String> = labels.into_iter().map(String::from).collect();
        let tags: BTreeSet<&str> = x.iter().flat_map(|v| v.iter().map(|s| s.as_str())).collect();
        let tags: Vec<String> = tags.into_iter().map(String::from).collect();
        let mut words: Vec<u64> = trees.iter().flat_map(|t| t.words.iter().map(|w| Tok::new(w, None).lower)).collect();
        words.sort_unstable();
        words.dedup();
        let lay = Layout::new(&dims, layers, arc, words.len(), tags.len(), labels.len());
        let w = init_weights(&lay, &mut Rng::new(7));
        let net = BilstmParser::from_data(BilstmData { dims, words, tags: tags.clone(), labels: labels.clone(), clusters: 0, w, layers: layers as u32, arc: arc as u32 }).unwrap();
        let ex = trees
            .iter()
            .map(|t| {
                let mut ins = vec![TokIn([ROOTROW; 5])];
                ins.extend(t.words.iter().zip(&t.xpos).map(|(w, p)| net.tok_in(w, p, None)));
                let mut gh = vec![NONE];
                gh.extend_from_slice(&t.head);
                let mut gl = vec![0u16];
                gl.extend(t.deprel.iter().map(|r| labels.binary_search(r).unwrap() as u16));
                let mut gt = vec![u16::MAX];
                gt.extend(t.xpos.iter().map(|p| tags.binary_search(p).unwrap() as u16));
                Example { ins, gh, gl, gt, th: Vec::new(), tl: Vec::new(), hard: 1.0 }
            })
            .collect();
        (net, ex)
    }

    fn loss_of(net: &BilstmParser, exs: &[Example], gr: &mut Grad, dropout: f32) -> f32 {
        loss_with(net, exs, gr, dropout, &mut None)
    }

    fn loss_with(net: &BilstmParser, exs: &[Example], gr: &mut Grad, dropout: f32, aux: &mut Option<AuxTagger>) -> f32 {
        // A fresh scratch each time: the same dropout masks for every evaluation.
        let mut sc = Scratch { dropout, drop_seed: 11, ..Default::default() };
        let mut total = 0.0;
        for ex in exs {
            sc.ins.clear();
            sc.ins.extend_from_slice(&ex.ins);
            total += if net.is_biaffine() { net.biaffine_loss(ex, &mut sc, gr, aux.as_mut()) } else { net.sentence_loss(ex, &mut sc, gr, &mut || false) };
        }
        total
    }

    /// An auxiliary tagger with random weights over the tiny nets' tags.
    fn tiny_aux(net: &BilstmParser, weight: f32) -> AuxTagger {
        let (h2, nt) = (2 * net.lay.h, net.data.tags.len());
        let mut rng = Rng::new(5);
        let w: Vec<f32> = (0..h2 * nt + nt).map(|_| uniform(&mut rng, 0.5)).collect();
        AuxTagger::new(w, nt, weight, 0.0, 0.9)
    }

    #[test]
    fn distillation_gradients_match_finite_differences() {
        let (mut net, mut exs) = tiny(2, 5);
        let mut rng = Rng::new(13);
        let nl = net.lay.nl;
        for ex in &mut exs {
            let n = ex.ins.len();
            // Random teacher distributions, weighted 0.6 (gold 0.4).
            let mut th: Vec<f32> = (0..n * n).map(|_| uniform(&mut rng, 1.0).abs()).collect();
            for i in 0..n {
                th[i * n + i] = 0.0;
                let z: f32 = th[i * n..(i + 1) * n].iter().sum();
                th[i * n..(i + 1) * n].iter_mut().for_each(|x| *x *= 0.6 / z);
            }
            let mut tl: Vec<f32> = (0..n * nl).map(|_| uniform(&mut rng, 1.0).abs()).collect();
            for i in 0..n {
                let z: f32 = tl[i * nl..(i + 1) * nl].iter().sum();
                tl[i * nl..(i + 1) * nl].iter_mut().for_each(|x| *x *= 0.6 / z);
            }
            (ex.th, ex.tl, ex.hard) = (th, tl, 0.4);
        }
        let total = net.lay.total;
        let mut gr = Grad::new(total);
        let soft = loss_of(&net, &exs, &mut gr, 0.3);
        let analytic = gr.g.clone();
        let l = net.lay.clone();
        let idx: Vec<usize> = [l.u + 1, l.wb, l.ad + 3, l.ah + 2, l.wl + 5, l.bll + 1, l.ld + 2, l.lh + 4, l.wx[1][0] + 2].into_iter().chain((0..200).map(|_| (rng.next_u64() % total as u64) as usize)).collect();
        let eps = 2e-3f32;
        let mut nonzero = 0;
        for i in idx {
            let orig = net.data.w[i];
            net.data.w[i] = orig + eps;
            let up = loss_of(&net, &exs, &mut Grad::new(total), 0.3);
            net.data.w[i] = orig - eps;
            let down = loss_of(&net, &exs, &mut Grad::new(total), 0.3);
            net.data.w[i] = orig;
            let numeric = (up - down) / (2.0 * eps);
            nonzero += usize::from(analytic[i].abs() > 1e-3);
            assert!((analytic[i] - numeric).abs() <= 2e-2 + 5e-2 * numeric.abs(), "weight {i}: analytic {}, numeric {numeric}", analytic[i]);
        }
        assert!(nonzero > 30);
        // The soft targets change the loss (against the gold-only one).
        for ex in &mut exs {
            (ex.th, ex.tl, ex.hard) = (Vec::new(), Vec::new(), 1.0);
        }
        assert!((soft - loss_of(&net, &exs, &mut Grad::new(total), 0.3)).abs() > 1e-3);
    }

    #[test]
    fn auxiliary_tagging_gradients_match_finite_differences() {
        for layers in [1, 2] {
            let (mut net, exs) = tiny(layers, 5);
            let total = net.lay.total;
            let mut gr = Grad::new(total);
            let mut aux = Some(tiny_aux(&net, 0.7));
            let with = loss_with(&net, &exs, &mut gr, 0.3, &mut aux);
            let without = loss_of(&net, &exs, &mut Grad::new(total), 0.3);
            assert!(with > without);
            let analytic = gr.g.clone();
            let aux_analytic = aux.as_ref().unwrap().g.clone();
            let l = net.lay.clone();
            let mut rng = Rng::new(9);
            let idx: Vec<usize> = [l.wx[0][0] + 1, l.wh[0][1] + 3, l.b[0][0] + 2, l.emb[1] + 3].into_iter().chain((0..200).map(|_| (rng.next_u64() % total as u64) as usize)).collect();
            let eps = 2e-3f32;
            for i in idx {
                let orig = net.data.w[i];
                net.data.w[i] = orig + eps;
                let up = loss_with(&net, &exs, &mut Grad::new(total), 0.3, &mut Some(tiny_aux(&net, 0.7)));
                net.data.w[i] = orig - eps;
                let down = loss_with(&net, &exs, &mut Grad::new(total), 0.3, &mut Some(tiny_aux(&net, 0.7)));
                net.data.w[i] = orig;
                let numeric = (up - down) / (2.0 * eps);
                assert!((analytic[i] - numeric).abs() <= 2e-2 + 5e-2 * numeric.abs(), "layers {layers} weight {i}: analytic {}, numeric {numeric}", analytic[i]);
            }
            for (i, &analytic) in aux_analytic.iter().enumerate() {
                let mut a = tiny_aux(&net, 0.7);
                a.w[i] += eps;
                let up = loss_with(&net, &exs, &mut Grad::new(total), 0.3, &mut Some(a));
                let mut a = tiny_aux(&net, 0.7);
                a.w[i] -= eps;
                let down = loss_with(&net, &exs, &mut Grad::new(total), 0.3, &mut Some(a));
                let numeric = (up - down) / (2.0 * eps);
                assert!((analytic - numeric).abs() <= 2e-2 + 5e-2 * numeric.abs(), "aux weight {i}: analytic {analytic}, numeric {numeric}");
            }
        }
    }

    #[test]
    fn gradients_match_finite_differences() {
        check_gradients(0.0, 1);
    }

    #[test]
    fn gradients_of_two_layers_with_dropout_match_finite_differences() {
        check_gradients(0.3, 2);
    }

    #[test]
    fn gradients_with_dropout_match_finite_differences() {
        check_gradients(0.3, 1);
    }

    #[test]
    fn biaffine_gradients_match_finite_differences() {
        check_gradients_of(0.0, 1, 5);
    }

    #[test]
    fn biaffine_gradients_of_two_layers_with_dropout_match_finite_differences() {
        check_gradients_of(0.3, 2, 5);
    }

    fn check_gradients(dropout: f32, layers: usize) {
        check_gradients_of(dropout, layers, 0);
    }

    fn check_gradients_of(dropout: f32, layers: usize, arc: usize) {
        let (mut net, exs) = tiny(layers, arc);
        let total = net.lay.total;
        let mut gr = Grad::new(total);
        let base = loss_of(&net, &exs, &mut gr, dropout);
        assert!(base > 0.0);
        let analytic = gr.g.clone();
        let mut rng = Rng::new(3);
        let (mut checked, mut nonzero) = (0, 0);
        // Every tensor's first weights, then random ones.
        let l = net.lay.clone();
        let mut idx: Vec<usize> = vec![l.wx[0][0], l.wx[0][1] + 5, l.wh[0][0] + 2, l.wh[0][1] + 7, l.b[0][0], l.b[0][1] + 4, l.wx[layers - 1][1] + 3, l.wh[layers - 1][0] + 1, l.b[layers - 1][1] + 2];
        if arc > 0 {
            idx.extend([l.ad, l.ad + 7, l.bad + 1, l.ah + 3, l.bah, l.u, l.u + 6, l.wb, l.wb + 2, l.ld + 1, l.lh + 5, l.bl, l.bl + l.m + 1, l.wl + 2, l.bll + 1]);
        } else {
            idx.extend([l.pad, l.pad + 4, l.w1[0], l.w1[1] + 3, l.w1[2] + 1, l.w1[3] + 2, l.b1, l.w2s, l.b2s, l.w2l[0], l.w2l[1] + 3]);
        }
        idx.extend((0..300).map(|_| (rng.next_u64() % total as u64) as usize));
        for i in idx {
            let eps = 2e-3f32;
            let orig = net.data.w[i];
            net.data.w[i] = orig + eps;
            let mut g2 = Grad::new(total);
            let up = loss_of(&net, &exs, &mut g2, dropout);
            net.data.w[i] = orig - eps;
            let down = loss_of(&net, &exs, &mut g2, dropout);
            net.data.w[i] = orig;
            let numeric = (up - down) / (2.0 * eps);
            let a = analytic[i];
            checked += 1;
            if a.abs() > 1e-3 {
                nonzero += 1;
            }
            assert!((a - numeric).abs() <= 2e-2 + 5e-2 * numeric.abs(), "weight {i}: analytic {a}, numeric {numeric}; layout {l:?}");
        }
        assert!(nonzero > 30, "{nonzero} of {checked} gradients nonzero");
    }

    #[test]
    fn learns_invented_sentences_and_round_trips() {
        learns_and_round_trips(0);
    }

    #[test]
    fn biaffine_learns_invented_sentences_and_round_trips() {
        learns_and_round_trips(8);
    }

    /// With a moving average of the weights, the model kept is the one
    /// whose dev score is reported (the averaged or the trained weights),
    /// and training goes on from the trained ones.
    #[test]
    fn averaged_weights_are_kept_with_their_score() {
        let trees = corpus();
        let x: Vec<Vec<String>> = trees.iter().map(|t| t.xpos.clone()).collect();
        let base = BilstmTrainOptions { dims: Dims { dw: 8, dp: 4, dc: 2, ds: 4, dx: 2, h: 8, m: 16 }, epochs: 12, patience: 12, lr: 0.01, batch: 1, word_dropout: 0.0, min_count: 1, arc: 8, ..Default::default() };
        let mut logs = Vec::new();
        let opt = BilstmTrainOptions { ema: 0.9, ..base.clone() };
        let (data, a) = train(&trees, &x, &trees, &x, None, &opt, &[], &mut |l: &str| logs.push(l.to_string()), &mut |_, _| {}).unwrap();
        assert!(logs.iter().any(|l| l.contains("averaged weights")), "{logs:?}");
        let p = BilstmParser::from_data(data).unwrap();
        let b = evaluate(&p, &trees, &x, None);
        assert_eq!((a.uas(), a.las()), (b.uas(), b.las()));
        // Averaging does not change the training itself: the trained
        // weights' scores per epoch are those of a run without it.
        let mut plain = Vec::new();
        train(&trees, &x, &trees, &x, None, &base, &[], &mut |l: &str| plain.push(l.to_string()), &mut |_, _| {}).unwrap();
        let trained: Vec<&String> = logs.iter().filter(|l| !l.contains("averaged")).collect();
        assert_eq!(trained, plain.iter().collect::<Vec<_>>());
    }

    /// Continuing a model starts from its weights and its dev score: the
    /// first log line is that score, no epoch worse than it is kept, and a
    /// model with other labels is refused.
    #[test]
    fn continued_training_starts_from_the_model_and_keeps_it_unless_beaten() {
        let trees = corpus();
        let x: Vec<Vec<String>> = trees.iter().map(|t| t.xpos.clone()).collect();
        let base = BilstmTrainOptions { dims: Dims { dw: 8, dp: 4, dc: 2, ds: 4, dx: 2, h: 8, m: 16 }, epochs: 2, patience: 2, lr: 0.01, batch: 1, word_dropout: 0.0, min_count: 1, arc: 8, ..Default::default() };
        let (first, a0) = train(&trees, &x, &trees, &x, None, &base, &[], &mut |_: &str| {}, &mut |_, _| {}).unwrap();
        let mut logs = Vec::new();
        let more = BilstmTrainOptions { init: Some(first.clone()), ..base.clone() };
        let (next, a1) = train(&trees, &x, &trees, &x, None, &more, &[], &mut |l: &str| logs.push(l.to_string()), &mut |_, _| {}).unwrap();
        let start = format!("the model to continue: dev UAS {:.2} LAS {:.2}", a0.uas(), a0.las());
        assert!(logs.iter().any(|l| l.contains(&start)), "{start} not in {logs:?}");
        assert!(a1.las() >= a0.las());
        assert_eq!(next.words, first.words);
        // With a learning rate of 0 no epoch can beat it: the model is kept as it was.
        let frozen = BilstmTrainOptions { init: Some(first.clone()), lr: 0.0, ..base.clone() };
        let (same, _) = train(&trees, &x, &trees, &x, None, &frozen, &[], &mut |_: &str| {}, &mut |_, _| {}).unwrap();
        assert_eq!(same.w, first.w);
        let mut other = first.clone();
        other.labels.push("zz".into());
        let bad = BilstmTrainOptions { init: Some(other), ..base };
        assert!(train(&trees, &x, &trees, &x, None, &bad, &[], &mut |_: &str| {}, &mut |_, _| {}).is_err());
    }

    /// Tag dropout changes what the net is trained on, and stays deterministic.
    #[test]
    fn tag_dropout_is_seeded_and_off_by_default() {
        let trees = corpus();
        let x: Vec<Vec<String>> = trees.iter().map(|t| t.xpos.clone()).collect();
        let base = BilstmTrainOptions { dims: Dims { dw: 8, dp: 4, dc: 2, ds: 4, dx: 2, h: 8, m: 16 }, epochs: 3, patience: 3, lr: 0.01, batch: 1, min_count: 1, arc: 8, ..Default::default() };
        let run = |o: &BilstmTrainOptions| train(&trees, &x, &trees, &x, None, o, &[], &mut |_: &str| {}, &mut |_, _| {}).unwrap().0.w;
        let dropped = BilstmTrainOptions { tag_dropout: 0.3, ..base.clone() };
        let (w0, w1, w2) = (run(&base), run(&dropped), run(&dropped));
        assert_eq!(w1, w2);
        assert_ne!(w0, w1);
    }

    /// Every head assignment of `n` tokens (token 0 the root) that is a
    /// projective tree with one child of the root.
    fn projective_trees(n: usize) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        let mut heads = vec![0u32; n];
        fn rec(i: usize, n: usize, heads: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
            if i == n {
                let reaches_root = (1..n).all(|d| {
                    let (mut x, mut steps) = (d, 0);
                    while x != 0 && steps <= n {
                        x = heads[x] as usize;
                        steps += 1;
                    }
                    x == 0
                });
                let one_root = (1..n).filter(|&d| heads[d] == 0).count() == 1;
                // Projective: every word between a head and its dependent descends from the head.
                let descends = |mut x: usize, h: usize| {
                    let mut steps = 0;
                    while x != h && x != 0 && steps <= n {
                        x = heads[x] as usize;
                        steps += 1;
                    }
                    x == h
                };
                let projective = (1..n).all(|d| {
                    let h = heads[d] as usize;
                    (d.min(h) + 1..d.max(h)).all(|k| descends(k, h))
                });
                if reaches_root && one_root && projective {
                    out.push(heads.clone());
                }
                return;
            }
            for h in 0..n {
                if h != i {
                    heads[i] = h as u32;
                    rec(i + 1, n, heads, out);
                }
            }
        }
        rec(1, n, &mut heads, &mut out);
        out
    }

    #[test]
    fn eisner_finds_the_best_projective_tree_with_one_root_child() {
        let mut rng = Rng::new(5);
        let mut e = Eisner::default();
        let mut heads = Vec::new();
        for n in 2..=6 {
            let trees = projective_trees(n);
            for _ in 0..20 {
                let s: Vec<f32> = (0..n * n).map(|_| uniform(&mut rng, 3.0)).collect();
                let score = |hs: &[u32]| (1..n).map(|d| s[d * n + hs[d] as usize]).sum::<f32>();
                let best = trees.iter().map(|t| score(t)).fold(f32::NEG_INFINITY, f32::max);
                e.decode(n, &s, &mut heads);
                assert!(trees.contains(&heads), "{heads:?} is not a projective one-root tree");
                assert!((score(&heads) - best).abs() < 1e-4, "n {n}: {} < {best}", score(&heads));
            }
        }
        // NaN scores still give a tree.
        e.decode(5, &[f32::NAN; 25], &mut heads);
        assert!(projective_trees(5).contains(&heads));
    }

    /// The biaffine parse as first written: every product for every token
    /// (`arc_forward`, as in training), each label scored on its own.
    fn reference_parse(net: &BilstmParser, words: &[&str], tags: &[&str]) -> (Vec<(u32, u16)>, Vec<f32>) {
        let mut sc = Scratch::default();
        sc.ins.push(TokIn([ROOTROW; 5]));
        sc.ins.extend(words.iter().zip(tags).map(|(w, t)| net.tok_in(w, t, None)));
        let n = sc.ins.len();
        net.encode(&mut sc, false);
        net.arc_forward(&mut sc);
        if n <= EISNER_MAX {
            net.score_all(&mut sc);
            let mut heads = Vec::new();
            sc.eisner.decode(n, &sc.s, &mut heads);
            sc.heads = heads;
        } else {
            net.greedy_heads(&mut sc);
        }
        let scores = if n <= EISNER_MAX { sc.s.clone() } else { Vec::new() };
        let mut out = Vec::new();
        for i in 1..n {
            let hd = sc.heads[i] as usize;
            let lab = match net.root {
                Some(r) if hd == 0 => r,
                _ => {
                    net.label_hidden(&mut sc, i, hd);
                    let mut best = (f32::NEG_INFINITY, net.nonroot);
                    for (k, &x) in sc.lab.iter().enumerate() {
                        if (hd == 0 || Some(k as u16) != net.root) && x > best.0 {
                            best = (x, k as u16);
                        }
                    }
                    best.1
                }
            };
            out.push((hd as u32, lab));
        }
        (out, scores)
    }

    #[test]
    fn parse_time_shortcuts_give_the_reference_parse_bit_for_bit() {
        // Random weights: many different heads and labels. Sentence lengths
        // around the kernels' blocks of 4 rows, and one over EISNER_MAX.
        let (net, _) = tiny(2, 5);
        let pool = ["Police", "arrested", "two", "men", "in", "the", "city", "."];
        let ptags = ["NNS", "VBD", "CD", "NNS", "IN", "DT", "NN", "."];
        let mut sc = Scratch::default();
        let mut labels_seen = BTreeSet::new();
        for len in (1..=13).chain([EISNER_MAX + 9]) {
            let words: Vec<&str> = (0..len).map(|i| pool[(i * 5 + len) % pool.len()]).collect();
            let tags: Vec<&str> = (0..len).map(|i| ptags[(i * 5 + len) % pool.len()]).collect();
            let (want, scores) = reference_parse(&net, &words, &tags);
            let mut got = Vec::new();
            net.parse_words(&words, &tags, None, &mut sc, &mut got);
            assert_eq!(got, want, "{len} words");
            if len < EISNER_MAX {
                let n = len + 1;
                assert_eq!(sc.s[n..n * n].iter().map(|x| x.to_bits()).collect::<Vec<_>>(), scores[n..n * n].iter().map(|x| x.to_bits()).collect::<Vec<_>>());
            }
            labels_seen.extend(got.iter().map(|x| x.1));
        }
        assert!(labels_seen.len() >= 2, "the random net should give several labels");
    }

    #[test]
    fn joint_tag_models_read_joint_tags_and_fall_back_from_bare_xpos() {
        let (net, _) = tiny(1, 5);
        assert!(!net.reads_joint_pos());
        // An XPOS model given a joint tag reads its XPOS part.
        assert_eq!(net.tok_in("men", "NOUN NNS", None), net.tok_in("men", "NNS", None));
        let mut d = net.data.clone();
        d.tags = vec!["AUX VBZ".into(), "NOUN NN".into(), "PROPN NN".into(), "VERB VBZ".into()];
        let lay = Layout::new(&d.dims, d.layers as usize, d.arc as usize, d.words.len(), d.tags.len(), d.labels.len());
        d.w = init_weights(&lay, &mut Rng::new(3));
        let joint = BilstmParser::from_data(d).unwrap();
        assert!(joint.reads_joint_pos());
        assert_eq!(joint.tok_in("is", "AUX VBZ", None).0[1], 2);
        assert_eq!(joint.tok_in("runs", "VERB VBZ", None).0[1], 5);
        // A bare XPOS: the joint tag with the usual UPOS.
        assert_eq!(joint.tok_in("runs", "VBZ", None).0[1], 5);
        assert_eq!(joint.tok_in("dog", "NN", None).0[1], 3);
        assert_eq!(joint.tok_in("dog", "JJ", None).0[1], UNK);
        assert_eq!(joint.tok_in("dog", "ADJ JJ", None).0[1], UNK);
    }

    #[test]
    fn long_sentences_fall_back_to_a_tree() {
        let (net, _) = tiny(1, 5);
        let words: Vec<String> = (0..EISNER_MAX + 40).map(|i| ["Police", "arrested", "two", "men", "."][i % 5].to_string()).collect();
        let words: Vec<&str> = words.iter().map(|s| s.as_str()).collect();
        let tags: Vec<&str> = words.iter().map(|_| "NN").collect();
        let mut sc = Scratch::default();
        let mut out = Vec::new();
        net.parse_words(&words, &tags, None, &mut sc, &mut out);
        assert_eq!(out.len(), words.len());
        assert_eq!(out.iter().filter(|&&(h, _)| h == 0).count(), 1);
        for d in 1..=words.len() {
            let (mut x, mut steps) = (d, 0);
            while x != 0 && steps <= words.len() {
                x = out[x - 1].0 as usize;
                steps += 1;
            }
            assert_eq!(x, 0, "word {d} does not reach the root");
        }
    }

    fn learns_and_round_trips(arc: usize) {
        let trees = corpus();
        let x: Vec<Vec<String>> = trees.iter().map(|t| t.xpos.clone()).collect();
        let opt = BilstmTrainOptions { dims: Dims { dw: 8, dp: 4, dc: 2, ds: 4, dx: 2, h: 8, m: 16 }, epochs: 40, patience: 40, lr: 0.01, batch: 1, word_dropout: 0.0, min_count: 1, arc, ..Default::default() };
        let (data, a) = train(&trees, &x, &trees, &x, None, &opt, &[], &mut |_| {}, &mut |_, _| {}).unwrap();
        assert!(a.uas() > 90.0, "training-set UAS {}", a.uas());
        let bytes = crate::nlp::format::encode(KIND_BILSTM, &data).unwrap();
        assert!(is_bilstm_file(&bytes));
        let p = decode("test", &bytes).unwrap();
        assert_eq!(p.is_biaffine(), arc > 0);
        if arc == 0 {
            // A file written before the biaffine head (no `arc` field) still reads, as a transition parser.
            let old = (data.dims, &data.words, &data.tags, &data.labels, data.clusters, &data.w, data.layers);
            let old_bytes = crate::nlp::format::encode(KIND_BILSTM, &old).unwrap();
            assert_eq!(decode("old", &old_bytes).unwrap().data, data);
        }
        let b = evaluate(&p, &trees, &x, None);
        assert_eq!(a.uas(), b.uas());
        assert_eq!(a.las(), b.las());
        let mut sc = Scratch::default();
        let mut out = Vec::new();
        // Side by side (`parse_batch`, sentences of different lengths and an
        // empty one) gives what one at a time gives: the same arcs from
        // bit-identical BiLSTM vectors.
        let owned: Vec<(Vec<&str>, Vec<&str>)> = trees.iter().map(|t| (t.words.iter().map(|w| w.as_str()).collect(), t.xpos.iter().map(|w| w.as_str()).collect())).collect();
        let mut sentences: Vec<(&[&str], &[&str])> = owned.iter().map(|(w, t)| (w.as_slice(), t.as_slice())).collect();
        sentences.insert(1, (&[], &[]));
        let mut batch = Batch::default();
        let mut outs = Vec::new();
        p.parse_batch(&sentences, None, &mut batch, &mut outs);
        assert_eq!(outs.len(), sentences.len());
        for (k, &(words, tags)) in sentences.iter().enumerate() {
            p.parse_words(words, tags, None, &mut sc, &mut out);
            assert_eq!(out, outs[k], "sentence {k}");
            let i = batch.order.iter().position(|&o| o == k).unwrap();
            if !words.is_empty() && arc > 0 {
                assert_eq!(sc.vl, batch.scratch[i].vl, "sentence {k}");
            }
        }
        // Any input parses to one root and heads inside the sentence.
        for words in [vec![], vec!["🙂"], vec!["\u{202e}abc", "e\u{301}", "\"", "(", "x"]] {
            let tags: Vec<&str> = words.iter().map(|_| "NN").collect();
            p.parse_words(&words, &tags, None, &mut sc, &mut out);
            assert_eq!(out.len(), words.len());
            assert!(out.iter().all(|&(h, _)| h as usize <= words.len()));
            if !words.is_empty() {
                assert_eq!(out.iter().filter(|&&(h, _)| h == 0).count(), 1);
            }
        }
        assert!(decode("junk", b"NGMODEL\0PNN\0\x02\0\0\0junk").is_err());
    }
}
