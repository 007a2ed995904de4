//! Errors: each one says which input it concerns and what went wrong.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{source_name}: cannot read config: {message}")]
    Config {
        source_name: String,
        message: String,
    },

    #[error("cannot read input: {0}")]
    Io(#[from] std::io::Error),

    #[error("not gzip data or a corrupt gzip stream: {0}")]
    Gzip(std::io::Error),

    #[error("empty input (0 bytes)")]
    Empty,

    #[error("binary data, not a web page ({0})")]
    Binary(&'static str),

    #[error("extractor panicked: {0}")]
    Panic(String),

    #[error("time budget of {budget_ms} ms exceeded: page abandoned (limits.time_budget_ms)")]
    TimeBudget { budget_ms: u64 },

    #[error("WARC record at byte {offset}: {message}")]
    Warc { offset: u64, message: String },

    #[error("JSONL line {line}: {message}")]
    Jsonl { line: u64, message: String },

    #[error("HTTP payload: {0}")]
    Http(String),
}
