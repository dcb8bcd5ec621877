//! newsgraph: news articles in, an event knowledge graph out.
//!
//! The modules follow the pipeline: [`text`] (loading, layout, sentences,
//! tokens, offsets) → [`nlp`] (trained taggers) → [`extract`] (entities,
//! time, events, attribution, relations) → [`graph`] → [`export`].
//! [`pipeline`] wires them together; the binary in `main.rs` is a thin CLI.

pub mod error;
pub mod export;
pub mod extract;
pub mod graph;
pub mod nlp;
pub mod pipeline;
pub mod query;
pub mod score;
pub mod text;

pub use error::{Error, Result};

#[cfg(test)]
mod hostile_tests;
