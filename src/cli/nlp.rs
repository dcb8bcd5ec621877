//! `tag`, `train pos|ner|clusters`, `eval pos|ner`.

use anyhow::{bail, Context};
use newsgraph::export::write_atomic;
use newsgraph::nlp::clusters::{self, ClusterOptions, Clusters};
use newsgraph::nlp::conll::{read_conll, read_conllu};
use newsgraph::nlp::tagger::{Scratch, TrainOptions};
use newsgraph::nlp::train::{self as nt, read_text};
use newsgraph::nlp::{format, load_clusters, load_tagger, Models, KIND_CLUSTERS, KIND_NER, KIND_POS};
use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Where models come from: the ones built into the binary, or files.
#[derive(clap::Args, Debug, Clone)]
pub struct ModelArgs {
    /// Load clusters.bin, pos.bin and ner.bin from this directory instead of the built-in models.
    #[arg(long, value_name = "DIR")]
    model_dir: Option<PathBuf>,
}

pub(crate) fn read_file(p: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))
}

/// Writes a report to standard output; a closed pipe (`| head`) or a full
/// disk is an error saying so, not a panic as in `println!`.
pub(crate) fn print_out(report: &str) -> anyhow::Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(report.as_bytes()).and_then(|()| o.flush()).context("standard output: cannot write")
}

/// The paths as given, for messages: "a, b".
pub(crate) fn path_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// `dir/name` with its display name, or None when it is missing or empty (not shipped).
pub(crate) fn model_file(dir: &Path, name: &str) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let p = dir.join(name);
    if !p.exists() {
        return Ok(None);
    }
    let b = read_file(&p)?;
    Ok(if b.is_empty() { None } else { Some((p.display().to_string(), b)) })
}

/// clusters.bin, pos.bin and (with `ner`) ner.bin from a model folder.
pub(crate) fn models_from_dir(dir: &Path, ner: bool) -> anyhow::Result<Models> {
    if !dir.is_dir() {
        bail!("{}: no such folder (--model-dir)", dir.display());
    }
    let c = model_file(dir, "clusters.bin")?;
    let p = model_file(dir, "pos.bin")?;
    let n = if ner { model_file(dir, "ner.bin")? } else { None };
    fn r(x: &Option<(String, Vec<u8>)>) -> Option<(&str, &[u8])> {
        x.as_ref().map(|(a, b)| (a.as_str(), b.as_slice()))
    }
    Ok(Models::from_bytes(r(&c), r(&p), r(&n))?)
}

impl ModelArgs {
    fn load(&self) -> anyhow::Result<Models> {
        match &self.model_dir {
            None => Ok(Models::bundled()?),
            Some(dir) => models_from_dir(dir, true),
        }
    }

    /// Fails naming where the `file` model (pos.bin, ner.bin) was looked for,
    /// when `loaded` says it was not found there.
    fn require(&self, loaded: bool, file: &str) -> anyhow::Result<()> {
        match (&self.model_dir, loaded) {
            (_, true) => Ok(()),
            (None, false) => bail!("no {file} model: the binary was built without models/{file}; try --model-dir DIR"),
            (Some(dir), false) => bail!("{}: missing or empty (--model-dir)", dir.join(file).display()),
        }
    }
}

#[derive(clap::Args)]
pub struct TagArgs {
    /// Input is CoNLL columns (token first; blank lines between sentences; -DOCSTART- between documents).
    #[arg(long, required = true)]
    conll: bool,
    /// Input file (default: standard input).
    #[arg(value_name = "INPUT")]
    path: Option<PathBuf>,
    #[command(flatten)]
    models: ModelArgs,
}

fn read_input(path: &Option<PathBuf>) -> anyhow::Result<(String, String)> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let b = read_file(p)?;
            let name = p.display().to_string();
            let s = String::from_utf8(b).map_err(|e| anyhow::anyhow!("{name}: invalid UTF-8 at byte offset {}", e.utf8_error().valid_up_to()))?;
            Ok((name, s))
        }
        _ => {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).context("standard input: cannot read")?;
            let s = String::from_utf8(b).map_err(|e| anyhow::anyhow!("standard input: invalid UTF-8 at byte offset {}", e.utf8_error().valid_up_to()))?;
            Ok(("standard input".into(), s))
        }
    }
}

pub fn tag(a: TagArgs) -> anyhow::Result<ExitCode> {
    let (name, text) = read_input(&a.path)?;
    let models = a.models.load()?;
    a.models.require(models.ner.is_some(), "ner.bin")?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Token line indices per document, split into sentences.
    let mut docs: Vec<Vec<Vec<usize>>> = vec![vec![vec![]]];
    for (i, l) in lines.iter().enumerate() {
        let first = l.split_whitespace().next();
        match first {
            None => docs.last_mut().map_or((), |d| d.push(vec![])),
            Some("-DOCSTART-") => docs.push(vec![vec![]]),
            Some(_) => {
                if let Some(s) = docs.last_mut().and_then(|d| d.last_mut()) {
                    s.push(i)
                }
            }
        }
    }
    let mut tags: Vec<Option<&str>> = vec![None; lines.len()];
    let mut sc = Scratch::default();
    for d in &docs {
        let mut words: Vec<&str> = Vec::new();
        let mut sents: Vec<Range<usize>> = Vec::new();
        let mut idx: Vec<usize> = Vec::new();
        for s in d.iter().filter(|s| !s.is_empty()) {
            let a0 = words.len();
            for &li in s {
                words.push(lines[li].split_whitespace().next().unwrap_or(""));
                idx.push(li);
            }
            sents.push(a0..words.len());
        }
        if words.is_empty() {
            continue;
        }
        let classes = models.ner_classes(&words, &sents, &mut sc).unwrap_or_default();
        let ner = models.ner.as_ref();
        for (k, &li) in idx.iter().enumerate() {
            let c = classes.get(k).and_then(|&c| ner.map(|n| n.iob2_name(c as usize)));
            tags[li] = Some(c.unwrap_or("O"));
        }
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let werr = || format!("{name}: cannot write the output");
    for (i, l) in lines.iter().enumerate() {
        match tags[i] {
            None => w.write_all(l.as_bytes()).with_context(werr)?,
            Some(t) => {
                let body = l.trim_end_matches(['\n', '\r']);
                let end = &l[body.len()..];
                let sep = if body.contains('\t') { "\t" } else { " " };
                write!(w, "{body}{sep}{t}{end}").with_context(werr)?;
                if end.is_empty() {
                    // Last line without a newline stays without one.
                }
            }
        }
    }
    w.flush().with_context(werr)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct CommonTrain {
    /// Training file.
    #[arg(long, value_name = "FILE")]
    train: PathBuf,
    /// Development file (early stopping).
    #[arg(long, value_name = "FILE")]
    dev: PathBuf,
    /// Output model file.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Word clusters (from `train clusters`); default: none.
    #[arg(long, value_name = "FILE")]
    clusters: Option<PathBuf>,
    /// Maximum number of epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Stop after this many epochs without improvement on dev.
    #[arg(long, default_value_t = 2)]
    patience: usize,
    /// Shuffling seed.
    #[arg(long, default_value_t = 20241219)]
    seed: u64,
    /// Drop averaged weights smaller than this fraction of the largest.
    #[arg(long, default_value_t = 0.0)]
    prune: f32,
    /// NER: learn IOB2 classes instead of BILOU (the output is IOB2 either way).
    #[arg(long)]
    iob2: bool,
    /// NER: passes over each document (1–3); each later pass sees the entities the pass before found
    /// elsewhere in the document.
    #[arg(long, default_value_t = 1)]
    passes: u8,
    /// Train this many taggers from different seeds and average them into one model.
    #[arg(long, default_value_t = 1)]
    ensemble: usize,
    /// Fraction of static features dropped at random from each training instance.
    #[arg(long, default_value_t = 0.0)]
    dropout: f32,
}

impl CommonTrain {
    fn options(&self) -> TrainOptions {
        TrainOptions {
            epochs: self.epochs,
            patience: self.patience,
            seed: self.seed,
            prune: self.prune,
            passes: self.passes,
            bilou: !self.iob2,
            ensemble: self.ensemble,
            dropout: self.dropout,
        }
    }
    fn clusters(&self) -> anyhow::Result<Option<Clusters>> {
        self.clusters
            .as_ref()
            .map(|p| -> anyhow::Result<Clusters> { Ok(load_clusters(&p.display().to_string(), &read_file(p)?)?) })
            .transpose()
    }
}

fn save(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic(path, |w| {
        w.write_all(bytes)?;
        Ok(())
    })
}

/// Writes a trained tagger's model file and reports its size and training time.
fn save_tagger(
    kind: &[u8; 4],
    data: &newsgraph::nlp::tagger::TaggerData,
    output: &Path,
    summary: &str,
    t0: Instant,
) -> anyhow::Result<ExitCode> {
    let bytes = format::encode(kind, data)?;
    save(output, &bytes)?;
    eprintln!(
        "{summary}; {} features, {} bytes, {:.1}s -> {}",
        data.linear.keys.len(),
        bytes.len(),
        t0.elapsed().as_secs_f64(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn log(s: &str) {
    eprintln!("{s}");
}

#[derive(clap::Args)]
pub struct TrainPosArgs {
    #[command(flatten)]
    common: CommonTrain,
}

pub fn train_pos(a: TrainPosArgs) -> anyhow::Result<ExitCode> {
    let c = &a.common;
    let train = read_text(&c.train)?;
    let dev = read_text(&c.dev)?;
    let clusters = c.clusters()?;
    let t0 = Instant::now();
    let (data, score) = nt::train_pos(&train, &dev, clusters.as_ref(), &c.options(), &mut log).map_err(anyhow::Error::msg)?;
    save_tagger(KIND_POS, &data, &c.output, &format!("pos: best dev mean accuracy {score:.2}"), t0)
}

#[derive(clap::Args)]
pub struct TrainNerArgs {
    #[command(flatten)]
    common: CommonTrain,
    /// POS model for the POS features (from `train pos`); default: none.
    #[arg(long, value_name = "FILE")]
    pos: Option<PathBuf>,
    /// Folder of the shared gazetteer JSON files, compiled into the model as features; default: none.
    #[arg(long, value_name = "DIR")]
    gazetteer: Option<PathBuf>,
}

pub fn train_ner(a: TrainNerArgs) -> anyhow::Result<ExitCode> {
    let c = &a.common;
    let train = read_text(&c.train)?;
    let dev = read_text(&c.dev)?;
    let clusters = c.clusters()?;
    let pos = a
        .pos
        .as_ref()
        .map(|p| -> anyhow::Result<_> { Ok(load_tagger(&p.display().to_string(), KIND_POS, &read_file(p)?)?) })
        .transpose()?;
    let use_pos = pos.is_some();
    let models = Models::new(clusters, pos, None)?;
    let t0 = Instant::now();
    let gaz = a.gazetteer.as_deref().map(newsgraph::nlp::gazetteer::from_dir).transpose()?;
    let (data, score) = nt::train_ner(&train, &dev, &models, use_pos, gaz, &c.options(), &mut log).map_err(anyhow::Error::msg)?;
    save_tagger(KIND_NER, &data, &c.output, &format!("ner: best dev F1 {score:.2}"), t0)
}

#[derive(clap::Args)]
pub struct TrainClustersArgs {
    /// Unlabeled text: files or directories (recursively). `.conllu` files are read as CoNLL-U,
    /// files whose lines look like CoNLL columns as CoNLL, anything else as plain articles.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<PathBuf>,
    /// Output file.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Cluster counts, one level each.
    #[arg(long, value_delimiter = ',', default_value = "64,256,1024")]
    levels: Vec<u16>,
    /// Words seen fewer times get no cluster.
    #[arg(long, default_value_t = 3)]
    min_count: u32,
    /// k-means iterations per level.
    #[arg(long, default_value_t = 8)]
    iterations: usize,
}

fn looks_like_conll(text: &str) -> bool {
    text.lines().take(20).any(|l| l.starts_with("-DOCSTART-"))
}

pub fn train_clusters(a: TrainClustersArgs) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for p in &a.inputs {
        files.extend(newsgraph::text::load::all_files(p)?);
    }
    let mut sents: Vec<Vec<String>> = Vec::new();
    for f in &files {
        let b = read_file(f)?;
        let text = String::from_utf8_lossy(&b);
        let name = f.display().to_string();
        if name.ends_with(".conllu") {
            sents.extend(read_conllu(&text).into_iter().map(|s| s.words));
        } else if looks_like_conll(&text) {
            sents.extend(read_conll(&text).into_iter().flatten().map(|s| s.words));
        } else {
            let an = newsgraph::text::analyze(&text);
            for s in &an.sentences {
                sents.push(an.tokens[s.tokens.clone()].iter().map(|t| text[t.start..t.end].to_string()).collect());
            }
        }
    }
    if sents.is_empty() {
        bail!("no sentences found in {}", path_list(&a.inputs));
    }
    let opt = ClusterOptions { levels: a.levels.clone(), min_count: a.min_count, iterations: a.iterations, ..Default::default() };
    if opt.levels.is_empty() || opt.levels.len() > 3 {
        bail!("--levels: give one to three cluster counts");
    }
    let t0 = Instant::now();
    let data = clusters::train(&sents, &opt, &mut log);
    if data.keys.is_empty() {
        bail!("{}: no word seen at least {} times", path_list(&a.inputs), a.min_count);
    }
    let bytes = format::encode(KIND_CLUSTERS, &data)?;
    save(&a.output, &bytes)?;
    eprintln!("clusters: {} words, {} bytes, {:.1}s -> {}", data.keys.len(), bytes.len(), t0.elapsed().as_secs_f64(), a.output.display());
    Ok(ExitCode::SUCCESS)
}

/// CPU time of this thread (Linux), so throughput figures mean something on a busy machine;
/// falls back to 0 (then only wall-clock figures are meaningful).
pub(crate) fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e9)
}

#[derive(clap::Args)]
pub struct EvalPosArgs {
    /// CoNLL-U file with gold UPOS and XPOS.
    #[arg(value_name = "FILE")]
    path: PathBuf,
    #[command(flatten)]
    models: ModelArgs,
}

pub fn eval_pos(a: EvalPosArgs) -> anyhow::Result<ExitCode> {
    let text = read_text(&a.path)?;
    let sents = read_conllu(&text);
    if sents.is_empty() {
        bail!("{}: no CoNLL-U sentences found", a.path.display());
    }
    let models = a.models.load()?;
    a.models.require(models.pos.is_some(), "pos.bin")?;
    let c0 = cpu_seconds();
    let acc = nt::pos_accuracy(&models, None, &sents);
    let secs = cpu_seconds() - c0;
    print_out(&format!("words {}\nUPOS  {:.2}\nXPOS  {:.2}\n", acc.words, acc.upos, acc.xpos))?;
    eprintln!("{:.0} words/s of CPU", acc.words as f64 / secs.max(1e-9));
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct EvalNerArgs {
    /// CoNLL file with gold NE tags in the last column (IOB1 or IOB2).
    #[arg(value_name = "FILE")]
    path: PathBuf,
    #[command(flatten)]
    models: ModelArgs,
}

pub fn eval_ner(a: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let text = read_text(&a.path)?;
    let docs = read_conll(&text);
    if docs.iter().all(|d| d.is_empty()) {
        bail!("{}: no CoNLL sentences found", a.path.display());
    }
    let (t0, l0) = (Instant::now(), cpu_seconds());
    let models = a.models.load()?;
    eprintln!(
        "models loaded in {:.1} ms of CPU ({:.1} ms wall)",
        (cpu_seconds() - l0) * 1e3,
        t0.elapsed().as_secs_f64() * 1e3
    );
    a.models.require(models.ner.is_some(), "ner.bin")?;
    let c0 = cpu_seconds();
    let uses_pos = models.ner.as_ref().is_some_and(|n| n.use_pos);
    let pos = if uses_pos { nt::pos_features_for(&models, &docs) } else { vec![] };
    let (c1, t1) = (cpu_seconds(), Instant::now());
    let pred = nt::tag_docs(&models, None, &docs, &pos);
    let (c2, t2) = (cpu_seconds(), Instant::now());
    let words: usize = docs.iter().flatten().map(|s| s.words.len()).sum();
    print_out(&nt::score_docs(&docs, &pred).table())?;
    let rate = |a: f64, b: f64| words as f64 / (b - a).max(1e-9);
    eprintln!("{words} tokens; NER alone {:.0} tokens/s of CPU ({:.0} wall)", rate(c1, c2), rate(0.0, (t2 - t1).as_secs_f64()));
    if uses_pos {
        eprintln!("POS for the NER features: {:.0} tokens/s of CPU", rate(c0, c1));
    }
    Ok(ExitCode::SUCCESS)
}
