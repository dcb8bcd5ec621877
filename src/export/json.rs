//! The contract's JSON graph (NetworkX node-link with `edges="edges"`).

use crate::graph::{DocumentInfo, Edge, Graph, Node, FORMAT};
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

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let data = DataRef {
            format: FORMAT,
            directed: true,
            multigraph: true,
            graph: MetaRef { documents: g.documents().collect() },
            nodes: g.nodes().collect(),
            edges: g.edges().collect(),
        };
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
