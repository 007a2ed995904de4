//! gleaner's developer tools: `eval` (benchmark predictions and speed) and `bench` (batch
//! throughput over a WARC). Never installed; nothing here is an interface.

pub mod bench_pages;
