//! gleaner-batch: what the front ends share around the extractor.
//!
//! ```text
//! input     → page files, directories, stdin, WARC records, JSONL lines (gzip unpacked)
//! pipeline  → a reader thread, extraction on a pool of all cores, an ordered writer
//! output    → one record per input record: text, Markdown, JSON or JSONL
//! ```
//!
//! The command line, the Python package and the server all read and write through here, so
//! a page gives the same record whichever front end it came through.

pub mod error;
mod front_matter;
pub mod input;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod settings;

pub use error::Error;
pub use progress::Summary;
pub use settings::BatchConfig;
