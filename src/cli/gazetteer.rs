//! `train gazetteer`: compiles the gazetteer files.

use anyhow::Context;
use newsgraph::export::output::write_atomic;
use newsgraph::extract::gazetteer::{compile_casing, compile_gazetteer, CASING_TSV};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "Example:\n  newsgraph train gazetteer --data ../shared/data/gazetteers --text ../shared/data/bbc -o data/")]
pub struct GazetteerArgs {
    /// Folder with geonames-*.json and mledoze-countries.json.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Plain-text news (files or folders of .txt) to count word casing from; repeatable.
    #[arg(long, value_name = "PATH")]
    text: Vec<PathBuf>,
    /// Words seen fewer times than this are left out of the casing lexicon.
    #[arg(long, default_value_t = 3)]
    min_count: u32,
    /// Output folder: gazetteer.tsv (and casing.tsv with --text) are written there.
    #[arg(short, long, value_name = "DIR", default_value = "data")]
    output: PathBuf,
}

pub fn compile(a: GazetteerArgs) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&a.output).with_context(|| format!("{}: cannot create folder", a.output.display()))?;
    // The casing lexicon first: the gazetteer uses it to drop city names that are English words.
    let casing = if a.text.is_empty() {
        CASING_TSV.to_string()
    } else {
        let casing = compile_casing(&a.text, a.min_count)?;
        let path = a.output.join("casing.tsv");
        write_atomic(&path, |w: &mut dyn Write| Ok(w.write_all(casing.as_bytes())?))?;
        eprintln!("{}: {} words, {} bytes", path.display(), casing.lines().count() - 1, casing.len());
        casing
    };
    let gaz = compile_gazetteer(&a.data, &casing)?;
    let path = a.output.join("gazetteer.tsv");
    write_atomic(&path, |w: &mut dyn Write| Ok(w.write_all(gaz.as_bytes())?))?;
    eprintln!("{}: {} places and names, {} bytes", path.display(), gaz.lines().count() - 1, gaz.len());
    Ok(ExitCode::SUCCESS)
}
