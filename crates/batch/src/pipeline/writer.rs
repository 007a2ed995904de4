//! Writer: puts finished records out, in input order (holding early finishers until the
//! ones before them are done) or as they come (`--unordered`); applies `--dedup`; counts
//! records for the progress line and the summary. Output goes through a buffer that is
//! flushed whenever no result is waiting, so a pipe downstream sees records promptly and a
//! kill leaves at most one partial line.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Outcome;
use super::dedup::Dedup;
use super::flight::InFlight;
use crate::output::{Record, Writer};

/// A worker's result, with its place in the input.
pub(crate) struct Finished {
    pub seq: u64,
    /// Bytes the record held in flight (released when written).
    pub held: usize,
    pub outcome: Outcome,
}

pub(crate) struct Sink {
    pub out: Writer<Box<dyn Write + Send>>,
    pub ordered: bool,
    pub dedup: Option<Dedup>,
    pub progress: bool,
}

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

    fn count(&mut self, record: &Record) {
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

/// Writes every result that arrives until the workers are done; returns the counts and the
/// output, not yet finished (more records may follow).
pub(crate) fn write_all(
    mut sink: Sink,
    results: Receiver<Finished>,
    flight: &InFlight,
) -> anyhow::Result<(Summary, Writer<Box<dyn Write + Send>>)> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let bar = sink.progress.then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });
    let mut last_shown = Instant::now();
    // Results that finished before the ones ahead of them in the input.
    let mut early: BTreeMap<u64, Finished> = BTreeMap::new();
    let mut next_seq = 0u64;
    let result = loop {
        let finished = match results.try_recv() {
            Ok(f) => f,
            Err(TryRecvError::Empty) => {
                // Nothing waiting: a good moment to push the buffer out.
                if let Err(e) = sink.out.flush() {
                    break Err(e);
                }
                match results.recv() {
                    Ok(f) => f,
                    Err(_) => break Ok(()),
                }
            }
            Err(TryRecvError::Disconnected) => break Ok(()),
        };
        let mut ready = Vec::new();
        if sink.ordered {
            early.insert(finished.seq, finished);
            while let Some(f) = early.remove(&next_seq) {
                ready.push(f);
                next_seq += 1;
            }
        } else {
            ready.push(finished);
        }
        let mut failed = None;
        for f in ready {
            flight.leave(f.held);
            if let Err(e) = write_one(&mut sink, &mut summary, f.outcome) {
                failed = Some(e);
                break;
            }
        }
        if let Some(e) = failed {
            break Err(e);
        }
        if let Some(bar) = &bar
            && last_shown.elapsed() >= Duration::from_millis(100)
        {
            last_shown = Instant::now();
            summary.seconds = started.elapsed().as_secs_f64();
            bar.set_message(progress_line(&summary));
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    summary.seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(()) => Ok((summary, sink.out)),
        Err(e) => {
            // Stop the reader: there is nowhere to put more records.
            flight.stop();
            Err(anyhow::Error::new(e).context("cannot write the output"))
        }
    }
}

fn write_one(sink: &mut Sink, summary: &mut Summary, outcome: Outcome) -> std::io::Result<()> {
    summary.read += 1;
    match outcome {
        Outcome::AlreadyDone => summary.already_done += 1,
        Outcome::Skipped => summary.skipped += 1,
        Outcome::Record(mut record, page_bytes) => {
            summary.page_bytes += page_bytes;
            if let Some(dedup) = sink.dedup.as_mut()
                && record.error.is_none()
                && let Some(text) = dedup.filter(record.url.as_deref(), &record.text)
            {
                record.text = text;
            }
            summary.count(&record);
            sink.out.write(&record)?;
        }
    }
    Ok(())
}

fn progress_line(s: &Summary) -> String {
    let secs = s.seconds.max(1e-9);
    format!(
        "{} records, {:.0} pages/s, {:.1} MB/s, {} failed, {} skipped",
        s.read,
        (s.extracted + s.empty + s.failed) as f64 / secs,
        s.page_bytes as f64 / 1e6 / secs,
        s.failed,
        s.skipped
    )
}
