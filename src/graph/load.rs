//! Reading graphs back: one JSON graph, or JSON Lines of per-document graphs.

use super::{Graph, GraphData};
use crate::error::{Error, Result};
use std::io::BufRead;
use std::path::Path;

/// Folds every graph in `path` into `into`.
pub fn read_graph_file(path: &Path, into: &mut Graph) -> Result<()> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| Error::Read { input: name.clone(), source })?;
    read_graph(std::io::BufReader::with_capacity(1 << 16, file), &name, into)
}

/// Folds every graph read from `reader` (one JSON graph, or JSON Lines of
/// graphs, e.g. standard input in a streaming reducer) into `into`;
/// `name` names the input in messages.
pub fn read_graph<R: BufRead>(mut reader: R, name: &str, into: &mut Graph) -> Result<()> {
    let read_err = |source| Error::Read { input: name.to_string(), source };
    let bad = |message: String| Error::BadGraph { input: name.to_string(), message };
    // A pretty-printed graph starts with a lone "{" line; JSON Lines start with a whole graph.
    let mut first = String::new();
    reader.read_line(&mut first).map_err(read_err)?;
    if first.trim() == "{" || first.trim().is_empty() {
        let mut rest = first;
        std::io::Read::read_to_string(&mut reader, &mut rest).map_err(read_err)?;
        if rest.trim().is_empty() {
            return Ok(());
        }
        let data: GraphData = serde_json::from_str(&rest).map_err(|e| bad(e.to_string()))?;
        into.merge_data(data);
        return Ok(());
    }
    let mut line_no = 1;
    let mut line = first;
    loop {
        if !line.trim().is_empty() {
            let data: GraphData =
                serde_json::from_str(&line).map_err(|e| bad(format!("line {line_no}: {e}")))?;
            into.merge_data(data);
        }
        line.clear();
        if reader.read_line(&mut line).map_err(read_err)? == 0 {
            return Ok(());
        }
        line_no += 1;
    }
}
