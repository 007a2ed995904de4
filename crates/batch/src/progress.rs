//! Progress: the counts of a run (the summary line that ends it) and the line on stderr that
//! shows them while it runs. The batch runner and the fetcher both report through here.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::Record;

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Records read from the inputs (all of them, whatever became of them).
    pub read: u64,
    /// Records with text.
    pub extracted: u64,
    /// Pages read and extracted without error but with no main content.
    pub empty: u64,
    /// Records that are not pages (non-HTML payloads, WARC request/metadata records…).
    pub skipped: u64,
    /// Records with an error.
    pub failed: u64,
    /// Records found in the output file already (`--resume`), not done again.
    pub already_done: u64,
    /// Page bytes extracted (after decompression).
    pub page_bytes: u64,
    pub seconds: f64,
    /// More than one page, or an output file: the summary line is printed.
    pub batch: bool,
    /// A stop request (SIGTERM, SIGINT) ended the run before its inputs did; every record
    /// counted was written.
    pub interrupted: bool,
}

impl Summary {
    /// `1000 records read: 950 extracted, 20 empty, 25 skipped, 5 failed (3.2 s, …)`.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{} records read: {} extracted, {} empty, {} skipped, {} failed",
            self.read, self.extracted, self.empty, self.skipped, self.failed
        );
        if self.already_done > 0 {
            line.push_str(&format!(", {} already in the output", self.already_done));
        }
        let secs = self.seconds.max(1e-9);
        line.push_str(&format!(
            " ({:.1} s, {:.0} records/s, {:.1} MB/s)",
            self.seconds,
            (self.read - self.already_done) as f64 / secs,
            self.page_bytes as f64 / 1e6 / secs
        ));
        line
    }

    /// Adds another run's counts (the fetched records to the local ones); the time is the
    /// caller's to set.
    pub fn add(&mut self, other: &Summary) {
        self.read += other.read;
        self.extracted += other.extracted;
        self.empty += other.empty;
        self.skipped += other.skipped;
        self.failed += other.failed;
        self.already_done += other.already_done;
        self.page_bytes += other.page_bytes;
    }

    /// Counts one record that was read and written.
    pub fn count(&mut self, record: &Record) {
        self.read += 1;
        if record.error.is_some() {
            self.failed += 1;
        } else if record.skipped.is_some() {
            self.skipped += 1;
        } else if record.text.is_empty() {
            self.empty += 1;
        } else {
            self.extracted += 1;
        }
    }
}

/// The live line on stderr: drawn only when asked for and stderr is a terminal, redrawn at
/// most ten times a second.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    last_drawn: Instant,
    in_flight: Option<usize>,
}

impl Progress {
    /// A bar of `total` records when the total is known (fetched URLs), else a spinner.
    pub fn new(wanted: bool, total: Option<u64>) -> Progress {
        let bar = if wanted && std::io::stderr().is_terminal() {
            let template = match total {
                Some(_) => "{elapsed_precise} [{bar:30}] {pos}/{len} done, {msg}",
                None => "{spinner} {elapsed_precise} {msg}",
            };
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_spinner())
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        } else {
            ProgressBar::hidden()
        };
        let now = Instant::now();
        Progress {
            bar,
            started: now,
            last_drawn: now,
            in_flight: None,
        }
    }

    /// How long the run has taken so far.
    pub fn seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Pages in flight (the fetcher shows them).
    pub fn in_flight(&mut self, n: usize) {
        self.in_flight = Some(n);
    }

    /// Shows the counts so far.
    pub fn show(&mut self, summary: &Summary) {
        if self.bar.is_hidden() || self.last_drawn.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last_drawn = Instant::now();
        self.bar.set_position(summary.read);
        let secs = self.seconds().max(1e-9);
        let mut message = format!(
            "{} records, {:.0} pages/s, {:.1} MB/s, {} failed, {} skipped",
            summary.read,
            (summary.extracted + summary.empty + summary.failed) as f64 / secs,
            summary.page_bytes as f64 / 1e6 / secs,
            summary.failed,
            summary.skipped
        );
        if let Some(n) = self.in_flight {
            message.push_str(&format!(", {n} in flight"));
        }
        self.bar.set_message(message);
    }

    /// Prints `gleaner: {message}` on stderr, above the bar when there is one.
    pub fn note(&self, message: &str) {
        if self.bar.is_hidden() {
            eprintln!("gleaner: {message}");
        } else {
            self.bar.println(format!("gleaner: {message}"));
        }
    }

    /// Runs `f` (which writes output) with the bar out of its way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Clears the line.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
