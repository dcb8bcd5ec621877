//! `train cues`, `eval attribution`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct TrainCuesArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn train_cues(a: TrainCuesArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

#[derive(clap::Args)]
pub struct EvalAttributionArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn eval(a: EvalAttributionArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

