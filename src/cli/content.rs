//! `train content`: the attribution content-end model.

use anyhow::Context;
use newsgraph::export::write_atomic;
use newsgraph::extract::attribution::{brat, content};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  newsgraph train content --data ../shared/data/polnear/train -o data/attribution/content_end.bin"
)]
pub struct TrainContentArgs {
    /// Brat directory with text/NAME.txt and attributions/NAME_ANNOTATOR.ann.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Output model. Written atomically.
    #[arg(short, long, value_name = "PATH", default_value = "data/attribution/content_end.bin")]
    output: PathBuf,
    /// Perceptron epochs (2 was chosen on a held-out sixth of PolNeAR train).
    #[arg(long, default_value_t = 2)]
    epochs: usize,
    /// Also train on five sixths of the data and print, for 1..=epochs, how
    /// many held-out content ends the model and the rules get right.
    #[arg(long)]
    holdout: bool,
}

pub fn train(a: TrainContentArgs) -> anyhow::Result<ExitCode> {
    let docs = brat::read_dir(&a.data)?;
    if docs.is_empty() {
        anyhow::bail!("{}: no annotated documents found", a.data.display());
    }
    let models = newsgraph::nlp::Models::bundled()?;
    let (bin, reports) = content::train(&docs, &models, a.epochs, a.holdout)?;
    for (i, h) in reports.iter().enumerate() {
        let pct = |n: usize| 100.0 * n as f64 / h.instances.max(1) as f64;
        println!(
            "epoch {}: {} held-out content ends, model right {:.2}%, rules right {:.2}%",
            i + 1,
            h.instances,
            pct(h.model_right),
            pct(h.rules_right)
        );
    }
    write_atomic(&a.output, |w| Ok(w.write_all(&bin)?))
        .with_context(|| format!("{}: cannot write", a.output.display()))?;
    eprintln!("content-end model: {} documents, {} bytes → {}", docs.len(), bin.len(), a.output.display());
    Ok(ExitCode::SUCCESS)
}
