//! Fetch: polite, concurrent fetching of http(s) URLs straight into the extractor.
//!
//! One reqwest client (rustls, gzip/brotli/zstd/deflate, HTTP/2 where offered) on a tokio
//! runtime. The parts, in the order a URL meets them:
//!
//! ```text
//! runner   → URLs queued per host; at most `concurrency` pages in flight, `per_host_concurrency`
//!            per host; records handed to the caller as pages finish (or in input order)
//! robots   → robots.txt fetched once per origin, cached, obeyed; Crawl-delay applied
//! hosts    → per-host gate: requests in flight and the delay between request starts
//! retry    → 429, 5xx and connection failures tried again with backoff, jitter, Retry-After
//! client   → one HTTP exchange: send, classify failures, read the body up to the cap
//! page     → one URL from start to record: redirects, status, content type, extraction
//! guard    → with a guard (`gleaner serve`), only public or allowed addresses are reached
//! warc     → every request and response archived as WARC/1.1, one gzip member per record
//! ```
//!
//! Every input URL yields exactly one [`Record`], whatever happens to it: an invalid URL, a
//! robots.txt refusal, a network error, an HTTP error status, a skipped content type, a
//! Ctrl-C before it was fetched.

mod client;
mod config;
mod guard;
mod hosts;
mod page;
mod retry;
mod robots;
mod runner;
mod settings;
mod warc;

use std::io::BufRead;
use std::path::PathBuf;

pub use config::FetchConfig;
pub use guard::{Guard, Net, is_public};
pub use page::parse_url;
pub use runner::run;
pub use settings::Settings;

use gleaner_batch::output::Record;

/// How a run is carried out.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Politeness, retries and limits (`[fetch]` in config.toml).
    pub config: FetchConfig,
    /// Hand records to the sink in input order (buffering those that finish early) instead of
    /// as they finish.
    pub keep_order: bool,
    /// Also archive every request and response to this `.warc.gz` file.
    pub warc: Option<PathBuf>,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
    /// Stop on Ctrl-C: the first stops new requests and lets those in flight finish, a second
    /// abandons them; every URL not done gets an `interrupted` record.
    pub handle_ctrl_c: bool,
    /// Reach only the addresses this guard lets through, on every hop and connection
    /// (robots.txt and redirects included); its `refusal()` says afterwards what it refused.
    pub guard: Option<std::sync::Arc<Guard>>,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// One record per URL, counted as the batch runner counts its records.
    pub counts: gleaner_batch::Summary,
    /// Ctrl-C stopped the run before every URL was fetched.
    pub interrupted: bool,
    /// The WARC archive could not be written completely (the records were all handed over).
    pub warc_error: Option<String>,
}

/// Why a run could not go on (page failures are records, never this).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("config: {0}")]
    Config(String),
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{path}: cannot write the WARC archive: {error}")]
    Warc {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
}

/// Whether a command-line INPUT is a URL to fetch rather than a local file.
pub fn is_url(input: &str) -> bool {
    let lower = |n: usize| input.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// Lines longer than this in a URL list are not URLs (and are not held in memory whole).
pub const MAX_URL_LINE_BYTES: usize = 16 * 1024;

/// Reads a URL list: one URL per line; blank lines and lines starting with `#` are skipped.
/// Every other line is kept, even when it is not a valid URL, so that it gets its own record
/// with an error. A line longer than [`MAX_URL_LINE_BYTES`] is kept cut, and fails as a URL.
pub fn read_url_list(mut reader: impl BufRead) -> std::io::Result<Vec<String>> {
    let mut urls = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        let (n, complete) = read_line_bounded(&mut reader, &mut line, MAX_URL_LINE_BYTES)?;
        if n == 0 {
            return Ok(urls);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let mut entry = text.to_string();
        if !complete {
            entry.push('…');
        }
        urls.push(entry);
    }
}

/// Reads one line (without its newline) into `line`, keeping at most `max` bytes and
/// skipping the rest. Returns the bytes consumed and whether the line fitted.
fn read_line_bounded(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut complete = true;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok((consumed, complete));
        }
        let (chunk, found_newline) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], true),
            None => (buf, false),
        };
        let room = max.saturating_sub(line.len());
        if chunk.len() > room {
            complete = false;
        }
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len() + usize::from(found_newline);
        reader.consume(used);
        consumed += used;
        if found_newline {
            return Ok((consumed, complete));
        }
    }
}

/// A record for a URL that produced no extraction.
fn failed_record(given: &str, final_url: Option<String>, error: String) -> Record {
    let mut record = Record::new(
        given.to_string(),
        given.to_string(),
        final_url,
        Ok(Default::default()),
    );
    record.error = Some(error);
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_files() {
        assert!(is_url("https://example.org/"));
        assert!(is_url("HTTP://example.org/"));
        assert!(!is_url("page.html"));
        assert!(!is_url("http"));
        assert!(!is_url("-"));
    }

    #[test]
    fn url_lists_skip_blanks_and_comments_and_cut_long_lines() {
        let long = "x".repeat(MAX_URL_LINE_BYTES * 3);
        let text = format!(
            "# a list\nhttps://a.test/1\n\n  https://b.test/2  \r\nnot a url\n{long}\nhttps://c.test/3"
        );
        let urls = read_url_list(text.as_bytes()).unwrap();
        assert_eq!(urls.len(), 5);
        assert_eq!(urls[0], "https://a.test/1");
        assert_eq!(urls[1], "https://b.test/2");
        assert_eq!(urls[2], "not a url");
        assert!(urls[3].len() <= MAX_URL_LINE_BYTES + 3 && urls[3].ends_with('…'));
        assert_eq!(urls[4], "https://c.test/3");
    }
}
