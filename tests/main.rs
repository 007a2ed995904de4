//! gleaner's integration tests, one binary (`cargo test --release --test tests`; add a
//! module name to run one part, as in `cargo test --release --test tests batch::`):
//!
//! - corpus, text_mode, metadata, precision: the library on hand-written pages with judged
//!   expected outputs (`corpus/`), and on the clutter lines it must drop and the story lines
//!   it must keep;
//! - robustness: bad input never wins (binary, truncated, mis-declared, huge, deep pages);
//! - linearity, memory: time and peak memory on pathological pages stay within bounds;
//! - cli, batch: the `gleaner` binary on files, directories, stdin, WARC and JSONL;
//! - fetch: the fetcher against local HTTP servers.

mod support;

mod batch;
mod cli;
mod corpus;
mod fetch;
mod linearity;
mod memory;
mod metadata;
mod precision;
mod robustness;
mod serve;
mod text_mode;
