//! `train content`: the attribution content-end model.

use anyhow::Context;
use newsgraph::export::write_atomic;
use newsgraph::extract::attribution::{brat, content};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  newsgraph train content --data ../shared/data/polnear/train\n  (writes data/attribution/content_end.bin and content_start.bin)"
)]
pub struct TrainContentArgs {
    /// Brat directory with text/NAME.txt and attributions/NAME_ANNOTATOR.ann.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Output model. Written atomically.
    #[arg(short, long, value_name = "PATH", default_value = "data/attribution/content_end.bin")]
    output: PathBuf,
    /// Output content-start model. Written atomically.
    #[arg(long, value_name = "PATH", default_value = "data/attribution/content_start.bin")]
    start_output: PathBuf,
    /// End-model perceptron epochs (chosen on a held-out sixth of PolNeAR train).
    #[arg(long, default_value_t = 2)]
    epochs: usize,
    /// Start-model perceptron epochs (chosen on a held-out sixth of PolNeAR train).
    #[arg(long, default_value_t = 4)]
    start_epochs: usize,
    /// No start model: the start file is written empty (the rules start contents).
    #[arg(long)]
    no_start: bool,
    /// First train on five sixths of the data and print the held-out
    /// sixth's start accuracy and attribution scores (rules only, end model
    /// only, both models).
    #[arg(long)]
    holdout: bool,
}

pub fn train(a: TrainContentArgs) -> anyhow::Result<ExitCode> {
    let docs = brat::read_dir(&a.data)?;
    if docs.is_empty() {
        anyhow::bail!("{}: no annotated documents found", a.data.display());
    }
    let models = newsgraph::nlp::Models::bundled()?;
    let o = content::TrainOptions { end_epochs: a.epochs, start_epochs: a.start_epochs, start: !a.no_start };
    let (t, report) = content::train(&docs, &models, o, a.holdout)?;
    print!("{report}");
    for (path, bin) in [(&a.output, &t.end), (&a.start_output, &t.start)] {
        write_atomic(path, |w| Ok(w.write_all(bin)?)).with_context(|| format!("{}: cannot write", path.display()))?;
        eprintln!("content model: {} documents, {} bytes → {}", docs.len(), bin.len(), path.display());
    }
    Ok(ExitCode::SUCCESS)
}
