//! Errors: each one says what was wrong with the input or the config.

use thiserror::Error;

/// Why a page gave no extraction. Readers and the network have error types of their own
/// (`gleaner-batch`, `gleaner-fetch`); these are the extractor's.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A config file, or a tuning override, that does not parse or names an unknown key.
    #[error("{source_name}: cannot read config: {message}")]
    Config {
        /// The file (or table) that was being read.
        source_name: String,
        /// What was wrong with it.
        message: String,
    },

    /// The input has no bytes at all.
    #[error("empty input (0 bytes)")]
    Empty,

    /// The input is not text: a PDF, an image, compressed or random data.
    #[error("binary data, not a web page ({0})")]
    Binary(&'static str),

    /// A bug in the extractor on this input; the message is what the panic said.
    #[error("extractor panicked: {0}")]
    Panic(String),

    /// The page's deadline passed before it was done.
    #[error("time budget of {budget_ms} ms exceeded: page abandoned (limits.time_budget_ms)")]
    TimeBudget {
        /// The budget that ran out, in milliseconds.
        budget_ms: u64,
    },
}
