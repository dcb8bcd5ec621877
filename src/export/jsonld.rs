//! JSON-LD 1.1 (schema.org, PROV-O and the newsgraph vocabulary).

use crate::graph::Graph;
use std::io::{self, Write};

pub struct JsonLdWriter<W: Write> {
    w: W,
}

impl<W: Write> JsonLdWriter<W> {
    pub fn for_writer(w: W) -> Self {
        JsonLdWriter { w }
    }

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let _ = g;
        self.w.write_all(b"{}\n")?;
        Ok(self)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}
