//! Library errors. Every message names the input it is about.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{input}: cannot read: {source}")]
    Read {
        input: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{input}: invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 { input: String, offset: usize },
    #[error("{input}: line {line}: {message}")]
    BadJsonLine {
        input: String,
        line: usize,
        message: String,
    },
    #[error("{input}: document is {size} bytes, over the limit of {limit} bytes (--max-bytes)")]
    TooLarge {
        input: String,
        size: usize,
        limit: usize,
    },
    #[error("{input}: bad date {value:?}: expected YYYY-MM-DD")]
    BadDate { input: String, value: String },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{input}: not a newsgraph JSON graph: {message}")]
    BadGraph { input: String, message: String },
    #[error("{path}: bad model file: {message}")]
    BadModel { path: String, message: String },
    #[error("{input}: {message}")]
    BadData { input: String, message: String },
    /// A parser trained with supertag features, loaded with another supertagger than its own.
    #[error("{parser}: trained with supertagger {expected:016x}, but {supertagger} is {found:016x}: load the supertagger written with this parser")]
    SupertaggerMismatch { parser: String, supertagger: String, expected: u64, found: u64 },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
