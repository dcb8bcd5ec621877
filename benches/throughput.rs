//! Throughput of each stage, one thread: tokenization (layout + tokens +
//! sentences), tagging (POS and NER), the whole build (text → graph), graph
//! merge, JSON export and loading a graph back from JSON Lines.
//!
//!   cargo bench --bench throughput                 # BBC articles when ../shared/data/bbc exists, else invented text
//!   cargo bench --bench throughput -- DIR [ROUNDS]  # any tree of .txt articles
//!
//! With ../shared/data/conll2003/eng.testa present, also NER and POS alone
//! on its 51,362 gold tokens (best of at least 5 rounds for NER).
//!
//! Times are CPU seconds of this thread (best of ROUNDS, default 3), so a
//! loaded machine distorts them less than wall-clock time would. Plain
//! harness: no benchmark framework, nothing to download.

use newsgraph::export::json::JsonWriter;
use newsgraph::graph::{load::read_graph, Graph};
use newsgraph::pipeline::Pipeline;
use newsgraph::text::{analyze, load::txt_files, Document};
use std::path::{Path, PathBuf};
use std::time::Instant;

// The same allocator as the newsgraph binary, so the figures match the CLI's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Invented news-like articles, for machines without the BBC data.
fn invented(n: usize) -> Vec<(String, String)> {
    let people = ["Anna Keller", "Tomas Varga", "Leila Haddad", "Peter Olsen", "Maria Costa"];
    let places = ["Vienna", "Lisbon", "Nairobi", "Oslo", "Toronto"];
    let orgs = ["the Ministry of Transport", "Northwind Bank", "the city council", "the European Commission"];
    (0..n)
        .map(|i| {
            let (p, q, l, o) = (people[i % 5], people[(i + 2) % 5], places[i % 5], orgs[i % 4]);
            let mut t = format!("{o} announces new rail plan for {l}\n\n");
            for k in 0..12 {
                t.push_str(&format!(
                    "{p} said on Tuesday that {o} would spend ${k}.5bn on new lines in {l} by 2027. \
                     \"We have waited long enough,\" {q} told reporters after a meeting in {l}. \
                     Critics warned that costs could rise, according to a report published last year.\n"
                ));
            }
            (format!("invented/{i:04}.txt"), t)
        })
        .collect()
}

/// CPU time of the current thread (Linux schedstat, ns); wall time elsewhere.
fn cpu_seconds() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()))
        .map_or_else(|| START.get_or_init(Instant::now).elapsed().as_secs_f64(), |ns| ns as f64 / 1e9)
}

/// Runs `f` `rounds` times; prints the best time as `per_s` units per second.
fn stage<T>(name: &str, rounds: usize, units: f64, unit: &str, mut f: impl FnMut() -> T) -> T {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..rounds.max(1) {
        let t = cpu_seconds();
        let r = f();
        best = best.min(cpu_seconds() - t);
        out = Some(r);
    }
    println!("{name:<22}{best:>9.3} s{:>14.0} {unit}/s", units / best.max(1e-9));
    match out {
        Some(r) => r,
        None => f(),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; everything else is ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bbc");
    let dir = args.first().map(PathBuf::from).unwrap_or(default);
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    // A missing or unreadable tree means "no articles": fall back to invented text.
    let files = txt_files(&dir).unwrap_or_else(|e| {
        println!("{e}");
        Vec::new()
    });
    let named: Vec<(String, String)> = if files.is_empty() {
        println!("no articles under {} (BBC data absent): invented text", dir.display());
        invented(300)
    } else {
        files
            .iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                Some((p.strip_prefix(&dir).unwrap_or(p).display().to_string(), text))
            })
            .collect()
    };
    let docs: Vec<Document> = named
        .into_iter()
        .map(|(id, text)| Document::plain(id, text))
        .collect();
    let words = docs.iter().map(|d| d.text.split_whitespace().count()).sum::<usize>() as f64;
    println!("{} articles, {} words ({}), best of {rounds}, CPU time of one thread", docs.len(), words, dir.display());
    println!("{:<22}{:>11}{:>22}", "stage", "seconds", "throughput");

    let load = Instant::now();
    let pipeline = match Pipeline::bundled() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot load the bundled models: {e}");
            std::process::exit(1);
        }
    };
    println!("{:<22}{:>9.3} s", "load models", load.elapsed().as_secs_f64());
    // Warm up once-initialized lexicons and gazetteers outside the timings.
    if let Some(d) = docs.first() {
        pipeline.process(d);
    }

    let analyses = stage("tokenize+sentences", rounds, words, "words", || {
        docs.iter().map(|d| analyze(&d.text)).collect::<Vec<_>>()
    });
    let models = pipeline.models();
    stage("tag POS", rounds, words, "words", || {
        docs.iter().zip(&analyses).map(|(d, a)| models.tag_pos(&d.text, a).map_or(0, |t| t.len())).sum::<usize>()
    });
    stage("tag NER", rounds, words, "words", || {
        docs.iter().zip(&analyses).map(|(d, a)| models.tag_entities(&d.text, a).map_or(0, |t| t.len())).sum::<usize>()
    });
    // NER alone on CoNLL-2003 eng.testa (gold tokens and sentences, the
    // issue's speed target): the tagger's own work, no tokenizer.
    let testa = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/conll2003/eng.testa");
    if let Ok(text) = std::fs::read_to_string(&testa) {
        let docs = newsgraph::nlp::conll::read_conll(&text);
        let flat: Vec<_> = docs.iter().map(|d| newsgraph::nlp::train::flatten(d)).collect();
        let tokens = flat.iter().map(|(w, _)| w.len()).sum::<usize>() as f64;
        let mut sc = newsgraph::nlp::tagger::Scratch::default();
        stage("NER alone (testa)", rounds.max(5), tokens, "tokens", || {
            flat.iter().map(|(w, s)| models.ner_classes(w, s, &mut sc).map_or(0, |c| c.len())).sum::<usize>()
        });
        stage("POS alone (testa)", rounds, tokens, "tokens", || {
            flat.iter().map(|(w, s)| models.pos_classes(w, s, &mut sc).map_or(0, |c| c.len())).sum::<usize>()
        });
    }
    let graphs = stage("build (whole)", rounds, words, "words", || {
        docs.iter().map(|d| pipeline.process(d)).collect::<Vec<Graph>>()
    });
    let items = graphs.iter().map(|g| g.node_count() + g.edge_count()).sum::<usize>() as f64;
    let merged = stage("merge graphs", rounds, items, "items", || {
        let mut all = Graph::new();
        for g in graphs.iter().cloned() {
            all.merge(g);
        }
        all
    });
    let jsonl = stage("export JSON Lines", rounds, items, "items", || {
        let mut buf = Vec::with_capacity(1 << 20);
        for g in &graphs {
            let _ = JsonWriter::for_writer(&mut buf).serialize_graph(g).and_then(|w| w.finish());
        }
        buf
    });
    let merged_items = (merged.node_count() + merged.edge_count()) as f64;
    stage("export merged JSON", rounds, merged_items, "items", || {
        let mut buf = Vec::with_capacity(jsonl.len());
        let _ = JsonWriter::for_writer(&mut buf).serialize_graph(&merged).and_then(|w| w.finish());
        buf.len()
    });
    let loaded = stage("load graph JSONL", rounds, items, "items", || {
        let mut g = Graph::new();
        if let Err(e) = read_graph(jsonl.as_slice(), "bench", &mut g) {
            eprintln!("loading failed: {e}");
        }
        g
    });
    println!(
        "{} per-document graphs, {} items, {:.1} MB of JSON Lines; merged: {} nodes, {} edges (loaded back: {} nodes)",
        graphs.len(),
        items,
        jsonl.len() as f64 / 1e6,
        merged.node_count(),
        merged.edge_count(),
        loaded.node_count()
    );
}
