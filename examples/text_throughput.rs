//! Throughput of layout + tokenization + sentence splitting (`text::analyze`)
//! on a directory of plain-text articles, and a count of lines classed as
//! furniture (for eyeballing false positives on clean corpora).
//!
//! cargo run --release --example text_throughput -- /work/shared/data/bbc [--furniture]
//! cargo run --release --example text_throughput -- --dump article.txt   (sentences, tokens split by '|')
//! cargo run --release --example text_throughput -- --ud en_ewt-ud-dev.conllu   (sentence boundary P/R/F1)

use newsgraph::text::{analyze, load::txt_files, ParagraphKind};
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--ud") {
        for f in &args[1..] {
            ud_sentence_eval(f);
        }
        return;
    }
    if args.first().is_some_and(|a| a == "--dump") {
        for f in &args[1..] {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let a = analyze(&text);
            for s in &a.sentences {
                let toks: Vec<&str> = a.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| t.text(&text))
                    .collect();
                println!("[{:?}] {}", a.paragraphs[s.paragraph].kind, toks.join("|"));
            }
        }
        return;
    }
    let dir = args.first().map_or("/work/shared/data/bbc", String::as_str);
    let show = args.iter().any(|a| a == "--furniture");
    let files = match txt_files(Path::new(dir)) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let docs: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let words: usize = docs.iter().map(|d| d.split_whitespace().count()).sum();
    // Stage by stage (CPU time of this thread, so a loaded machine does not distort it).
    let stage = |name: &str, f: &dyn Fn(&str) -> usize| {
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..5 {
            let t = cpu_seconds();
            n = docs.iter().map(|d| f(d)).sum::<usize>();
            best = best.min(cpu_seconds() - t);
        }
        println!(
            "{name:>10}: {n:>8} items, {:.3} s CPU = {:.2} M words/s",
            best,
            words as f64 / best / 1e6
        );
    };
    stage("layout", &|d| newsgraph::text::layout::paragraphs(d).len());
    stage("tokenize", &|d| newsgraph::text::tokens::tokenize(d).len());
    stage("tok+sent", &|d| {
        let t = newsgraph::text::tokens::tokenize(d);
        let mut r = Vec::new();
        newsgraph::text::sentences::split_tokens(d, &t, &mut r);
        r.len()
    });
    stage("analyze", &|d| analyze(d).tokens.len());
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let (mut toks, mut sents, mut furn) = (0, 0, 0);
    for _ in 0..5 {
        let t = Instant::now();
        let c = cpu_seconds();
        toks = 0;
        sents = 0;
        furn = 0;
        for d in &docs {
            let a = analyze(d);
            toks += a.tokens.len();
            sents += a.sentences.len();
            furn += a.paragraphs.iter().filter(|p| p.is_furniture()).count();
        }
        best = best.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_seconds() - c);
    }
    println!(
        "{} docs, {:.1} MB, {} words (whitespace), {} tokens, {} sentences, {} furniture lines",
        docs.len(),
        bytes as f64 / 1e6,
        words,
        toks,
        sents,
        furn
    );
    println!("analyze, best of 5: wall {:.3} s = {:.2} M words/s; CPU {:.3} s = {:.2} M words/s, {:.1} MB/s",
        best, words as f64 / best / 1e6, best_cpu, words as f64 / best_cpu / 1e6, bytes as f64 / best_cpu / 1e6);
    if show {
        for (d, p) in docs.iter().zip(&files) {
            for para in analyze(d).paragraphs {
                if let ParagraphKind::Furniture(r) = para.kind {
                    println!(
                        "{}\t{}\t{}",
                        p.display(),
                        r.as_str(),
                        &d[para.start..para.end]
                    );
                }
            }
        }
    }
}

/// CPU time of the current thread (Linux schedstat, ns); wall time elsewhere.
fn cpu_seconds() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
        })
        .map_or_else(
            || START.get_or_init(Instant::now).elapsed().as_secs_f64(),
            |ns| ns as f64 / 1e9,
        )
}

/// Sentence boundaries against a CoNLL-U treebank: each `# newpar` paragraph
/// is rebuilt by joining its `# text` lines with a space; scored are the
/// boundaries inside paragraphs (byte offsets of sentence ends).
fn ud_sentence_eval(path: &str) {
    let data = std::fs::read_to_string(path).unwrap_or_default();
    let mut paras: Vec<Vec<String>> = Vec::new();
    for line in data.lines() {
        let new_par =
            line.starts_with("# newpar") || line.starts_with("# newdoc") || paras.is_empty();
        if new_par && paras.last().is_none_or(|p| !p.is_empty()) {
            paras.push(Vec::new());
        }
        if let Some(t) = line.strip_prefix("# text = ") {
            if let Some(p) = paras.last_mut() {
                p.push(t.to_string());
            }
        }
    }
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let mut sents = 0;
    for p in paras.iter().filter(|p| !p.is_empty()) {
        let text = p.join(" ");
        let mut gold = std::collections::BTreeSet::new();
        let mut off = 0;
        for t in &p[..p.len() - 1] {
            off += t.len();
            gold.insert(off);
            off += 1;
        }
        sents += p.len();
        let ours = newsgraph::text::sentences::split(&text);
        let ours: std::collections::BTreeSet<usize> = ours
            .iter()
            .take(ours.len().saturating_sub(1))
            .map(|&(_, e)| e)
            .collect();
        if std::env::var_os("UD_SHOW").is_some() {
            for &b in ours.symmetric_difference(&gold) {
                let lo = text.floor_char_boundary(b.saturating_sub(40));
                let hi = text.ceil_char_boundary((b + 30).min(text.len()));
                let kind = if gold.contains(&b) { "FN" } else { "FP" };
                println!("{kind}\t{}⟂{}", &text[lo..b], &text[b..hi]);
            }
        }
        tp += ours.intersection(&gold).count();
        fp += ours.difference(&gold).count();
        fneg += gold.difference(&ours).count();
    }
    let pr = tp as f64 / (tp + fp).max(1) as f64;
    let rc = tp as f64 / (tp + fneg).max(1) as f64;
    println!(
        "{path}: {sents} sentences; internal boundaries P {:.3} R {:.3} F1 {:.3} (tp {tp}, fp {fp}, fn {fneg})",
        pr,
        rc,
        2.0 * pr * rc / (pr + rc).max(1e-9)
    );
}
