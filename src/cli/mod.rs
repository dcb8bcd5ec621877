//! The command line: parses arguments and calls the library. No logic of its own.

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use newsgraph::export::{self, ExportOptions, Format, GraphMlProfile, Output};
use newsgraph::graph::Graph;
use newsgraph::pipeline::Pipeline;
use newsgraph::text::load::{load_inputs, parse_date, LoadOptions};
use newsgraph::text::InputSpec;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the pipeline allocates many small strings (ids, spans) per
/// document, and the system allocator was about a tenth of the run time.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod attribution;
mod content;
mod events;
mod gazetteer;
mod nlp;
mod parser;
mod query;
mod timex;

const BUILD_EXAMPLES: &str = "\
Examples:
  newsgraph build examples/article.txt --date 2024-12-19
  newsgraph build examples/article.txt --date 2024-12-19 -o article.graphml
  newsgraph build examples/article.txt --date 2024-12-19 -o article.html   # interactive viewer
  newsgraph build --jsonl corpus.jsonl --per-document -o graphs.jsonl
  cat article.txt | newsgraph build - --format jsonld";

#[derive(Parser)]
#[command(name = "newsgraph", version, about = "Turns news articles into an event knowledge graph: people, organizations, places, events, times, and who said what.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a graph from articles.
    #[command(after_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Merge graphs (JSON, or JSON Lines of per-document graphs) by node and edge id.
    #[command(after_help = "Examples:\n  newsgraph merge a.json b.json -o all.json\n  newsgraph merge graphs.jsonl -o all.graphml\n  cat graphs.jsonl | newsgraph merge - -o all.json")]
    Merge(MergeArgs),
    /// Ask a graph: entities, relations, who said what, what happened where and when.
    #[command(after_help = query::EXAMPLES)]
    Query(query::QueryArgs),
    /// Tag CoNLL column files with named entities (IOB2), one more column per line.
    Tag(nlp::TagArgs),
    /// Dependency-parse CoNLL-U: predicted UPOS, XPOS, HEAD and DEPREL on every word line.
    Parse(parser::ParseArgs),
    /// Train a model from the shared corpora.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Score a model or extractor on a dev split.
    #[command(subcommand)]
    Eval(EvalCommand),
}

#[derive(Subcommand)]
enum TrainCommand {
    /// Part-of-speech tagger (UD EWT).
    Pos(nlp::TrainPosArgs),
    /// Named-entity tagger (CoNLL-2003).
    Ner(nlp::TrainNerArgs),
    /// Word clusters from unlabeled text.
    Clusters(nlp::TrainClustersArgs),
    /// Attribution cue lexicon (PolNeAR).
    Cues(attribution::TrainCuesArgs),
    /// Attribution content-end model (PolNeAR).
    Content(content::TrainContentArgs),
    /// Compile the gazetteer from GeoNames and country data.
    Gazetteer(gazetteer::GazetteerArgs),
    /// Event trigger classifier (TimeML EVENTs).
    Events(events::TrainEventsArgs),
    /// Dependency parser (UD EWT).
    Parser(parser::TrainParserArgs),
}

#[derive(Subcommand)]
enum EvalCommand {
    /// POS accuracy on a CoNLL-U file.
    Pos(nlp::EvalPosArgs),
    /// NER exact-span precision, recall and F1 on a CoNLL file.
    Ner(nlp::EvalNerArgs),
    /// Time expressions on TimeML files.
    Timex(timex::EvalTimexArgs),
    /// Attribution on brat files.
    Attribution(attribution::EvalAttributionArgs),
    /// Event triggers on TimeML files: strict and relaxed span P/R/F1.
    Events(events::EvalEventsArgs),
    /// Dependency parser: UAS and LAS on a CoNLL-U file.
    Parser(parser::EvalParserArgs),
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Article files (UTF-8 text, first non-empty line is the headline), or - for standard input.
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,
    /// Publication date YYYY-MM-DD: the anchor for relative times ("on Tuesday").
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Inputs are JSON Lines: {"id", "text", "date", "title", "url"} per line (only text is required).
    #[arg(long)]
    jsonl: bool,
    /// Write one JSON graph per article, as JSON Lines, in input order.
    #[arg(long)]
    per_document: bool,
    /// Output format (default: from the extension of -o, else json). csv writes
    /// NAME.nodes.csv, NAME.edges.csv, NAME.schema.cypher for -o NAME.csv, or files in -o DIR.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Output file (default: standard output). Written atomically.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// GraphML flavour: yed adds yFiles shapes, colours and labels.
    #[arg(long, value_enum, default_value = "plain")]
    graphml_profile: GraphMlProfile,
    /// Add the articles to this existing graph and write it back (atomically).
    #[arg(long, value_name = "GRAPH", conflicts_with_all = ["per_document", "output"])]
    into: Option<PathBuf>,
    /// Parse every sentence (dependency parser): events read verbs' subjects and
    /// objects from it. Off by default: parsing is slower than the rest of the pipeline.
    #[arg(long)]
    parse: bool,
    /// Parser model for --parse instead of the bundled biaffine one
    /// (models/parser-biaffine.bin), e.g. the linear models/parser.bin
    /// (faster, less accurate) or a parser of your own. Implies --parse.
    #[arg(long, value_name = "FILE")]
    parser: Option<PathBuf>,
    /// Worker threads (default: all cores). The output is the same for every value.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Replace invalid UTF-8 with U+FFFD instead of stopping.
    #[arg(long)]
    lossy: bool,
    /// Report bad documents (JSON Lines) and go on instead of stopping.
    #[arg(long)]
    skip_bad: bool,
    /// Largest document accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    max_bytes: usize,
}

#[derive(clap::Args)]
struct MergeArgs {
    /// Graph files: newsgraph JSON, or JSON Lines with one graph per line; - for standard input.
    #[arg(value_name = "GRAPH", required = true)]
    inputs: Vec<PathBuf>,
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// GraphML flavour: yed adds yFiles shapes, colours and labels.
    #[arg(long, value_enum, default_value = "plain")]
    graphml_profile: GraphMlProfile,
}

pub fn run() -> anyhow::Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return Ok(ExitCode::from(code));
        }
    };
    match cli.command {
        Command::Build(a) => build(a),
        Command::Merge(a) => merge(a),
        Command::Query(a) => query::run(a),
        Command::Tag(a) => nlp::tag(a),
        Command::Parse(a) => parser::parse(a),
        Command::Train(t) => match t {
            TrainCommand::Pos(a) => nlp::train_pos(a),
            TrainCommand::Ner(a) => nlp::train_ner(a),
            TrainCommand::Clusters(a) => nlp::train_clusters(a),
            TrainCommand::Cues(a) => attribution::train_cues(a),
            TrainCommand::Content(a) => content::train(a),
            TrainCommand::Gazetteer(a) => gazetteer::compile(a),
            TrainCommand::Events(a) => events::train(a),
            TrainCommand::Parser(a) => parser::train(a),
        },
        Command::Eval(e) => match e {
            EvalCommand::Pos(a) => nlp::eval_pos(a),
            EvalCommand::Ner(a) => nlp::eval_ner(a),
            EvalCommand::Timex(a) => timex::eval(a),
            EvalCommand::Attribution(a) => attribution::eval(a),
            EvalCommand::Events(a) => events::eval(a),
            EvalCommand::Parser(a) => parser::eval(a),
        },
    }
}

fn output_and_format(output: Option<PathBuf>, format: Option<Format>) -> (Output, Format) {
    let fmt = format
        .or_else(|| output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Json);
    (output.map(Output::File).unwrap_or(Output::Stdout), fmt)
}

/// Writes a whole graph: one file (or standard output), or the CSV file set.
fn write_output(
    out: &Output,
    fmt: Format,
    opts: ExportOptions,
    graph: &Graph,
    texts: &BTreeMap<String, String>,
) -> anyhow::Result<()> {
    if fmt == Format::Csv {
        let Output::File(path) = out else {
            bail!("--format csv writes several files: give -o DIR or -o NAME.csv");
        };
        let files = export::csv::CsvFiles::for_output(path);
        return export::csv::write_files(&files, graph).with_context(|| format!("writing {}", out.name()));
    }
    out.write_with(|w| {
        export::write_graph_with_texts(fmt, opts, w, graph, texts)?;
        Ok(())
    })
    .with_context(|| format!("writing {}", out.name()))
}

/// A progress line on standard error, only when it is a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    words: std::cell::Cell<usize>,
}

impl Progress {
    fn new() -> Progress {
        use std::io::IsTerminal;
        let words = std::cell::Cell::new(0);
        if !std::io::stderr().is_terminal() {
            return Progress { bar: None, words };
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {pos} documents, {msg} [{elapsed}]") {
            bar.set_style(style);
        }
        Progress { bar: Some(bar), words }
    }

    fn add(&self, batch: &[newsgraph::text::Document]) {
        if let Some(bar) = &self.bar {
            let total = self.words.get() + batch.iter().map(|d| d.text.split_whitespace().count()).sum::<usize>();
            self.words.set(total);
            bar.inc(batch.len() as u64);
            let secs = bar.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{total} words, {:.0} words/s", total as f64 / secs));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Documents are processed in batches: big enough to keep threads busy,
/// small enough that memory does not grow with the corpus.
const BATCH: usize = 256;

fn build(a: BuildArgs) -> anyhow::Result<ExitCode> {
    let date = a.date.as_deref().map(|d| parse_date("--date", d)).transpose()?;
    let inputs: Vec<InputSpec> = if a.inputs.is_empty() {
        vec![InputSpec::Stdin]
    } else {
        a.inputs.iter().map(|s| InputSpec::parse(s)).collect()
    };
    let mut graph = Graph::new();
    let mut texts = BTreeMap::new();
    if let Some(into) = &a.into {
        if into.exists() {
            newsgraph::graph::load::read_graph_file(into, &mut graph)?;
        }
    }
    let (out, fmt) = output_and_format(a.output.or(a.into), a.format);
    if a.per_document && fmt != Format::Json {
        bail!("--per-document writes JSON Lines; --format {fmt:?} is not available with it");
    }
    let opts = LoadOptions { jsonl: a.jsonl, date, lossy: a.lossy, max_bytes: a.max_bytes };
    let threads = a.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let pipeline = match &a.parser {
        Some(path) => Pipeline::new(models_with_parser(path)?),
        None if a.parse => Pipeline::bundled_with_parser()?,
        None => Pipeline::bundled()?,
    };
    let skip_bad = a.skip_bad;
    let progress = Progress::new();
    let mut docs = load_inputs(&inputs, &opts);
    // Pulls the next batch; a bad document stops the run unless --skip-bad.
    let mut next_batch = move || -> anyhow::Result<Vec<newsgraph::text::Document>> {
        let mut batch = Vec::with_capacity(BATCH);
        for d in docs.by_ref() {
            match d {
                Ok(d) => batch.push(d),
                Err(e) if skip_bad => {
                    eprintln!("newsgraph: skipped: {e}");
                }
                Err(e) => return Err(e.into()),
            }
            if batch.len() == BATCH {
                break;
            }
        }
        Ok(batch)
    };
    let opts = ExportOptions { graphml_profile: a.graphml_profile };
    // Write errors name the output; input errors (from next_batch) name their input only.
    let writing = || format!("writing {}", out.name());
    if a.per_document {
        out.write_with(|w: &mut dyn Write| {
            loop {
                let batch = next_batch()?;
                if batch.is_empty() {
                    break;
                }
                // A fresh buffer per line: keeping one per batch slot saved page
                // faults but held ~30 MiB more at peak on the BBC run.
                let lines: Vec<Vec<u8>> = pool.install(|| {
                    batch
                        .par_iter()
                        .map(|d| {
                            let mut buf = Vec::with_capacity(4096);
                            pipeline.process_json_line(d, &mut buf).map(|()| buf)
                        })
                        .collect::<std::io::Result<_>>()
                })?;
                for l in lines {
                    w.write_all(&l).with_context(writing)?;
                }
                progress.add(&batch);
            }
            Ok(())
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    loop {
        let batch = next_batch()?;
        if batch.is_empty() {
            break;
        }
        let graphs: Vec<Graph> = pool.install(|| batch.par_iter().map(|d| pipeline.process(d)).collect());
        for g in graphs {
            graph.merge(g);
        }
        progress.add(&batch);
        // The HTML viewer shows mentions in the article text, which the graph does not keep.
        if fmt == Format::Html {
            for d in batch {
                texts.entry(d.id).or_insert(d.text);
            }
        }
    }
    drop(progress);
    // Derived identity links, recomputed on the whole graph (see README, merging).
    graph.link_surnames();
    write_output(&out, fmt, opts, &graph, &texts)?;
    Ok(ExitCode::SUCCESS)
}

fn merge(a: MergeArgs) -> anyhow::Result<ExitCode> {
    let (out, fmt) = output_and_format(a.output, a.format);
    let mut graph = Graph::new();
    for p in &a.inputs {
        if p.as_os_str() == "-" {
            // A streaming reducer (Hadoop, Spark): per-document graphs on standard input.
            newsgraph::graph::load::read_graph(std::io::stdin().lock(), "-", &mut graph)?;
        } else {
            newsgraph::graph::load::read_graph_file(p, &mut graph)?;
        }
    }
    graph.link_surnames();
    write_output(&out, fmt, ExportOptions { graphml_profile: a.graphml_profile }, &graph, &BTreeMap::new())?;
    Ok(ExitCode::SUCCESS)
}

/// The built-in taggers with the parser model file `path` (`--parser`).
pub(crate) fn models_with_parser(path: &std::path::Path) -> anyhow::Result<newsgraph::nlp::Models> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut models = newsgraph::nlp::Models::bundled()?;
    models.set_parser(&path.display().to_string(), &bytes)?;
    Ok(models)
}
