//! `eval timex`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct EvalTimexArgs {
    /// Input path.
    path: Option<std::path::PathBuf>,
}

pub fn eval(a: EvalTimexArgs) -> anyhow::Result<ExitCode> {
    let _ = a.path;
    anyhow::bail!("not implemented yet")
}

