//! Exporters: the graph as JSON (the contract), JSON-LD and GraphML.
//! Each format is a small writer type: `for_writer(w)`, `serialize_graph(&g)`, `finish()`.

pub mod graphml;
pub mod html;
pub mod json;
pub mod jsonld;
pub mod output;
#[cfg(test)]
pub(crate) mod testkit;

use crate::graph::Graph;
use std::io::Write;
use std::path::Path;

pub use output::{write_atomic, Output};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Jsonld,
    Graphml,
    /// A self-contained interactive page (the viewer).
    Html,
}

impl Format {
    /// The format named by a file extension, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" | "jsonl" => Some(Format::Json),
            "jsonld" => Some(Format::Jsonld),
            "graphml" => Some(Format::Graphml),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Writes one graph in a format.
pub fn write_graph<W: Write>(format: Format, w: W, g: &Graph) -> std::io::Result<W> {
    match format {
        Format::Json => json::JsonWriter::for_writer(w).pretty(true).serialize_graph(g)?.finish(),
        Format::Jsonld => jsonld::JsonLdWriter::for_writer(w).serialize_graph(g)?.finish(),
        Format::Graphml => graphml::GraphMlWriter::for_writer(w).serialize_graph(g)?.finish(),
        Format::Html => html::HtmlWriter::for_writer(w).serialize_graph(g)?.finish(),
    }
}

/// Writes one graph, giving the formats that show article text (html) the
/// texts by document id; the others ignore them.
pub fn write_graph_with_texts<W: Write>(
    format: Format,
    w: W,
    g: &Graph,
    texts: &std::collections::BTreeMap<String, String>,
) -> std::io::Result<W> {
    match format {
        Format::Html => html::HtmlWriter::for_writer(w).texts(texts).serialize_graph(g)?.finish(),
        _ => write_graph(format, w, g),
    }
}
