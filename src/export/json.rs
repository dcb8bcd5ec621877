//! The contract's JSON graph (NetworkX node-link with `edges="edges"`).

use crate::graph::Graph;
use std::io::{self, Write};

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
        let data = g.to_data();
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
