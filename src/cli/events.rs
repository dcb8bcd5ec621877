//! `train events` and `eval events`: the event trigger classifier on TimeML.

use anyhow::Context;
use newsgraph::extract::events::{model::TriggerModel, train, Detector};
use newsgraph::extract::timeml::TimeMlDoc;
use newsgraph::nlp::Models;
use super::nlp::path_list;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "Example:\n  newsgraph train events --train ../shared/data/tempeval3/timebank --dev ../shared/data/tempeval3/timebank-dev -o data/events/triggers.bin")]
pub struct TrainEventsArgs {
    /// Directories (or files) of TimeML .tml training documents.
    #[arg(long, required = true, value_name = "DIR")]
    train: Vec<PathBuf>,
    /// Dev TimeML documents: the epoch and threshold with the best relaxed F1 are kept.
    #[arg(long, value_name = "DIR")]
    dev: Vec<PathBuf>,
    #[arg(long, default_value_t = 12)]
    epochs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Drop features seen fewer times than this in training.
    #[arg(long, default_value_t = 1)]
    min_count: u32,
    /// Perceptrons (each on its own shuffle of the data) whose mean is the model.
    #[arg(long, default_value_t = 1)]
    bags: usize,
    /// Tagged corpora for the word-class lexicon: CoNLL-U (.conllu) or CoNLL-2003 column files.
    #[arg(long, value_name = "FILE")]
    words: Vec<PathBuf>,
    /// Model file to write (atomically).
    #[arg(short, long, value_name = "PATH", default_value = "data/events/triggers.bin")]
    output: PathBuf,
}

#[derive(clap::Args)]
#[command(after_help = "Example:\n  newsgraph eval events ../shared/data/tempeval3/timebank-dev")]
pub struct EvalEventsArgs {
    /// Directories (or files) of TimeML .tml documents.
    #[arg(value_name = "DIR", required = true)]
    dirs: Vec<PathBuf>,
    /// A trigger model file instead of the bundled one.
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// Also list the most frequent missed (-) and spurious (+) trigger words.
    #[arg(long)]
    errors: bool,
}

/// The TimeML documents under `dirs`; none is an error naming them (and `flag`).
fn load(dirs: &[PathBuf], flag: &str) -> anyhow::Result<Vec<(String, TimeMlDoc)>> {
    let docs = train::load_dirs(dirs)?;
    if docs.is_empty() {
        anyhow::bail!("no .tml files found in {}{flag}", path_list(dirs));
    }
    Ok(docs)
}

pub fn train(a: TrainEventsArgs) -> anyhow::Result<ExitCode> {
    let tr = load(&a.train, " (--train)")?;
    // No --dev is allowed (no early stopping); a --dev with nothing in it is a mistake.
    let dev = if a.dev.is_empty() { Vec::new() } else { load(&a.dev, " (--dev)")? };
    let models = Models::bundled()?;
    eprintln!("{} training and {} dev documents", tr.len(), dev.len());
    let opts = train::TrainOptions { epochs: a.epochs, seed: a.seed, min_count: a.min_count, bags: a.bags };
    let wc = train::word_classes(&a.words)?;
    eprintln!("word-class lexicon: {} words", wc.len());
    let m = train::train(&models, &tr, &dev, &opts, &wc, |l| eprintln!("{l}"));
    let bytes = m.to_bytes();
    newsgraph::export::write_atomic(&a.output, |w| {
        std::io::Write::write_all(w, &bytes)?;
        Ok(())
    })?;
    eprintln!("wrote {} ({} bytes)", a.output.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}

pub fn eval(a: EvalEventsArgs) -> anyhow::Result<ExitCode> {
    let docs = load(&a.dirs, "")?;
    let models = Models::bundled()?;
    let owned;
    let det: &Detector = match &a.model {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
            let m = TriggerModel::from_bytes(&p.display().to_string(), &bytes)?;
            owned = Detector { lexicon: newsgraph::extract::events::lexicon::Lexicon::bundled(), model: Some(m) };
            &owned
        }
        None => Detector::bundled(),
    };
    let analyses: Vec<_> = docs.iter().map(|(_, d)| newsgraph::text::analyze(&d.text)).collect();
    let mut errs = std::collections::BTreeMap::new();
    let s = train::evaluate_with_errors(det, &models, &docs, &analyses, a.errors.then_some(&mut errs));
    let mut out = format!(
        "{} documents, {} gold / {} predicted EVENT triggers ({} gold outside content sentences)\n{:<22}{:>7}{:>7}{:>7}\n",
        docs.len(),
        s.gold,
        s.pred,
        s.outside,
        "",
        "P",
        "R",
        "F1"
    );
    for (name, (p, r, f)) in [("event strict span", s.strict_prf()), ("event relaxed span", s.relaxed_prf())] {
        out += &format!("{name:<22}{p:7.2}{r:7.2}{f:7.2}\n");
    }
    if a.errors {
        let mut v: Vec<(String, usize)> = errs.into_iter().collect();
        v.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let line: Vec<String> = v.iter().take(80).map(|(w, n)| format!("{w}:{n}")).collect();
        out += &format!("errors: {}\n", line.join(" "));
    }
    super::nlp::print_out(&out)?;
    Ok(ExitCode::SUCCESS)
}
