//! Trained taggers and their model files.

use crate::extract::EntityType;
use crate::text::Analysis;
use std::ops::Range;

/// A named-entity span found by the tagger: a range of token indices
/// (into [`Analysis::tokens`]) and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct NerSpan {
    pub tokens: Range<usize>,
    pub etype: EntityType,
    pub confidence: f32,
}

/// Every model the pipeline uses, loaded once and shared across threads.
#[derive(Debug, Default)]
pub struct Models {}

impl Models {
    /// The models shipped in the binary.
    pub fn bundled() -> crate::Result<Models> {
        Ok(Models {})
    }

    /// Named entities of the content sentences, or None when no NER model is loaded.
    pub fn tag_entities(&self, _text: &str, _analysis: &Analysis) -> Option<Vec<NerSpan>> {
        None
    }

    /// Penn Treebank POS tags, one per token of `analysis.tokens`, or None without a POS model.
    pub fn tag_pos(&self, _text: &str, _analysis: &Analysis) -> Option<Vec<&'static str>> {
        None
    }
}
