//! Output destinations. Files are written beside the target and renamed
//! into place, so a failed run never leaves a partial or corrupt file.

use crate::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stdout,
    File(PathBuf),
}

impl Output {
    pub fn name(&self) -> String {
        match self {
            Output::Stdout => "standard output".to_string(),
            Output::File(p) => p.display().to_string(),
        }
    }

    /// Runs `f` on a buffered writer to this output; a file appears only if `f` succeeds.
    pub fn write_with<F>(&self, f: F) -> anyhow::Result<()>
    where
        F: FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    {
        match self {
            Output::Stdout => {
                let stdout = std::io::stdout();
                let mut w = BufWriter::with_capacity(1 << 16, stdout.lock());
                f(&mut w)?;
                w.flush().map_err(|source| Error::Write { path: PathBuf::from("-"), source })?;
                Ok(())
            }
            Output::File(p) => write_atomic(p, f),
        }
    }
}

/// Writes `path` atomically: into a temporary file in the same directory, then renamed.
pub fn write_atomic<F>(path: &Path, f: F) -> anyhow::Result<()>
where
    F: FnOnce(&mut dyn Write) -> anyhow::Result<()>,
{
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let werr = |source| Error::Write { path: path.to_path_buf(), source };
    let file = File::create(&tmp).map_err(werr)?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    let result = f(&mut w).and_then(|()| {
        let file = w.into_inner().map_err(|e| werr(e.into_error()))?;
        file.sync_all().map_err(werr)?;
        Ok(())
    });
    match result {
        Ok(()) => std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            werr(e).into()
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
