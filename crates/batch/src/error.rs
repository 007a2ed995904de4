//! Errors of reading a record: the file, the archive and the HTTP payload around a page, and
//! the extractor's own errors on the page inside.

use thiserror::Error;

/// Why a record gave no extraction.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read input: {0}")]
    Io(#[from] std::io::Error),

    #[error("not gzip data or a corrupt gzip stream: {0}")]
    Gzip(std::io::Error),

    #[error("WARC record at byte {offset}: {message}")]
    Warc { offset: u64, message: String },

    #[error("JSONL line {line}: {message}")]
    Jsonl { line: u64, message: String },

    #[error("HTTP payload: {0}")]
    Http(String),

    /// The page was read, and the extractor failed on it.
    #[error(transparent)]
    Extract(#[from] gleaner::Error),
}

impl Error {
    /// A read that a stop request ended (see `input::stdin`), not a fault of the input.
    pub fn is_stopped(&self) -> bool {
        matches!(self, Error::Io(e) if crate::input::stdin::is_stopped(e))
    }
}
