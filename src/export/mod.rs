//! Exporters: the graph as JSON (the contract), JSON-LD and GraphML, and
//! the outlets: CSV for graph databases, N-Triples/Turtle, Graphviz DOT and
//! the HTML viewer.
//! Each format is a small writer type: `for_writer(w)`, `serialize_graph(&g)`, `finish()`.

pub mod csv;
pub mod dot;
pub mod graphml;
pub mod html;
pub mod json;
pub mod jsonld;
pub mod output;
pub mod rdf;
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
    /// Node and edge CSV files for Neo4j bulk import and Kùzu (several files: see `csv`).
    Csv,
    #[value(alias = "nt")]
    Ntriples,
    #[value(alias = "ttl")]
    Turtle,
    #[value(alias = "gv")]
    Dot,
    /// A self-contained interactive page (the viewer).
    Html,
}

/// The GraphML flavour: plain, or with yFiles drawing data for yEd.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphMlProfile {
    #[default]
    Plain,
    Yed,
}

/// Settings that only some formats use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub graphml_profile: GraphMlProfile,
}

impl Format {
    /// The format named by a file extension, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" | "jsonl" => Some(Format::Json),
            "jsonld" => Some(Format::Jsonld),
            "graphml" => Some(Format::Graphml),
            "csv" => Some(Format::Csv),
            "nt" => Some(Format::Ntriples),
            "ttl" => Some(Format::Turtle),
            "dot" | "gv" => Some(Format::Dot),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Writes one graph in a format.
pub fn write_graph<W: Write>(format: Format, w: W, g: &Graph) -> std::io::Result<W> {
    write_graph_with(format, ExportOptions::default(), w, g)
}

/// Writes one graph in a single-file format. `Format::Csv` writes several
/// files and is refused here: use `csv::write_files`.
pub fn write_graph_with<W: Write>(format: Format, opts: ExportOptions, w: W, g: &Graph) -> std::io::Result<W> {
    match format {
        Format::Json => json::JsonWriter::for_writer(w).pretty(true).serialize_graph(g)?.finish(),
        Format::Jsonld => jsonld::JsonLdWriter::for_writer(w).serialize_graph(g)?.finish(),
        Format::Graphml => {
            graphml::GraphMlWriter::for_writer(w).profile(opts.graphml_profile).serialize_graph(g)?.finish()
        }
        Format::Csv => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "--format csv writes several files: give -o DIR or -o NAME.csv",
        )),
        Format::Ntriples => rdf::RdfWriter::for_writer(w, rdf::RdfSyntax::NTriples).serialize_graph(g)?.finish(),
        Format::Turtle => rdf::RdfWriter::for_writer(w, rdf::RdfSyntax::Turtle).serialize_graph(g)?.finish(),
        Format::Dot => dot::DotWriter::for_writer(w).serialize_graph(g)?.finish(),
        Format::Html => html::HtmlWriter::for_writer(w).serialize_graph(g)?.finish(),
    }
}

/// Writes one graph, giving the formats that show article text (html) the
/// texts by document id; the others ignore them.
pub fn write_graph_with_texts<W: Write>(
    format: Format,
    opts: ExportOptions,
    w: W,
    g: &Graph,
    texts: &std::collections::BTreeMap<String, String>,
) -> std::io::Result<W> {
    match format {
        Format::Html => html::HtmlWriter::for_writer(w).texts(texts).serialize_graph(g)?.finish(),
        _ => write_graph_with(format, opts, w, g),
    }
}
