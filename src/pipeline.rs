//! The whole path for one document: text → nlp → extract → graph.

use crate::extract::{self, Extraction};
use crate::graph::{build_document_graph, Graph};
use crate::nlp::Models;
use crate::text::{self, Document};

/// Models loaded once, shared by every document and thread.
pub struct Pipeline {
    models: Models,
}

impl Pipeline {
    pub fn new(models: Models) -> Pipeline {
        Pipeline { models }
    }

    /// The pipeline with the models shipped in the binary.
    pub fn bundled() -> crate::Result<Pipeline> {
        Ok(Pipeline::new(Models::bundled()?))
    }

    pub fn models(&self) -> &Models {
        &self.models
    }

    /// Everything extracted from a document, before it becomes a graph.
    pub fn extract(&self, doc: &Document) -> Extraction {
        let analysis = text::analyze(&doc.text);
        extract::extract(doc, &analysis, &self.models)
    }

    pub fn process(&self, doc: &Document) -> Graph {
        build_document_graph(doc, &self.extract(doc))
    }
}
