//! Throughput of layout + tokenization + sentence splitting (`text::analyze`)
//! on a directory of plain-text articles, and a count of lines classed as
//! furniture (for eyeballing false positives on clean corpora).
//!
//! cargo run --release --example text_throughput -- /work/shared/data/bbc [--furniture]
//! cargo run --release --example text_throughput -- --dump article.txt   (sentences, tokens split by '|')

use newsgraph::text::{analyze, ParagraphKind};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--dump") {
        for f in &args[1..] {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let a = analyze(&text);
            for s in &a.sentences {
                let toks: Vec<&str> = a.tokens[s.tokens.clone()].iter().map(|t| t.text(&text)).collect();
                println!("[{:?}] {}", a.paragraphs[s.paragraph].kind, toks.join("|"));
            }
        }
        return;
    }
    let dir = args.first().map_or("/work/shared/data/bbc", String::as_str);
    let show = args.iter().any(|a| a == "--furniture");
    let mut files = Vec::new();
    collect(Path::new(dir), &mut files);
    let docs: Vec<String> = files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let words: usize = docs.iter().map(|d| d.split_whitespace().count()).sum();
    let mut best = f64::MAX;
    let (mut toks, mut sents, mut furn) = (0, 0, 0);
    for _ in 0..5 {
        let t = Instant::now();
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
    }
    println!(
        "{} docs, {:.1} MB, {} words (whitespace), {} tokens, {} sentences, {} furniture lines",
        docs.len(), bytes as f64 / 1e6, words, toks, sents, furn
    );
    println!("best of 5: {:.3} s = {:.2} M words/s, {:.1} MB/s", best, words as f64 / best / 1e6, bytes as f64 / best / 1e6);
    if show {
        for (d, p) in docs.iter().zip(&files) {
            for para in analyze(d).paragraphs {
                if let ParagraphKind::Furniture(r) = para.kind {
                    println!("{}\t{}\t{}", p.display(), r.as_str(), &d[para.start..para.end]);
                }
            }
        }
    }
}
