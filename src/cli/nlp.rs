//! `tag`, `train pos|ner|clusters`, `eval pos|ner`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct TagArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn tag(a: TagArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

#[derive(clap::Args)]
pub struct TrainPosArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn train_pos(a: TrainPosArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

#[derive(clap::Args)]
pub struct TrainNerArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn train_ner(a: TrainNerArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

#[derive(clap::Args)]
pub struct TrainClustersArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn train_clusters(a: TrainClustersArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

#[derive(clap::Args)]
pub struct EvalPosArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn eval_pos(a: EvalPosArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

#[derive(clap::Args)]
pub struct EvalNerArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn eval_ner(a: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

