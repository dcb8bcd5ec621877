//! `train gazetteer`: compiles the gazetteer files.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct GazetteerArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn compile(a: GazetteerArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

