//! The contract's JSON graph (NetworkX node-link with `edges="edges"`).

use crate::graph::{DocumentInfo, DocumentParts, Edge, Graph, Node, FORMAT};
use serde::Serialize;
use std::io::{self, Write};

/// The same fields, in the same order, as [`crate::graph::GraphData`], but
/// borrowing the graph: writing a graph must not first copy every string in it.
#[derive(Serialize)]
struct DataRef<'a> {
    format: &'a str,
    directed: bool,
    multigraph: bool,
    graph: MetaRef<'a>,
    nodes: Vec<&'a Node>,
    edges: Vec<&'a Edge>,
}

#[derive(Serialize)]
struct MetaRef<'a> {
    documents: Vec<&'a DocumentInfo>,
}

pub struct JsonWriter<W: Write> {
    w: W,
    pretty: bool,
}

impl<W: Write> JsonWriter<W> {
    pub fn for_writer(w: W) -> Self {
        JsonWriter { w, pretty: false }
    }

    /// Indented output (one graph per file); compact is one graph per line.
    pub fn pretty(mut self, pretty: bool) -> Self {
        self.pretty = pretty;
        self
    }

    pub fn serialize_graph(self, g: &Graph) -> io::Result<Self> {
        self.write(DataRef {
            format: FORMAT,
            directed: true,
            multigraph: true,
            graph: MetaRef { documents: g.documents().collect() },
            nodes: g.nodes().collect(),
            edges: g.edges().collect(),
        })
    }

    /// One document's graph, as [`Self::serialize_graph`] writes
    /// `parts.into_graph()`, without building the graph first.
    pub fn serialize_parts(self, parts: DocumentParts) -> io::Result<Self> {
        let (document, nodes, edges) = parts.into_sorted();
        self.write(DataRef {
            format: FORMAT,
            directed: true,
            multigraph: true,
            graph: MetaRef { documents: vec![&document] },
            nodes: nodes.iter().collect(),
            edges: edges.iter().collect(),
        })
    }

    fn write(mut self, data: DataRef) -> io::Result<Self> {
        if self.pretty {
            serde_json::to_writer_pretty(&mut self.w, &data)?;
        } else {
            serde_json::to_writer(&mut self.w, &data)?;
        }
        self.w.write_all(b"\n")?;
        Ok(self)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}
